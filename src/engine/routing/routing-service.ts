// The live side of routing: holds the routing document (saved in settings with its history, else the
// config file's), compiles it with the defaults, and offers what the engine plugs in — the route
// stage, the gate in front of the upstream (held budget refusals), the retry/fallback terminal,
// prices, spend and budgets on finished requests, breaker and provider health. Every change goes
// through `save`, which completes the sections a document leaves out and validates first: a bad
// document is refused with every bad field named and the old one keeps serving.
import { describeValue } from '../../shared/describe-value.ts';
import { isObj } from '../../shared/is-obj.ts';
import type { ModelPrice, ProviderConfig } from '../../shared/config.ts';
import type { EngineEvent } from '../../shared/events.ts';
import type { Usage } from '../../shared/openai.ts';
import type {
  BreakerState, BreakerStateName, BudgetStatusView, ExplainInput, ExplainResult, PriceRow, ProviderHealth,
  RoutingConfig, RoutingHistoryEntry,
} from '../../shared/routing.ts';
import type { RoutingDocumentView, RoutingSaveResult } from '../../shared/admin/routing-routes.ts';
import { targetKey, type Endpoint, type Target } from '../../shared/targets.ts';
import type { Clock } from '../clock.ts';
import { ConfigError, isPrice, issueLine, PRICE_WORDS } from '../config/validate-config.ts';
import { BadRequestError, isRetryable, NotFoundError, SluiceError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Handler, ProxyResult, RequestContext, Stage } from '../pipeline/context.ts';
import type { CallTarget } from '../pipeline/provider-call.ts';
import { SERVED_WITHOUT_UPSTREAM, type FinishedRequest } from '../pipeline/record-stage.ts';
import type { SettingsRepository } from '../store/settings-repository.ts';
import { AttemptWindow } from './attempt-window.ts';
import { BudgetTracker, type BudgetEvent, type ReleaseReservation } from './budgets.ts';
import type { TraceSaying } from '../../shared/trace.ts';
import { BreakerRegistry } from './circuit-breaker.ts';
import { LatencyEwma } from './latency-ewma.ts';
import { costOf, PriceTable } from './pricing.ts';
import { parseTags, summarizeRequest } from './route-request.ts';
import { HeldRefusals } from './held-refusals.ts';
import { invalidBodyStep, targetRefusedStep, targetRefusesStep, type Said } from './route-sayings.ts';
import { speechUsage } from '../tts/speech-request.ts';
import { historyEntries, sameRouting } from './routing-history.ts';
import { attemptsMade, createRetryStage, type AttemptReport } from './retry-stage.ts';
import { effectiveRouting, withDefaultSections } from './routing-defaults.ts';
import {
  compileRouting, needsComplexity, resolveRoute, resolveRouteUnrefused, routeFailureSaid, type CompiledRouting, type ProviderAvailability,
  type RouterState,
} from './router.ts';
import type { SpendRepository } from './spend-repository.ts';
import { SpendWriter } from './spend-writer.ts';
import { providerUses, type ProviderUse } from './provider-uses.ts';
import { routingProblems, validateRouting } from './validate-routing.ts';

/** A routing document's problems apart from providers it names that are not there (yet, or any more): routing skips those. */
const structural = (cfg: unknown) => routingProblems(cfg, []).filter((i) => i.code !== 'unknownProvider');

export const SETTINGS_ROUTING = 'routing';
const SEVERITY: Record<BreakerStateName, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface RoutingServiceOptions {
  clock: Clock;
  random: () => number;
  logger: Logger;
  settings: SettingsRepository;
  spend: SpendRepository;
  /** The config file's routing document (used until one is saved). */
  initial: RoutingConfig;
  /** Every configured provider (enabled or not). */
  providers(): readonly ProviderConfig[];
  /** Whether a provider can be called now, and for which endpoints; undefined: no such provider. */
  availability(id: string): ProviderAvailability | undefined;
  /** Targets for a plain model name no rule or alias claims (the model catalog); [] when none. */
  resolveModel(model: string, endpoint: Endpoint): Target[];
  /** A sentence for a client whose model nobody serves (what is served instead). */
  unknownModelHint?(endpoint: Endpoint): string | Said;
  /** The proxy endpoint's own check of a body (throws its 400): explain refuses what the proxy refuses. */
  validateRequest?(endpoint: Endpoint, body: Record<string, unknown>): Record<string, unknown>;
  /** The 400 a target's provider gives a request before calling anyone (its adapter's own check), or null. */
  targetRefusal?(target: Target, endpoint: Endpoint, body: Record<string, unknown>): SluiceError | null | Promise<SluiceError | null>;
  emit(e: EngineEvent): void;
}

