// The keys each part of the config file may hold, so that a misspelt key stops the start instead of
// being ignored. Only keys: types and ranges are checked by each section's own validation. Maps by
// design (prices by model, a provider's `options` and `headers`, webhook headers) take any key.
// Each object lists every key of its type in src/shared, so the compiler says when one is missing.
import type { AliasInput } from '../../shared/admin/routing-routes.ts';
import type { AlertNotificationSettings, AlertRule, AlertsConfig, AnomalyTuning } from '../../shared/alerts.ts';
import type { CacheConfig, LogConfig, ModelPrice, ProviderConfig, ServerConfig } from '../../shared/config.ts';
import type {
  AliasConfig, BreakerConfig, BudgetConfig, ComplexityClass, RetryConfig, RoutingConfig, RoutingRule, RuleAction, RuleWhen,
} from '../../shared/routing.ts';
import type {
  BatchingConfig, ClientLimit, ClientLimitRule, ClientLimitsConfig, LimiterConfig, SchedulerConfig, SchedulingConfig,
} from '../../shared/scheduling.ts';
import type { SemanticConfig } from '../../shared/semantic.ts';
import type { CachePolicy, Target } from '../../shared/targets.ts';
import type { SentenceModeConfig, TtsConfig } from '../../shared/tts.ts';

/** What a value's keys may be. `null` for a field: a value whose keys are not checked (scalars, lists of scalars). */
export type KeyShape =
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, KeyShape | null>> }
  | { readonly kind: 'list'; readonly item: KeyShape }
  | { readonly kind: 'map'; readonly value: KeyShape | null };

type Fields<T> = { readonly [K in keyof Required<T>]: KeyShape | null };

/** An object with exactly the keys of T. */
const fields = <T>(f: Fields<T>): KeyShape => ({ kind: 'object', fields: f });
const list = (item: KeyShape): KeyShape => ({ kind: 'list', item });
const map = (value: KeyShape | null = null): KeyShape => ({ kind: 'map', value });

const PRICE = fields<ModelPrice>({ input: null, output: null });
const TARGETS = list(fields<Target>({ provider: null, model: null }));

export const PROVIDER_KEYS = fields<ProviderConfig>({
  id: null, type: null, label: null, baseUrl: null, apiKey: null, models: null, prices: map(PRICE), endpoints: null,
  enabled: null, maxConnections: null, timeouts: fields<NonNullable<ProviderConfig['timeouts']>>({ connectMs: null, headersMs: null, bodyMs: null }),
  headers: map(), options: map(), source: null,
});

export const CLIENT_LIMITS_KEYS = fields<ClientLimitsConfig>({
  enabled: null,
  default: fields<ClientLimit>({ requestsPerMinute: null, tokensPerMinute: null }),
  rules: list(fields<ClientLimitRule>({ client: null, requestsPerMinute: null, tokensPerMinute: null })),
});

const RULE_SEMANTIC = fields<NonNullable<CachePolicy['semantic']>>({ enabled: null, threshold: null, source: null, embeddingsModel: null });

/** The global `semantic` section: SemanticConfig's keys, or a routing rule's form (`source`, `embeddingsModel`). */
const SEMANTIC = fields<SemanticConfig & NonNullable<CachePolicy['semantic']>>({
  enabled: null, threshold: null, guards: null, falseHitMargin: null, source: null, embeddingsModel: null,
  embedder: { kind: 'object', fields: { kind: null, target: fields<Target>({ provider: null, model: null }), model: null } },
});

/** The body of PUT /admin/api/routing/aliases/:name: the alias's name is in the path, the rest of its document with PUT /routing. */
export const ALIAS_INPUT_KEYS = fields<AliasInput>({ targets: TARGETS, strategy: null, weights: null });

