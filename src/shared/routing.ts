// Routing configuration and its explanations: serialisable data. The engine (src/engine/routing) adds behaviour.
import type { ModelPrice } from './config.ts';
import type { CachePolicy, Endpoint, Target } from './targets.ts';
import type { TraceSaying } from './trace.ts';

export type ComplexityClass = 'simple' | 'medium' | 'complex' | 'very-complex';
export const COMPLEXITY_CLASSES: readonly ComplexityClass[] = ['simple', 'medium', 'complex', 'very-complex'];

/** How the targets of a rule or alias are ordered before they are tried. */
export type RoutingStrategy = 'fallback' | 'weighted' | 'least-latency' | 'lowest-cost';
export const ROUTING_STRATEGIES: readonly RoutingStrategy[] = ['fallback', 'weighted', 'least-latency', 'lowest-cost'];

/** A name clients may ask for (`fast`, `smart`, `auto`, …) standing for an ordered list of targets. */
export interface AliasConfig {
  name: string;
  targets: Target[];
  strategy?: RoutingStrategy;
  /** One weight per target, for the `weighted` strategy. */
  weights?: number[];
  description?: string;
}

/** A rule's cache policy (ttl, mode, enabled, semantic options): the shared CachePolicy. */
export type RuleCachePolicy = CachePolicy;

/** Conditions; every condition present must hold. An empty `when` matches everything. */
export interface RuleWhen {
  /** Globs on the requested model (`gpt-4o*`, `claude-?-*`); any may match. */
  model?: string[];
  endpoint?: Endpoint[];
  /** Every listed tag must be on the request (`x-sluice-tags`). */
  tags?: string[];
  minPromptTokens?: number;
  maxPromptTokens?: number;
  complexity?: ComplexityClass[];
}

export interface RuleAction {
  /** Targets to try; or `alias` naming an alias whose targets are used. Exactly one of the two. */
  targets?: Target[];
  alias?: string;
  strategy: RoutingStrategy;
  weights?: number[];
  /** Overrides the config's cache defaults for requests this rule routes (incl. semantic options). */
  cache?: RuleCachePolicy;
  /** Per-attempt upstream timeout, MIN_RULE_TIMEOUT_MS or more. */
  timeoutMs?: number;
}

export interface RoutingRule {
  id: string;
  name: string;
  enabled: boolean;
  when: RuleWhen;
  action: RuleAction;
}

export type BudgetScope = 'provider' | 'model' | 'alias' | 'tag';
export type BudgetPeriod = 'day' | 'month';
/** A routing rule's id or an alias name: 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit. */
export const ROUTING_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export type BudgetUnit = 'usd' | 'tokens';

export interface BudgetConfig {
  id: string;
  /** What the budget counts: spend on a provider, a (target) model, requests through an alias, or carrying a tag. */
  scope: BudgetScope;
  /** The provider id, model name, alias name or tag. */
  match: string;
  period: BudgetPeriod;
  unit: BudgetUnit;
  limit: number;
  /** Fraction of the limit (0..1) at which a `threshold` event is raised. Default 0.8. */
  threshold?: number;
  /** When exhausted: refuse with 429, or move to cheaper targets. */
  onExhausted: 'refuse' | 'downgrade';
  /** Targets used when downgrading; when absent, the cheapest remaining candidates. */
  downgradeTo?: Target[];
  enabled?: boolean;
}

export interface RetryConfig {
  /** Attempts on one target before moving to the next (1 = no retry). */
  attemptsPerTarget: number;
  /** Attempts in total across all targets. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After worth waiting for; longer ones move to the next target. */
  maxRetryAfterMs: number;
}

export interface BreakerConfig {
  failureThreshold: number;
  windowMs: number;
  cooldownMs: number;
}

export interface RoutingConfig {
  aliases: AliasConfig[];
  rules: RoutingRule[];
  budgets: BudgetConfig[];
  /** Targets for model `auto`, by complexity class. */
  classTargets: Partial<Record<ComplexityClass, Target[]>>;
  retry: RetryConfig;
  breaker: BreakerConfig;
  /** Price overrides by model name (USD per million tokens), over the built-in table; a provider's own `prices` win. */
  prices?: Record<string, ModelPrice>;
}

/** The config file's `routing` section: any part of RoutingConfig; missing parts take the defaults. */
export type RoutingConfigSection = Partial<RoutingConfig>;

export type BreakerStateName = 'closed' | 'open' | 'half-open';

export interface BreakerState {
  /** `provider/model`. */
  target: string;
  state: BreakerStateName;
  /** Closed: retryable failures counted in the current window. Open or half-open: the failures of the outage so far. */
  failures: number;
  openedAt: number | null;
  /** When an open breaker lets a probe through (ms since epoch). */
  probeAt: number | null;
}

export interface RuleEvaluation {
  id: string;
  name: string;
  matched: boolean;
  /** Why it matched, or the first condition that failed; 'disabled' / 'not evaluated: …'. */
  reason: string;
  /** The reason as data, for the panel to say in the reader's language (src/shared/trace.ts). */
  say: TraceSaying;
}

export interface CandidateExplanation {
  target: string;
  kept: boolean;
  /** 'ok', 'breaker open', 'budget exhausted (…)', 'provider disabled', 'endpoint unsupported', 'unknown provider', … */
  reason: string;
  /** The reason as data, for the panel. */
  say: TraceSaying;
}

