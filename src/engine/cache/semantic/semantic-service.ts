// The semantic cache as the engine uses it (`host.services.semantic`): on an exact miss it looks for a
// cached answer to a reworded last user message in the same context (target, system prompt, earlier
// turns, parameters, tenant, namespace), per the routing rule's `cache.semantic` or the global
// `config.semantic`; it indexes entries as they are stored and forgets them when they are deleted;
// it lists recent hits, takes "this hit was wrong" marks, records finished chat requests for the
// replay lab and runs the lab. Every decision is written to the request trace.
import { describeValue } from '../../../shared/describe-value.ts';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { EngineEvent } from '../../../shared/events.ts';
import type {
  ReplayLabRequest, ReplayLabResult, SemanticConfig, SemanticEmbedderConfig, SemanticFalseHitResult, SemanticHitView, SemanticLookupResult,
  SemanticStatusView,
} from '../../../shared/semantic.ts';
import type { Clock } from '../../clock.ts';
import { NotFoundError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { FinishedRequest } from '../../pipeline/record-stage.ts';
import type { CacheEntry } from '../cache-entry.ts';
import type { SemanticHooks } from '../cache-stage.ts';
import type { Embedder } from './embedder.ts';
import { NgramEmbedder } from './ngram-embedder.ts';
import { defaultReplayPolicies, replayLog } from './replay-lab.ts';
import { DEFAULT_SEMANTIC_CONFIG, resolveSemanticConfig, semanticConfigFromPolicy } from './semantic-config.ts';
import { semanticQueryOf, type SemanticQuery } from './semantic-context-key.ts';
import type { SemanticLog } from './semantic-log.ts';
import { queryHash, SemanticMatcher, type SemanticPersistence } from './semantic-matcher.ts';
import type { SemanticRepository } from './semantic-repository.ts';
import type { TraceSaying } from '../../../shared/trace.ts';

export interface SemanticServiceOptions {
  repository: SemanticRepository;
  log: SemanticLog;
  clock: Clock;
  logger: Logger;
  newId: () => string;
  /** The global default (`config.semantic`), read on every request so a config change applies at once. */
  defaults: () => unknown;
  /** The cache entry under a key, without counting a hit (undefined when evicted or deleted). */
  entry: (key: string) => CacheEntry | undefined;
  /** An embeddings model through Sluice's own pipeline (for source 'embeddings'). */
  modelEmbedder: (model: string) => Embedder;
  emit: (event: EngineEvent) => void;
  /** Requests Sluice sends itself (embeddings) carry this client name and are not recorded. */
  ownClient?: string;
}

/** Question texts are kept this long at most (hits list, replay records). */
const MAX_TEXT = 2000;
/** Cache results whose answer was given to the client (bypassed requests are not cacheable and not recorded). */
const ANSWERED = new Set(['miss', 'refresh', 'hit-memory', 'hit-disk', 'hit-semantic', 'coalesced', 'stale']);
const DISABLED: SemanticConfig = { ...DEFAULT_SEMANTIC_CONFIG, enabled: false };

function truncate(text: string): string {
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}

/** What an answer said, hashed: the choices' text for chat completions (ids and timestamps aside), else the bytes. */
export function answerHash(entry: Pick<CacheEntry, 'body' | 'endpoint'>): string {
  let material: string | Buffer = entry.body;
  if (entry.endpoint === 'chat') {
    try {
      const json = JSON.parse(entry.body.toString('utf8')) as { choices?: Array<{ message?: { content?: unknown; tool_calls?: unknown } }> };
      if (Array.isArray(json.choices)) material = JSON.stringify(json.choices.map((c) => [c.message?.content ?? null, c.message?.tool_calls ?? null]));
    } catch { /* hash the bytes */ }
  }
  return createHash('sha256').update(material).digest('hex').slice(0, 32);
}

/** The global `config.semantic`: SemanticConfig fields, or a rule-style section ({ enabled, threshold, source, embeddingsModel }). */
export function readGlobalSemantic(raw: unknown): SemanticConfig {
  if (raw === undefined || raw === null) return { ...DEFAULT_SEMANTIC_CONFIG };
  if (typeof raw === 'object' && !Array.isArray(raw) && ('source' in raw || 'embeddingsModel' in raw)) {
    const { source, embeddingsModel, enabled, threshold, ...rest } = raw as Record<string, unknown>;
    // checked whatever the source: a model named for 'local' is ignored, but a wrong one is still a mistake
    if (embeddingsModel !== undefined && (typeof embeddingsModel !== 'string' || !embeddingsModel.trim())) throw new TypeError('semantic.embeddingsModel must name an embeddings model.');
    const base = resolveSemanticConfig(rest, 'semantic');
    return semanticConfigFromPolicy({ enabled: enabled === undefined ? false : enabled, threshold, source, embeddingsModel } as never, base, 'semantic');
  }
  return resolveSemanticConfig(raw, 'semantic');
}

export class SemanticService implements SemanticHooks {
  #o: SemanticServiceOptions;
  #local = new NgramEmbedder();
  #matchers = new Map<string, SemanticMatcher>();
  #persistence: SemanticPersistence;
  /** Answer hash of what a request was given, set when its entry is stored or a semantic hit serves it. */
  #answers = new WeakMap<RequestContext, string>();
  #answerByKey = new LRUCache<string, string>({ max: 20_000 });
  #queries = new WeakMap<RequestContext, SemanticQuery | null>();
  #lastDefaults: { raw: unknown; cfg: SemanticConfig } | null = null;

  constructor(opts: SemanticServiceOptions) {
    if (!opts?.repository || !opts.log || !opts.clock || !opts.logger || typeof opts.newId !== 'function') {
      throw new TypeError('SemanticService: repository, log, clock, logger and newId are required.');
    }
    for (const fn of ['defaults', 'entry', 'modelEmbedder', 'emit'] as const) {
      if (typeof opts[fn] !== 'function') throw new TypeError(`SemanticService: opts.${fn} must be a function.`);
    }
    this.#o = opts;
    const { repository, log } = opts;
    this.#persistence = {
      save: (embedderId, entry) => log.defer(() => repository.save(embedderId, entry)),
      deleteByEntryKeys: () => { /* done once for every embedder by onDeleted */ },
      saveFalseHit: (mark, threshold) => { log.flush(); repository.saveFalseHit(mark, threshold); },
    };
    this.defaults();
  }

  /** The global default, validated (throws naming the field when `config.semantic` is malformed). */
  defaults(): SemanticConfig {
    const raw = this.#o.defaults();
    let last = this.#lastDefaults;
    if (last?.raw !== raw || !last) this.#lastDefaults = last = { raw, cfg: readGlobalSemantic(raw) };
    return last.cfg;
  }

  /** The semantic settings of one request: the rule's `cache.semantic` over the global default. */
  configFor(ctx: RequestContext): SemanticConfig {
    try {
      return semanticConfigFromPolicy(ctx.cachePolicy?.semantic, this.defaults());
    } catch (err) {
      const error = String((err as Error)?.message ?? err);
      ctx.trace.push({ stage: 'semantic', message: `off: ${error}`, say: { id: 'semantic.off', vars: { error } } });
      return DISABLED;
    }
  }

  // ---- SemanticHooks (called by the cache stage and the cache service) ----

  async lookup(ctx: RequestContext): Promise<{ entry: CacheEntry; similarity: number } | null> {
    if (ctx.endpoint !== 'chat') return null;
    const cfg = this.configFor(ctx);
    if (!cfg.enabled) return null;
    const query = this.#queryOf(ctx);
    if (!query) {
      ctx.trace.push({ stage: 'semantic', message: 'not applicable: the last message is not a text-only user message', say: { id: 'semantic.notApplicable' } });
      return null;
    }
    const matcher = this.#matcher(cfg.embedder);
    for (let attempt = 0; attempt < 3; attempt++) {
      let result: SemanticLookupResult;
      try {
        result = await matcher.lookup(query, { threshold: cfg.threshold, guards: cfg.guards });
      } catch (err) {
        const error = String((err as Error)?.message ?? err);
        ctx.trace.push({ stage: 'semantic', message: `lookup failed (${error}); treated as a miss`, say: { id: 'semantic.lookupFailed', vars: { error } } });
        return null;
      }
      if (result.outcome === 'miss') {
        ctx.trace.push(missStep(result, cfg.threshold, matcher));
        return null;
      }
      const entry = this.#o.entry(result.entryKey);
      if (!entry || entry.expiresAt <= this.#o.clock.now() || entry.tenant !== ctx.tenant) {
        // Evicted or expired since it was indexed: forget it and look again.
        this.#forget([result.entryKey]);
        continue;
      }
      const cachedText = matcher.entryText(result.entryKey) ?? entry.meta.requestText;
      ctx.trace.push({
        stage: 'semantic', message: `hit: similarity ${result.score.toFixed(4)} ≥ ${result.threshold.toFixed(4)} (${matcher.embedderLabel})`,
        score: result.score, threshold: result.threshold, entryKey: result.entryKey, cachedText: cachedText.slice(0, 240),
        say: { id: 'semantic.hit', vars: { score: result.score.toFixed(4), threshold: result.threshold.toFixed(4), ...embedderVars(matcher) } },
      });
      const hit: Omit<SemanticHitView, 'markedFalse'> = {
        id: this.#o.newId(), ts: this.#o.clock.now(), requestId: ctx.id, entryKey: result.entryKey, embedder: matcher.embedderId,
        askedText: truncate(query.text), cachedText: truncate(cachedText), score: result.score, threshold: result.threshold,
      };
      this.#o.log.recordHit(hit);
      this.#o.emit({ type: 'cache', ts: hit.ts, action: 'semantic-hit', detail: { ...hit, markedFalse: false } });
      this.#answers.set(ctx, this.#answerOf(entry));
      return { entry, similarity: result.score };
    }
    ctx.trace.push({ stage: 'semantic', message: 'miss: the closest entries are no longer cached', say: { id: 'semantic.gone' } });
    return null;
  }

  onStored(ctx: RequestContext, entry: CacheEntry): void {
    if (entry.endpoint !== 'chat') return;
    const answer = answerHash(entry);
    this.#answerByKey.set(entry.key, answer);
    this.#answers.set(ctx, answer);
    const cfg = this.configFor(ctx);
    if (!cfg.enabled) return;
    const query = this.#queryOf(ctx);
    if (!query) return;
    this.#matcher(cfg.embedder).remember(entry.key, query).catch((err) => {
      this.#o.logger.warn('semantic: indexing a stored entry failed', { error: String((err as Error)?.message ?? err) });
    });
  }

  onDeleted(keys: readonly string[] | 'all'): void {
    if (keys === 'all') {
      for (const m of this.#matchers.values()) m.clear();
      this.#answerByKey.clear();
      this.#o.log.defer(() => this.#o.repository.deleteAll());
      this.#o.log.forgetEntries('all');
      this.#o.log.flush();
      return;
    }
    this.#forget(keys);
    this.#o.log.flush();
  }

  // ---- the replay lab's inputs ----

  /** Records a finished chat request for the replay lab (context key, question, answer hash, tokens, cost). */
  onFinished({ ctx, summary, error }: FinishedRequest): void {
    if (error || summary.status !== 200 || ctx.endpoint !== 'chat' || !ANSWERED.has(ctx.cacheResult)) return;
    if (this.#o.ownClient && ctx.client === this.#o.ownClient) return;
    const answer = this.#answers.get(ctx) ?? (ctx.cacheKey ? this.#answerOfKey(ctx.cacheKey) : undefined);
    if (!answer) return;
    // the same exact key asks the same question in the same context: a repeat needs no query of its own
    if (ctx.cacheKey && this.#o.log.repeatRequest(ctx.cacheKey, answer)) return;
    const query = this.#queryOf(ctx);
    if (!query) return;
    const tokens = ctx.usage?.total_tokens ?? Number(ctx.notes.savedTokens ?? 0);
    const costUsd = ctx.costUsd || Number(ctx.notes.savedCostUsd ?? 0);
    this.#o.log.recordRequest({ ts: ctx.receivedAt, contextKey: query.contextKey, text: truncate(query.text), answer, tokens, costUsd }, ctx.cacheKey ?? undefined);
  }

  // ---- admin ----

  hits(limit = 100): SemanticHitView[] {
    return this.#o.log.hits(limit);
  }

  markFalse(hitId: string): SemanticFalseHitResult {
    const hit = this.#o.log.hit(hitId);
    if (!hit) throw new NotFoundError(`No semantic hit '${hitId}'.`, 'SLUICE_SEMANTIC_HIT_NOT_FOUND');
    const matcher = this.#matcherById(hit.embedder);
    if (!matcher || !this.#has(matcher, hit.entryKey)) {
      throw new NotFoundError('The cached entry of this hit is gone (deleted, cleared or evicted); it can no longer be served.', 'SLUICE_SEMANTIC_ENTRY_GONE');
    }
    const { threshold } = matcher.markFalseHit({ queryText: hit.askedText, entryKey: hit.entryKey, score: hit.score });
    const asked = queryHash(hit.askedText);
    const markedHitIds = this.#o.log.markFalse(hitId, (text) => queryHash(text) === asked);
    const result: SemanticFalseHitResult = { hit: { ...hit, markedFalse: true }, entryThreshold: threshold, markedHitIds };
    this.#o.emit({ type: 'cache', ts: this.#o.clock.now(), action: 'semantic-false-hit', detail: result });
    return result;
  }

  status(): SemanticStatusView {
    const counts = this.#o.log.counts();
    return {
      defaults: this.defaults(),
      matchers: [...this.#matchers.values()].map((m) => ({ embedderId: m.embedderId, label: m.embedderLabel, entries: m.size })),
      storedEntries: this.#o.repository.count(),
      hitsRecorded: counts.hits,
      requestsRecorded: counts.requests,
    };
  }

  /** Replays the most recent recorded requests against candidate policies with the local matcher; calls no upstream. */
  async replay(req: ReplayLabRequest = {}): Promise<ReplayLabResult> {
    const limit = req.limit ?? 10_000;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new RangeError(`limit must be an integer from 1 to 100000, got ${describeValue(req.limit)}.`);
    const policies = req.policies ?? defaultReplayPolicies();
    if (!Array.isArray(policies) || policies.length === 0 || policies.length > 64) throw new RangeError('policies must be a list of 1 to 64 policies.');
    const records = this.#o.log.recentRequests(limit);
    const reports = await replayLog(records, policies, { embedder: this.#local });
    return {
      requests: records.reduce((n, r) => n + (r.repeats ?? 1), 0), from: records[0]?.ts ?? null, to: records.at(-1)?.ts ?? null, embedder: this.#local.label, reports,
    };
  }

  /** Writes what is queued (call before the database closes). */
  close(): void {
    this.#o.log.close();
  }

  // ---- internals ----

  #queryOf(ctx: RequestContext): SemanticQuery | null {
    if (this.#queries.has(ctx)) return this.#queries.get(ctx)!;
    const target = ctx.targets[0];
    const query = target ? semanticQueryOf(ctx.body, { target, tenant: ctx.tenant, namespace: ctx.cacheDirectives.namespace }) : null;
    this.#queries.set(ctx, query);
    return query;
  }

  #embedder(cfg: SemanticEmbedderConfig): Embedder {
    if (cfg.kind === 'local-ngram') return this.#local;
    return this.#o.modelEmbedder(cfg.kind === 'model' ? cfg.model : `${cfg.target.provider}/${cfg.target.model}`);
  }

  #matcher(cfg: SemanticEmbedderConfig): SemanticMatcher {
    const id = cfg.kind === 'local-ngram' ? this.#local.id : `embeddings:${cfg.kind === 'model' ? cfg.model : `${cfg.target.provider}/${cfg.target.model}`}`;
    let m = this.#matchers.get(id);
    if (m) return m;
    const embedder = this.#embedder(cfg);
    m = new SemanticMatcher({
      embedder, now: () => this.#o.clock.now(), persistence: this.#persistence, falseHitMargin: this.defaults().falseHitMargin,
    });
    this.#o.log.flush();
    const saved = this.#o.repository.load(embedder.id);
    m.restore(saved.entries, saved.marks);
    this.#matchers.set(embedder.id, m);
    return m;
  }

  #matcherById(id: string): SemanticMatcher | undefined {
    if (id === this.#local.id) return this.#matcher({ kind: 'local-ngram' });
    if (id.startsWith('embeddings:')) return this.#matcher({ kind: 'model', model: id.slice('embeddings:'.length) });
    return undefined;
  }

  #has(matcher: SemanticMatcher, entryKey: string): boolean {
    return matcher.entryText(entryKey) !== null;
  }

  #forget(keys: readonly string[]): void {
    if (keys.length === 0) return;
    for (const m of this.#matchers.values()) m.forget(keys);
    for (const k of keys) this.#answerByKey.delete(k);
    this.#o.log.defer(() => this.#o.repository.deleteByEntryKeys(keys));
    this.#o.log.forgetEntries(keys);
  }

  #answerOf(entry: CacheEntry): string {
    let a = this.#answerByKey.get(entry.key);
    if (!a) { a = answerHash(entry); this.#answerByKey.set(entry.key, a); }
    return a;
  }

  #answerOfKey(key: string): string | undefined {
    const known = this.#answerByKey.get(key);
    if (known) return known;
    const entry = this.#o.entry(key);
    return entry ? this.#answerOf(entry) : undefined;
  }
}

/**
 * The matcher of a trace step: `embedder` its English label (the engine's message, and older panels),
 * `matcher` what it is ('local-ngram' or 'embeddings', with the `model`) so the panel can word it in the
 * reader's language rather than quote the English label inside a Chinese sentence.
 */
function embedderVars(m: SemanticMatcher): Record<string, string> {
  const id = m.embedderId;
  if (id.startsWith('embeddings:')) return { embedder: m.embedderLabel, matcher: 'embeddings', model: id.slice('embeddings:'.length) };
  if (id.startsWith('local-ngram')) return { embedder: m.embedderLabel, matcher: 'local-ngram' };
  return { embedder: m.embedderLabel };
}

function missStep(result: Extract<SemanticLookupResult, { outcome: 'miss' }>, threshold: number, matcher: SemanticMatcher): RequestContext['trace'][number] {
  const label = matcher.embedderLabel;
  const who = embedderVars(matcher);
  const score = result.bestScore === null ? '' : ` (closest similarity ${result.bestScore.toFixed(4)})`;
  const why = result.reason === 'guard' && result.refusal
    ? `the ${result.refusal.guard} guard refused the closest entry: only in this question ${JSON.stringify(result.refusal.onlyInQuery)}, only in the cached one ${JSON.stringify(result.refusal.onlyInCached)}`
    : result.reason === 'marked-false' ? 'the closest entry was marked as a false hit for this question'
    : result.reason === 'below-threshold' ? `nothing reached the threshold ${threshold.toFixed(4)}`
    : `no cached question in this context reached the threshold ${threshold.toFixed(4)}`;
  const closest = result.bestScore === null ? null : result.bestScore.toFixed(4);
  const say: TraceSaying = result.reason === 'guard' && result.refusal
    ? { id: 'semantic.miss.guard', vars: { guard: result.refusal.guard, onlyQuery: JSON.stringify(result.refusal.onlyInQuery), onlyCached: JSON.stringify(result.refusal.onlyInCached), closest, ...who } }
    : result.reason === 'marked-false' ? { id: 'semantic.miss.markedFalse', vars: { closest, ...who } }
    : result.reason === 'below-threshold' ? { id: 'semantic.miss.belowThreshold', vars: { threshold: threshold.toFixed(4), closest, ...who } }
    : { id: 'semantic.miss.none', vars: { threshold: threshold.toFixed(4), closest, ...who } };
  return {
    stage: 'semantic', message: `miss: ${why}${score} (${label})`, reason: result.reason, guard: result.refusal?.guard ?? null,
    score: result.bestScore, entryKey: result.entryKey, say,
  };
}