/** What explain says of a body the proxy endpoint refuses: that refusal, before any routing. */
function refusedBeforeRouting(endpoint: Endpoint, body: Record<string, unknown>, err: SluiceError): ExplainResult {
  const step = invalidBodyStep(err);
  return {
    requestedModel: typeof body.model === 'string' ? body.model : '', endpoint, promptTokens: 0, complexity: null,
    rules: [], matchedRule: null, source: 'none', strategy: 'fallback', candidates: [],
    steps: [step.text], stepSays: [step.say], targets: [], cache: null, timeoutMs: null,
    error: { code: err.clientCode, message: err.message, status: err.status, say: err.say ?? step.say },
  };
}

/** The alias the client asked for, as the route noted it (budgets and spend count by alias). */
const aliasOf = (ctx: RequestContext): string | null => (typeof ctx.notes.routeAlias === 'string' ? ctx.notes.routeAlias : null);

/** What a chat request reserves for its completion while no answer of its target has been seen. */
const UNSEEN_COMPLETION_TOKENS = 256;

export class RoutingService {
  readonly breakers: BreakerRegistry;
  readonly budgets: BudgetTracker;
  #o: RoutingServiceOptions;
  #config: RoutingConfig;
  #seq: number | null = null;
  #effective!: RoutingConfig;
  #compiled!: CompiledRouting;
  #prices!: PriceTable;
  #latency = new LatencyEwma({ alpha: 0.2 });
  #providerLatency = new LatencyEwma({ alpha: 0.2 });
  #attempts: AttemptWindow;
  #state: RouterState;
  #spendWriter: SpendWriter;
  #call: CallTarget | null = null;
  #terminal: Handler | null = null;
  #held = new HeldRefusals();
  /** A held refusal's reason as data, so the trace step that finally refuses is worded in the reader's language. */
  #refusalSays = new WeakMap<SluiceError, TraceSaying>();
  /** What each request on its way upstream holds against the budgets, given back when it finishes. */
  #reservations = new WeakMap<RequestContext, ReleaseReservation>();
  /** Completion tokens an answer of each target usually has (EWMA), for what a request reserves. */
  #completions = new Map<string, number>();