export const ROUTING_KEYS = fields<RoutingConfig>({
  aliases: list(fields<AliasConfig>({ name: null, targets: TARGETS, strategy: null, weights: null, description: null })),
  rules: list(fields<RoutingRule>({
    id: null, name: null, enabled: null,
    when: fields<RuleWhen>({ model: null, endpoint: null, tags: null, minPromptTokens: null, maxPromptTokens: null, complexity: null }),
    action: fields<RuleAction>({
      targets: TARGETS, alias: null, strategy: null, weights: null, timeoutMs: null,
      cache: fields<CachePolicy>({ enabled: null, ttlSeconds: null, mode: null, semantic: RULE_SEMANTIC }),
    }),
  })),
  budgets: list(fields<BudgetConfig>({
    id: null, scope: null, match: null, period: null, unit: null, limit: null, threshold: null, onExhausted: null, downgradeTo: TARGETS, enabled: null,
  })),
  classTargets: fields<Record<ComplexityClass, unknown>>({ simple: TARGETS, medium: TARGETS, complex: TARGETS, 'very-complex': TARGETS }),
  retry: fields<RetryConfig>({ attemptsPerTarget: null, maxAttempts: null, baseDelayMs: null, maxDelayMs: null, maxRetryAfterMs: null }),
  breaker: fields<BreakerConfig>({ failureThreshold: null, windowMs: null, cooldownMs: null }),
  prices: map(PRICE),
});

const SCHEDULING = fields<SchedulingConfig>({
  batching: fields<BatchingConfig>({ enabled: null, maxBatchSize: null, maxBatchTokens: null, maxWaitMs: null, maxInFlightPerKey: null, gatherMs: null }),
  scheduler: fields<SchedulerConfig>({ enabled: null, queueTimeoutMs: null, maxQueueDepth: null, agingMs: null }),
  limiter: fields<LimiterConfig>({
    enabled: null, initialLimit: null, minLimit: null, maxLimit: null, backoffRatio: null, latencyTolerance: null, latencySlackMs: null, minLatencyWindowMs: null,
  }),
  clientLimits: CLIENT_LIMITS_KEYS,
});

const ALERTS = fields<AlertsConfig>({
  enabled: null,
  rules: list(fields<AlertRule>({ id: null, name: null, metric: null, comparator: null, threshold: null, forSeconds: null, severity: null, enabled: null })),
  webhookUrl: null,
  notifications: fields<AlertNotificationSettings>({ webhookUrl: null, webhookHeaders: map(), minSeverity: null, notifyResolved: null, desktop: null }),
  webhook: fields<NonNullable<AlertsConfig['webhook']>>({ maxAttempts: null, baseDelayMs: null, timeoutMs: null }),
  // keyed by metric; the alerts section names the metrics that have a detector
  detectors: map(fields<AnomalyTuning>({ warmupSamples: null, spikeThreshold: null, spikeSamples: null, clearSamples: null, minScale: null })),
  minRequests: null,
  runaway: fields<Exclude<AlertsConfig['runaway'], false | undefined>>({ windowSeconds: null, minRepeats: null, factor: null }),
  retentionDays: null,
});

/** The whole file. `providers` is a list of PROVIDER_KEYS, checked entry by entry so each is named as the user wrote it. */
export const CONFIG_KEYS: KeyShape = {
  kind: 'object',
  fields: {
    server: fields<ServerConfig>({ host: null, port: null, bodyLimitBytes: null, allowedHosts: null, clientToken: null, shutdownGraceMs: null }),
    providers: list(PROVIDER_KEYS),
    cache: fields<CacheConfig>({
      enabled: null, memoryMaxBytes: null, diskMaxBytes: null, ttlSeconds: null, mode: null, serveStale: null, staleMaxSeconds: null,
      perModel: list(fields<CacheConfig['perModel'][number]>({ model: null, ttlSeconds: null, mode: null, enabled: null })),
    }),
    log: fields<LogConfig>({ maxRows: null, bodies: null }),
    routing: ROUTING_KEYS,
    scheduling: SCHEDULING,
    /** Shorthand for `scheduling.clientLimits`. */
    limits: CLIENT_LIMITS_KEYS,
    alerts: ALERTS,
    semantic: SEMANTIC,
    tts: fields<TtsConfig>({
      maxInputChars: null,
      // `sentenceMode: false` is short for { enabled: false }; only an object's keys are checked
      sentenceMode: fields<SentenceModeConfig>({ enabled: null, concurrency: null, maxSentenceChars: null }),
    }),
  },
};