export interface RouteExplanation {
  requestedModel: string;
  endpoint: Endpoint;
  promptTokens: number;
  complexity: ComplexityClass | null;
  rules: RuleEvaluation[];
  matchedRule: string | null;
  /** Where the candidates came from: rule, alias, class, explicit, catalog. */
  source: string;
  strategy: RoutingStrategy;
  candidates: CandidateExplanation[];
  /** The decision in plain sentences, in order. */
  steps: string[];
  /** The same sentences as data, one per step, for the panel to say in the reader's language. */
  stepSays: TraceSaying[];
}

/**
 * One attempt per target by default: a failure moves on to the next target at once, and a route with a
 * single target passes the upstream's error through unchanged. Raise attemptsPerTarget to retry the same
 * target with backoff (Retry-After honoured).
 */
export const DEFAULT_RETRY: RetryConfig = {
  attemptsPerTarget: 1, maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 8_000, maxRetryAfterMs: 20_000,
};

export const DEFAULT_BREAKER: BreakerConfig = { failureThreshold: 5, windowMs: 60_000, cooldownMs: 30_000 };

export const DEFAULT_BUDGET_THRESHOLD = 0.8;

/** The shortest per-attempt timeout a rule may set: the engine refuses less, and the rule form says so before it sends. */
export const MIN_RULE_TIMEOUT_MS = 100;
/** The longest per-attempt timeout: Node's longest timer (a longer one would fire at once). */
export const MAX_RULE_TIMEOUT_MS = 2_147_483_647;

export function defaultRoutingConfig(): RoutingConfig {
  return {
    aliases: [],
    rules: [],
    budgets: [],
    classTargets: {},
    retry: { ...DEFAULT_RETRY },
    breaker: { ...DEFAULT_BREAKER },
  };
}

/** A budget's state in its current window. */
export interface BudgetStatusView {
  id: string;
  scope: BudgetScope;
  match: string;
  unit: BudgetUnit;
  period: BudgetPeriod;
  used: number;
  limit: number;
  /** used / limit. */
  fraction: number;
  /** What requests on their way upstream have reserved; the budget refuses once used + reserved reach the limit. */
  reserved: number;
  level: 'ok' | 'threshold' | 'exhausted';
  onExhausted: 'refuse' | 'downgrade';
  windowStart: number;
  resetsAt: number;
}

/** A provider's health as routing sees it. Never carries its key. */
export interface ProviderHealth {
  provider: string;
  type: string;
  label: string;
  enabled: boolean;
  /** The worst breaker state among its targets. */
  state: BreakerStateName;
  breakers: BreakerState[];
  /** Attempts and retryable failures among the recent ones (last 100 within 5 minutes). */
  recentAttempts: number;
  recentErrors: number;
  /** recentErrors / recentAttempts; 0 when there were none. */
  errorRate: number;
  /** Upstream latency EWMA over its targets (ms); null before any success. */
  latencyMs: number | null;
}

/** The parts of the routing document, as a history entry names those a version changed. */
export type RoutingSection = 'aliases' | 'rules' | 'budgets' | 'classTargets' | 'retry' | 'breaker' | 'prices';
export const ROUTING_SECTIONS: readonly RoutingSection[] = ['aliases', 'rules', 'budgets', 'classTargets', 'retry', 'breaker', 'prices'];

/** One saved version of the routing document. */
export interface RoutingHistoryEntry {
  /** The version's id in the settings store (rollback, `PUT /routing?baseSeq`); other settings' saves share its count. */
  seq: number;
  /** Which routing save this is: 1 for the first, counting routing saves only. */
  version: number;
  savedAt: number;
  rules: number;
  aliases: number;
  budgets: number;
  /** Price overrides (models with their own price). */
  prices: number;
  /** The sections that differ from the version before; null for the first version saved. */
  changed: RoutingSection[] | null;
}

/** The export file: the whole routing document. Import accepts this, or a bare RoutingConfig. */
export interface RoutingExport {
  format: 'sluice-routing';
  version: 1;
  exportedAt: number;
  routing: RoutingConfig;
}

export interface PriceRow {
  model: string;
  input: number;
  output: number;
  source: 'builtin' | 'override';
}

/** What `POST /admin/api/routing/explain` takes: a request body as a client would send it. */
export interface ExplainInput {
  /** chat (default), embeddings or speech. */
  endpoint?: Endpoint;
  /** Tags as in `x-sluice-tags`. */
  tags?: string[];
  /** The request body (model, messages or input…), checked as the proxy endpoint checks it. */
  body?: Record<string, unknown>;
  /** Shorthand for a chat body: `model` and `messages` at the top level; `model` alone asks only where that model goes (no body to check). */
  model?: string;
  messages?: unknown[];
}

export interface ExplainResult extends RouteExplanation {
  /** The targets that would be tried, in order (`provider/model`); none when the request would fail. */
  targets: string[];
  /**
   * The error the request would get instead: its body refused, nothing left to try, or its first target's provider refusing it.
   * `code` as the proxy would answer it (lower case: `budget_exceeded`).
   */
  error: { code: string; message: string; status: number; say: TraceSaying } | null;
  cache: RuleCachePolicy | null;
  timeoutMs: number | null;
}