  constructor(opts: RoutingServiceOptions) {
    for (const k of ['clock', 'settings', 'spend', 'initial', 'logger'] as const) if (!opts?.[k]) throw new TypeError(`RoutingService: ${k} is required`);
    for (const k of ['random', 'providers', 'availability', 'resolveModel', 'emit'] as const) {
      if (typeof opts[k] !== 'function') throw new TypeError(`RoutingService: ${k} must be a function`);
    }
    this.#o = opts;
    const { config, seq } = this.#load();
    this.#config = config;
    this.#seq = seq;
    this.#attempts = new AttemptWindow({ clock: opts.clock });
    this.#spendWriter = new SpendWriter({ repo: opts.spend, clock: opts.clock, logger: opts.logger });
    this.breakers = new BreakerRegistry({
      clock: opts.clock, ...config.breaker,
      onStateChange: (target, state, previous, outage) => {
        opts.logger.info(`breaker ${target}: ${previous} → ${state}`);
        // an opening carries the outage's figures, for its alert
        opts.emit({ type: 'breaker', ts: opts.clock.now(), target, state, ...outage });
      },
    });
    this.budgets = new BudgetTracker({
      clock: opts.clock, budgets: config.budgets,
      onEvent: (e) => opts.emit({ type: 'budget', ts: opts.clock.now(), budget: e.budget, level: e.level, detail: e }),
      load: (b, since, until) => {
        const slash = b.match.indexOf('/');
        const filter = b.scope === 'provider' ? { provider: b.match }
          : b.scope === 'model' ? (slash > 0 ? { provider: b.match.slice(0, slash), model: b.match.slice(slash + 1) } : { model: b.match })
            : b.scope === 'alias' ? { alias: b.match } : { tag: b.match };
        this.#spendWriter.flush();
        return opts.spend.total({ since, until, ...filter });
      },
    });
    this.#state = {
      breakerOpen: (k) => this.breakers.isOpen(k),
      budgetExhausted: (id) => this.budgets.isExhausted(id),
      latencyMs: (k) => this.#latency.get(k),
      provider: (id) => opts.availability(id),
      price: (t) => this.#prices.priceOf(t),
      random: opts.random,
      resolveModel: (m, e) => opts.resolveModel(m, e),
    };
    this.#compile();
  }

  /** The saved document if it is still well-formed, else the config file's (which must be well-formed). */
  #load(): { config: RoutingConfig; seq: number | null } {
    const stored = this.#o.settings.get<unknown>(SETTINGS_ROUTING);
    if (stored !== undefined) {
      const saved = this.#withoutUnreadablePrices(withDefaultSections(stored) as RoutingConfig);
      // providers may have gone since it was saved: routing skips unknown ones, so only structure matters here
      const issues = structural(saved);
      if (issues.length === 0) return { config: saved, seq: this.#o.settings.history(SETTINGS_ROUTING, 1)[0]?.seq ?? null };
      this.#o.logger.warn('the saved routing rules are invalid and were ignored; using the config file\'s', { issues: issues.map(issueLine).join('; ') });
    }
    // the config file's section: a mistake there stops the start, naming the field (providers may be detected later)
    const issues = structural(this.#o.initial);
    if (issues.length) throw new ConfigError(issues.map((i) => ({ ...i, param: `routing.${i.param}` })));
    return { config: this.#o.initial, seq: null };
  }

  /**
   * The saved document without the price overrides no save takes now (an older build took any finite
   * price: 1e308 made every cost Infinity). Each is dropped with a warning, so the rest of the document
   * keeps serving and the model falls back to its built-in price until it is set again.
   */
  #withoutUnreadablePrices(saved: RoutingConfig): RoutingConfig {
    if (!isObj(saved) || !isObj(saved.prices)) return saved;
    const bad = Object.keys(saved.prices).filter((m) => !isPrice(saved.prices![m]));
    if (bad.length === 0) return saved;
    this.#o.logger.warn(`routing: the saved price of ${bad.map((m) => `'${m}'`).join(', ')} is past what Sluice takes (${PRICE_WORDS}) and is not used; set it again`);
    return { ...saved, prices: Object.fromEntries(Object.entries(saved.prices).filter(([m]) => !bad.includes(m))) };
  }

  #compile(): void {
    const providers = this.#o.providers();
    this.#prices = new PriceTable({ providers, overrides: this.#config.prices });
    this.#effective = effectiveRouting(this.#config, providers, this.#prices);
    this.#compiled = compileRouting(this.#effective);
    this.breakers.configure(this.#config.breaker);
    this.budgets.configure(this.#config.budgets);
    if (this.#call) this.#terminal = this.#buildTerminal(this.#call);
  }

  /** Providers changed (engine start, admin edit): prices, defaults and availability follow. */
  providersChanged(): void {
    this.#compile();
  }

  get config(): RoutingConfig { return this.#config; }
  get effective(): RoutingConfig { return this.#effective; }

  view(): RoutingDocumentView {
    return { config: this.#config, effective: this.#effective, seq: this.#seq };
  }

  /**
   * Validate, save (with history) and apply a new document; the sections it leaves out take their
   * defaults, as in the config file. Throws ConfigError (400) and keeps the old one. A document that
   * says what the current one says is not saved again: a version in the history is a change.
   */
  save(next: unknown, action: string): RoutingSaveResult {
    const providers = this.#o.providers();
    const cfg = validateRouting(withDefaultSections(next), providers, new Set(this.staleProviderUses(providers).map((u) => u.provider)));
    if (sameRouting(this.#config, cfg)) return { ...this.view(), changed: false };
    const clean = structuredClone(cfg);
    const now = this.#o.clock.now();
    this.#o.settings.set(SETTINGS_ROUTING, clean, now);
    this.#config = clean;
    this.#seq = this.#o.settings.history(SETTINGS_ROUTING, 1)[0]?.seq ?? null;
    this.#compile();
    this.#o.emit({ type: 'routing', ts: now, action, detail: { seq: this.#seq, rules: clean.rules.length, aliases: clean.aliases.length, budgets: clean.budgets.length } });
    this.#o.emit({ type: 'config', ts: now, section: 'routing' });
    return { ...this.view(), changed: true };
  }

  /** Where the document in use names the provider `id` (an alias, rule, budget or `auto` class). */
  usesOf(id: string): ProviderUse[] {
    return providerUses(this.#config).filter((u) => u.provider === id);
  }

  /** Where the document in use names a provider that is not there (any more): routing skips those targets. */
  staleProviderUses(providers = this.#o.providers()): ProviderUse[] {
    const known = new Set(providers.map((p) => p.id));
    return providerUses(this.#config).filter((u) => !known.has(u.provider));
  }

  history(limit = 50): RoutingHistoryEntry[] {
    return historyEntries(this.#o.settings.history(SETTINGS_ROUTING, limit + 1), limit, this.#o.settings.count(SETTINGS_ROUTING));
  }

  /** Save an earlier version again (as a new version: the history only grows), unless it is the current one's document. */
  rollback(seq: number): RoutingSaveResult {
    const old = Number.isInteger(seq) ? this.#o.settings.version<RoutingConfig>(SETTINGS_ROUTING, seq) : undefined;
    if (old === undefined) throw new NotFoundError(`No saved routing document with seq ${seq} (GET /admin/api/routing/history lists each version with its seq; a seq is not a version number).`, 'SLUICE_ROUTING_VERSION_NOT_FOUND');
    return this.save(old, 'rollback');
  }

  /**
   * The route stage: fills ctx.targets, cache policy and timeout, or refuses (no target, or a budget
   * unless the cache answers). Afterwards it sets ctx.attempts to the upstream attempts made for the
   * request, which a copy of the context may have made (the coalesced call) and a stale answer resets.
   */
  readonly stage: Stage = (next) => async (ctx) => {
    this.route(ctx);
    try {
      return await next(ctx);
    } finally {
      const made = attemptsMade(ctx);
      if (made !== undefined) ctx.attempts = made;
    }
  };

  /**
   * The 'refuse' slot: a request its first target's provider refuses anyway (a model of another endpoint,
   * a voice it does not have, a format it cannot make) is refused before the cache looks, so it is no
   * miss and no attempt. After the speech slot, so it sees the format chosen there and each sentence.
   */
  readonly refusalGate: Stage = (next) => (ctx) => {
    const first = ctx.targets[0];
    const check = first ? this.#o.targetRefusal?.(first, ctx.endpoint, ctx.body) : null;
    if (!check) return next(ctx);
    const refuse = (refusal: SluiceError | null): Promise<ProxyResult> => {
      if (!refusal) return next(ctx);
      const step = targetRefusedStep(targetKey(first!), refusal);
      ctx.trace.push({ stage: 'route', message: step.text, say: step.say });
      return Promise.reject(refusal);
    };
    // the provider could not tell (espeak-ng's voice list did not load): the call will say
    return check instanceof Promise ? check.catch(() => null).then(refuse) : refuse(check);
  };

  /** False when a refusing budget holds the request: it may be answered from the cache or a shared call, never upstream. */
  mayGoUpstream(ctx: Pick<RequestContext, 'targets'>): boolean {
    return this.#held.of(ctx) === undefined;
  }

  /** Where a request would go upstream (after the cache and coalescing, before batching): a held budget refusal stops it. */
  readonly upstreamGate: Stage = (next) => (ctx) => {
    const refusal = this.#held.of(ctx);
    if (!refusal) return next(ctx);
    ctx.trace.push({ stage: 'route', message: `not in the cache: ${refusal.message}`, say: { id: 'route.heldRefusal', vars: { reason: this.#refusalSays.get(refusal) ?? refusal.message } } });
    // no provider was called: the log and metrics name none, as for a refusal at the route. The list
    // is this request's own (held), shared with the context a stage copied from it.
    ctx.targets.length = 0;
    return Promise.reject(refusal);
  };

  route(ctx: RequestContext): void {
    const c = this.#compiled;
    const model = ctx.requestedModel;
    const req = summarizeRequest(ctx.endpoint, ctx.body, ctx.tags, { classify: ctx.endpoint === 'chat' && needsComplexity(c, model) });
    req.model = model;
    let d = resolveRoute(c, req, this.#state);
    const failed = routeFailureSaid(d, model, () => this.#o.unknownModelHint?.(ctx.endpoint) ?? '');
    const failure = failed?.error ?? null;
    if (failed && failure) {
      ctx.trace.push({ stage: 'route', message: `${model}: ${failure.message}`, steps: d.explanation.steps, say: { id: 'route.failed', vars: { model, error: failed.say } } });
      // a budget refusal holds until the request would go upstream: the cache may still answer it
      const unrefused = d.refusal ? resolveRouteUnrefused(c, req, this.#state) : null;
      if (!unrefused?.targets.length) throw failure;
      d = unrefused;
      this.#refusalSays.set(failure, failed.say);
      ctx.targets = this.#held.hold(d.targets, failure);
    } else {
      ctx.targets = d.targets;
    }
    if (d.cache) ctx.cachePolicy = d.cache;
    if (d.timeoutMs !== null) ctx.timeoutMs = d.timeoutMs;
    if (this.#isAlias(model)) ctx.notes.routeAlias = model;
    // in the same turn as the decision, so requests routed together see each other's reservations
    if (!failure) this.#reserve(ctx, req.promptTokens);
    ctx.trace.push({
      stage: 'route',
      message: `${model} → ${d.targets.map(targetKey).join(', ')}${d.rule ? ` (rule '${d.rule.name}')` : ''}${d.complexity ? ` [${d.complexity}]` : ''}${failure ? ' (for the cache only)' : ''}`,
      rule: d.rule?.id ?? null, complexity: d.complexity,
      say: {
        id: 'route.resolved',
        vars: { model, targets: d.targets.map(targetKey).join(', '), rule: d.rule?.name ?? null, complexity: d.complexity ?? null, cacheOnly: failure ? 1 : 0 },
      },
    });
  }

  #isAlias(model: string): boolean {
    return this.#compiled.aliases.has(model) || model === 'auto';
  }

  /**
   * How a request would go, without sending it: the body is checked as the proxy endpoint checks it, routed
   * as the route stage routes it, and its first target's provider asked whether it would refuse it before
   * calling anyone (a model it has for another endpoint, a voice it lacks): the proxy's own checks, so
   * explain says what the proxy does. `model` alone (no body, no messages) asks only where a model goes.
   */
  async explain(input: ExplainInput): Promise<ExplainResult> {
    if (input === null || typeof input !== 'object') throw new BadRequestError('The explain body must be an object.');
    const endpoint = input.endpoint ?? 'chat';
    if (endpoint !== 'chat' && endpoint !== 'embeddings' && endpoint !== 'speech') throw new BadRequestError(`Unknown endpoint '${describeValue(endpoint)}'.`, 'endpoint');
    const given: unknown = input.body !== undefined ? input.body : input.messages !== undefined ? { model: input.model, messages: input.messages } : undefined;
    if (given !== undefined && !isObj(given)) throw new BadRequestError('body must be a request body as a client sends it: a JSON object.', 'body');
    const tags = parseTags(Array.isArray(input.tags) ? input.tags.filter((t): t is string => typeof t === 'string') : undefined);
    let body: Record<string, unknown>;
    if (given === undefined) {
      if (typeof input.model !== 'string' || !input.model) throw new BadRequestError('A model is required (body.model or model).', 'model');
      body = { model: input.model, messages: [] };
    } else {
      try {
        body = this.#o.validateRequest?.(endpoint, given) ?? given;
      } catch (err) {
        if (err instanceof SluiceError) return refusedBeforeRouting(endpoint, given, err);
        throw err;
      }
    }
    const req = summarizeRequest(endpoint, body, tags, { classify: endpoint === 'chat' });
    const d = resolveRoute(this.#compiled, req, this.#state);
    const failed = routeFailureSaid(d, req.model);
    const explained: ExplainResult = {
      ...d.explanation, targets: d.targets.map(targetKey), cache: d.cache, timeoutMs: d.timeoutMs,
      error: failed ? { code: failed.error.clientCode, message: failed.error.message, status: failed.error.status, say: failed.say } : null,
    };
    const first = d.targets[0];
    const refusal = first && given !== undefined ? await this.#targetRefusal(first, endpoint, body) : null;
    if (!first || !refusal) return explained;
    // a 400 is final: the proxy stops at the first target, whatever comes after it
    const step = targetRefusesStep(targetKey(first), refusal);
    return {
      ...explained, targets: [],
      steps: [...explained.steps.slice(0, -1), step.text], stepSays: [...explained.stepSays.slice(0, -1), step.say],
      error: { code: refusal.clientCode, message: refusal.message, status: refusal.status, say: refusal.say ?? step.say },
    };
  }

  async #targetRefusal(target: Target, endpoint: Endpoint, body: Record<string, unknown>): Promise<SluiceError | null> {
    try {
      return (await this.#o.targetRefusal?.(target, endpoint, body)) ?? null;
    } catch {
      // the provider could not tell (espeak-ng's voice list did not load): the call will say
      return null;
    }
  }

  /** The engine's terminal handler: retries and fallback over ctx.targets, rebuilt when the retry settings change. */
  terminal(call: CallTarget): Handler {
    this.#call = call;
    this.#terminal = this.#buildTerminal(call);
    return (ctx) => this.#terminal!(ctx);
  }

  #buildTerminal(call: CallTarget): Handler {
    const r = this.#config.retry;
    const stage = createRetryStage({
      clock: this.#o.clock, random: this.#o.random, call, breakers: this.breakers,
      backoff: { baseDelayMs: r.baseDelayMs, maxDelayMs: r.maxDelayMs, maxRetryAfterMs: r.maxRetryAfterMs },
      attemptsPerTarget: r.attemptsPerTarget, maxAttempts: r.maxAttempts,
      onAttempt: (a) => this.#onAttempt(a),
    });
    return stage(() => Promise.reject(new Error('the retry stage ends the pipeline')));
  }

  #onAttempt(a: AttemptReport): void {
    if (a.ok) {
      this.#latency.observe(targetKey(a.target), a.ms);
      this.#providerLatency.observe(a.target.provider, a.ms);
      this.#attempts.record(a.target.provider, false);
      return;
    }
    if (!(a.error instanceof SluiceError)) return; // the client went away: no verdict on the upstream
    this.#attempts.record(a.target.provider, isRetryable(a.error));
  }

  costOf(ctx: RequestContext, usage: Usage): number {
    return ctx.served ? costOf(usage, this.#prices.priceOf(ctx.served)) : 0;
  }

  /**
   * Reserve what the request is expected to spend at its first target: its prompt (speech: its characters) and the
   * completion that target's answers usually have, capped by max_tokens.
   */
  #reserve(ctx: RequestContext, promptTokens: number): void {
    this.#reservations.get(ctx)?.();
    const target = ctx.targets[0];
    if (!target || this.#config.budgets.length === 0) return;
    const prompt = ctx.endpoint === 'speech' ? speechUsage(ctx.body).prompt_tokens : promptTokens;
    const body = ctx.body as { max_completion_tokens?: unknown; max_tokens?: unknown };
    const cap = Number(body.max_completion_tokens ?? body.max_tokens);
    // before any answer of this target has been seen (after a start), a typical answer's length
    const usual = ctx.endpoint === 'chat' ? this.#completions.get(targetKey(target)) ?? UNSEEN_COMPLETION_TOKENS : 0;
    const completion = Number.isFinite(cap) && cap >= 0 ? Math.min(cap, usual) : usual;
    const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
    this.#reservations.set(ctx, this.budgets.reserve({
      provider: target.provider, model: target.model, alias: aliasOf(ctx), tags: ctx.tags, usd: costOf(usage, this.#prices.priceOf(target)), tokens: prompt + completion,
    }));
  }

  /** Count a finished request's spend (budgets at once, SQLite in batches). Cache hits and coalesced followers spent nothing upstream. */
  recordFinished({ ctx, summary }: FinishedRequest): void {
    this.#reservations.get(ctx)?.();
    this.#reservations.delete(ctx);
    if (!ctx.served || !ctx.usage || SERVED_WITHOUT_UPSTREAM.has(ctx.cacheResult)) return;
    if (ctx.endpoint === 'chat' && !ctx.usage.estimated) {
      const key = targetKey(ctx.served);
      const seen = ctx.usage.completion_tokens ?? 0;
      const before = this.#completions.get(key);
      this.#completions.set(key, before === undefined ? seen : before + 0.2 * (seen - before));
    }
    const alias = aliasOf(ctx);
    const prompt = ctx.usage.prompt_tokens ?? 0;
    const completion = ctx.usage.completion_tokens ?? 0;
    this.#spendWriter.add({
      ts: summary.ts, requestId: ctx.id, provider: ctx.served.provider, model: ctx.served.model, alias, tags: ctx.tags,
      promptTokens: prompt, completionTokens: completion, costUsd: ctx.costUsd,
    });
    this.budgets.record({ provider: ctx.served.provider, model: ctx.served.model, alias, tags: ctx.tags, usd: ctx.costUsd, tokens: prompt + completion });
  }

  /** Write the spend rows still waiting (before reading spend from SQLite). */
  flushSpend(): void {
    this.#spendWriter.flush();
  }

  /** On shutdown: the last spend rows go to SQLite. */
  close(): void {
    this.#spendWriter.close();
  }

  breakerStates(): BreakerState[] {
    return this.breakers.snapshot();
  }

  budgetStatuses(): BudgetStatusView[] {
    const byId = new Map(this.#config.budgets.map((b) => [b.id, b]));
    return this.budgets.statuses().map((s) => ({ ...s, onExhausted: byId.get(s.id)?.onExhausted ?? 'refuse' }));
  }

  /** The event each enabled budget past a mark raised (for the alerts, which start listening after budgets load). */
  budgetMarks(): BudgetEvent[] {
    return this.budgets.marks();
  }

  /** The largest fraction used among enabled daily and monthly budgets (null: none). */
  budgetUsage(): { daily: number | null; monthly: number | null } {
    let daily: number | null = null;
    let monthly: number | null = null;
    for (const s of this.budgetStatuses()) {
      if (this.#config.budgets.find((b) => b.id === s.id)?.enabled === false) continue;
      const f = Number.isFinite(s.fraction) ? s.fraction : 1;
      if (s.period === 'day') daily = Math.max(daily ?? 0, f);
      else monthly = Math.max(monthly ?? 0, f);
    }
    return { daily, monthly };
  }

  health(): ProviderHealth[] {
    const breakers = this.breakers.snapshot();
    return this.#o.providers().map((p) => {
      const own = breakers.filter((b) => b.target.startsWith(`${p.id}/`));
      const state = own.reduce<BreakerStateName>((w, b) => (SEVERITY[b.state] > SEVERITY[w] ? b.state : w), 'closed');
      const { attempts, errors } = this.#attempts.stats(p.id);
      const lat = this.#providerLatency.get(p.id);
      return {
        provider: p.id, type: p.type, label: p.label ?? p.id, enabled: p.enabled !== false, state, breakers: own,
        recentAttempts: attempts, recentErrors: errors, errorRate: attempts ? errors / attempts : 0,
        latencyMs: lat === undefined ? null : Math.round(lat * 1000) / 1000,
      };
    });
  }

  prices(): PriceRow[] {
    const overrides = this.#config.prices ?? {};
    return this.#prices.entries().map(([model, p]) => ({ model, input: p.input, output: p.output, source: model in overrides ? 'override' : 'builtin' }));
  }

  setPrices(overrides: Record<string, ModelPrice>): PriceRow[] {
    this.save({ ...this.#config, prices: overrides }, 'prices');
    return this.prices();
  }
}
