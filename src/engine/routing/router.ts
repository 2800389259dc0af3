// resolveRoute: from (routing config, request summary, state) to the ordered targets to try, the rule
// that decided, its cache policy and timeout, and an explanation. Pure: everything it reads comes in
// through its arguments, so the same inputs always give the same decision.
import type { ModelPrice } from '../../shared/config.ts';
import type {
  BudgetConfig, CandidateExplanation, ComplexityClass, RouteExplanation, RoutingConfig, RoutingStrategy,
  RuleCachePolicy, RuleEvaluation,
} from '../../shared/routing.ts';
import { COMPLEXITY_CLASSES } from '../../shared/routing.ts';
import { targetKey, type Endpoint, type Target } from '../../shared/targets.ts';
import type { TraceSaying } from '../../shared/trace.ts';
import { BadRequestError, BudgetExceededError, ServiceUnavailableError, UnknownModelError, type SluiceError } from '../errors.ts';
import { orderIndexes, orderTargets } from './balancer.ts';
import { blendedPrice } from './pricing.ts';
import {
  budgetDowngradedStep, budgetExhausted, budgetNoCheaperStep, budgetRefusedStep, candidateStep, candidatesStep, FROM_CATALOG, FROM_EXPLICIT, FROM_RULE, fromAlias,
  fromClass, fromRuleAlias, NO_RULES_STEP, NO_TARGET_STEP, noRuleMatchedStep, noSourceStep, noTarget, REASON_BREAKER_OPEN, REASON_OK,
  REASON_OPEN_BUT_ALONE, REASON_PROVIDER_DISABLED, REASON_UNKNOWN_PROVIDER, reasonBudget, reasonEndpoint, refusedStep, requestStep,
  RULE_NOT_EVALUATED, ruleMatchedStep, ruleReason, unknownModel, willTryStep, wrongEndpoint, type Said,
} from './route-sayings.ts';
import { compileRules, findRule, modelHits, ruleMiss, type CompiledRule, type RouteRequest } from './rules.ts';

export interface ProviderAvailability {
  enabled: boolean;
  endpoints: ReadonlySet<Endpoint>;
}

/** What the router may look at besides the config; the engine builds it from live objects. */
export interface RouterState {
  /** True when the target's breaker refuses calls now. */
  breakerOpen(targetKey: string): boolean;
  budgetExhausted(budgetId: string): boolean;
  latencyMs(targetKey: string): number | undefined;
  /** Undefined: no such provider. */
  provider(id: string): ProviderAvailability | undefined;
  price(target: Target): ModelPrice | undefined;
  random(): number;
  /** Targets for a plain model name that no rule or alias claims (the model catalog). */
  resolveModel?(model: string, endpoint: Endpoint): Target[];
}

/** A list of targets with their `provider/model` keys computed once. */
interface TargetList {
  readonly targets: readonly Target[];
  readonly keys: readonly string[];
  readonly strategy: RoutingStrategy;
  readonly weights?: readonly number[];
  readonly from: Said;
}

export interface CompiledRouting {
  readonly config: RoutingConfig;
  readonly rules: CompiledRule[];
  /** Per rule, its targets (directly or through its alias). */
  readonly ruleTargets: readonly TargetList[];
  readonly aliases: ReadonlyMap<string, TargetList>;
  readonly classes: ReadonlyMap<ComplexityClass, TargetList>;
  readonly requestBudgets: readonly BudgetConfig[];
  readonly targetBudgets: readonly BudgetConfig[];
  /** Which rules' model globs match a model name, memoised (bounded): a cache of a pure function. */
  readonly modelHits: Map<string, Uint8Array>;
}

const MODEL_HITS_MAX = 4096;

function hitsFor(c: CompiledRouting, model: string): Uint8Array {
  let h = c.modelHits.get(model);
  if (h === undefined) {
    if (c.modelHits.size >= MODEL_HITS_MAX) c.modelHits.clear();
    h = modelHits(c.rules, model);
    c.modelHits.set(model, h);
  }
  return h;
}

export interface RouteRefusal {
  budget: string;
  message: string;
  /** The message as data, for the panel. */
  say: TraceSaying;
}

export interface RouteDecision {
  targets: Target[];
  rule: { id: string; name: string } | null;
  complexity: ComplexityClass | null;
  /** The matched rule's cache policy (incl. semantic options); null: the config's defaults. */
  cache: RuleCachePolicy | null;
  timeoutMs: number | null;
  /** Set when a budget refuses the request outright. */
  refusal: RouteRefusal | null;
  /** Built on first read (routing itself does not pay for the prose). */
  readonly explanation: RouteExplanation;
}

function list(targets: readonly Target[], strategy: RoutingStrategy, weights: readonly number[] | undefined, from: Said): TargetList {
  return { targets, keys: targets.map(targetKey), strategy, weights, from };
}

export function compileRouting(config: RoutingConfig): CompiledRouting {
  const enabled = config.budgets.filter((b) => b.enabled !== false);
  const aliases = new Map(config.aliases.map((a) => [a.name, list(a.targets, a.strategy ?? 'fallback', a.weights, fromAlias(a.name))]));
  const rules = compileRules(config.rules);
  const ruleTargets = config.rules.map((r) => {
    const a = r.action;
    if (a.alias !== undefined) {
      const al = config.aliases.find((x) => x.name === a.alias);
      return list(al?.targets ?? [], a.strategy ?? al?.strategy ?? 'fallback', a.weights ?? al?.weights, fromRuleAlias(a.alias));
    }
    return list(a.targets ?? [], a.strategy ?? 'fallback', a.weights, FROM_RULE);
  });
  const classes = new Map<ComplexityClass, TargetList>();
  for (const cls of COMPLEXITY_CLASSES) {
    const start = COMPLEXITY_CLASSES.indexOf(cls);
    // the class itself, then stronger classes, then weaker ones
    const order = [...COMPLEXITY_CLASSES.slice(start), ...COMPLEXITY_CLASSES.slice(0, start).reverse()];
    const found = order.find((k) => config.classTargets[k]?.length);
    if (found) classes.set(cls, list(config.classTargets[found]!, 'fallback', undefined, fromClass(found)));
  }
  return {
    config, rules, ruleTargets, aliases, classes, modelHits: new Map(),
    requestBudgets: enabled.filter((b) => b.scope === 'alias' || b.scope === 'tag'),
    targetBudgets: enabled.filter((b) => b.scope === 'provider' || b.scope === 'model'),
  };
}

/** Whether a request for `model` needs its complexity class: model `auto`, or a rule that looks at it. */
export function needsComplexity(c: CompiledRouting, model: string): boolean {
  if (model === 'auto' && !c.aliases.has('auto')) return true;
  for (const r of c.rules) if (r.enabled && r.complexityMask !== 0) return true;
  return false;
}

function sourceOf(c: CompiledRouting, req: RouteRequest, ruleIdx: number, state: RouterState): TargetList | null {
  if (ruleIdx >= 0) return c.ruleTargets[ruleIdx];
  const alias = c.aliases.get(req.model);
  if (alias) return alias;
  if (req.model === 'auto') {
    const ct = c.classes.get(req.complexity ?? 'medium');
    if (ct) return ct;
  }
  const slash = req.model.indexOf('/');
  if (slash > 0 && state.provider(req.model.slice(0, slash))) {
    return list([{ provider: req.model.slice(0, slash), model: req.model.slice(slash + 1) }], 'fallback', undefined, FROM_EXPLICIT);
  }
  const resolved = state.resolveModel?.(req.model, req.endpoint);
  if (resolved?.length) return list(resolved, 'fallback', undefined, FROM_CATALOG);
  return null;
}

function appliesToTarget(b: BudgetConfig, t: Target, key: string): boolean {
  return b.scope === 'provider' ? t.provider === b.match : t.model === b.match || key === b.match;
}

function appliesToRequest(b: BudgetConfig, req: RouteRequest): boolean {
  // request tags are lower case (api/tags.ts), and the tracker counts spend against the tag the same way
  return b.scope === 'alias' ? req.model === b.match : req.tags.includes(b.match.trim().toLowerCase());
}

/** `noCheaper`: a budget that downgrades, refusing because nothing cheaper is left to move to. */
function refusalOf(b: BudgetConfig, noCheaper: boolean): RouteRefusal {
  const s = budgetExhausted(b, noCheaper);
  return { budget: b.id, message: s.text, say: s.say };
}

export function resolveRoute(config: RoutingConfig | CompiledRouting, req: RouteRequest, state: RouterState): RouteDecision {
  return route(compiled(config), req, state, true);
}

/**
 * The decision as if no budget that refuses had run out (those that downgrade still apply): the targets
 * a refused request would have used, on which its cache entries are keyed. A downgrading budget with
 * nothing cheaper to move to refuses, so it too counts as not run out here.
 */
export function resolveRouteUnrefused(config: RoutingConfig | CompiledRouting, req: RouteRequest, state: RouterState): RouteDecision {
  return route(compiled(config), req, state, false);
}

function compiled(config: RoutingConfig | CompiledRouting): CompiledRouting {
  return config.aliases instanceof Map ? config as CompiledRouting : compileRouting(config as RoutingConfig);
}

/** `refusing` false: a budget that would refuse the request is passed over as if it had not run out. */
function route(c: CompiledRouting, req: RouteRequest, state: RouterState, refusing: boolean): RouteDecision {
  const ruleIdx = findRule(c.rules, req, hitsFor(c, req.model));
  const src = sourceOf(c, req, ruleIdx, state);
  let budgetSteps: Said[] | null = null;
  let refusal: RouteRefusal | null = null;
  // the ordered candidates and their keys; fresh arrays only when the order differs from the source
  let tl: readonly Target[] = [];
  let kl: readonly string[] = [];
  const cost = (t: Target) => blendedPrice(state.price(t));

  if (src) {
    tl = src.targets;
    kl = src.keys;
    if (src.strategy !== 'fallback' && tl.length > 1) {
      const metric = src.strategy === 'least-latency' ? (i: number) => state.latencyMs(src.keys[i])
        : src.strategy === 'lowest-cost' ? (i: number) => cost(src.targets[i]) : undefined;
      const order = orderIndexes(tl.length, src.strategy, { weights: src.weights, random: state.random, metric });
      tl = order.map((i) => src.targets[i]);
      kl = order.map((i) => src.keys[i]);
    }
    // request-wide budgets (alias, tag)
    for (const b of c.requestBudgets) {
      if (!appliesToRequest(b, req) || !state.budgetExhausted(b.id)) continue;
      const cheaper = b.onExhausted === 'downgrade' ? downgrade(tl, kl, b, cost) : null;
      if (cheaper) {
        tl = cheaper;
        kl = tl.map(targetKey);
        (budgetSteps ??= []).push(budgetDowngradedStep(b.id, kl));
        continue;
      }
      // a refusing budget, or a downgrade with nothing cheaper to move to: the budget would be spent anyway
      if (!refusing) continue;
      refusal = refusalOf(b, b.onExhausted === 'downgrade');
      (budgetSteps ??= []).push(b.onExhausted === 'refuse' ? budgetRefusedStep(b.id) : budgetNoCheaperStep(b.id));
      tl = [];
      kl = [];
      break;
    }
  }

  const kept: Target[] = [];
  // per candidate why it is kept or skipped; null: a duplicate, left out of the explanation
  const reasons: (Said | null)[] = [];
  let refusedByBudget: BudgetConfig | null = null;
  let refusedNoCheaper = false;
  for (let i = 0; i < tl.length; i++) {
    const t = tl[i];
    const key = kl[i];
    if (kl.indexOf(key) < i) { reasons.push(null); continue; }
    const p = state.provider(t.provider);
    let reason: Said | null = null;
    if (p === undefined) reason = REASON_UNKNOWN_PROVIDER;
    else if (!p.enabled) reason = REASON_PROVIDER_DISABLED;
    else if (!p.endpoints.has(req.endpoint)) reason = reasonEndpoint(req.endpoint);
    else if (state.breakerOpen(key)) reason = REASON_BREAKER_OPEN;
    else {
      for (const b of c.targetBudgets) {
        if (!appliesToTarget(b, t, key) || !state.budgetExhausted(b.id)) continue;
        if (b.onExhausted === 'downgrade') {
          // in its place: the budget's downgrade targets, else the remaining candidates cheapest first
          const rest = tl.slice(i + 1);
          const instead = b.downgradeTo?.length
            ? [...b.downgradeTo.filter((d) => !kl.includes(targetKey(d))), ...rest]
            : orderTargets(rest, 'lowest-cost', { random: () => 0, cost });
          if (instead.length) {
            reason = reasonBudget(b.id, true);
            tl = [...tl.slice(0, i + 1), ...instead];
            kl = tl.map(targetKey);
            break;
          }
        }
        // a refusing budget, or a downgrade with nothing left to move to
        if (!refusing) continue;
        reason = reasonBudget(b.id, false);
        if (!refusedByBudget) {
          refusedByBudget = b;
          refusedNoCheaper = b.onExhausted === 'downgrade';
        }
        break;
      }
    }
    reasons.push(reason ?? REASON_OK);
    if (reason === null) kept.push(t);
  }
  if (kept.length === 0 && refusedByBudget && !refusal) refusal = refusalOf(refusedByBudget, refusedNoCheaper);
  // every usable candidate has its breaker open: better the real upstream's answer than a blanket refusal
  if (kept.length === 0 && !refusal) {
    for (let i = 0; i < reasons.length; i++) {
      if (reasons[i] !== REASON_BREAKER_OPEN) continue;
      reasons[i] = REASON_OPEN_BUT_ALONE;
      kept.push(tl[i]);
    }
  }
  return new Decision(c, req, ruleIdx, src, kl, reasons, kept, budgetSteps, refusal);
}

class Decision implements RouteDecision {
  readonly targets: Target[];
  readonly rule: { id: string; name: string } | null;
  readonly complexity: ComplexityClass | null;
  readonly cache: RuleCachePolicy | null;
  readonly timeoutMs: number | null;
  readonly refusal: RouteRefusal | null;
  #explain: () => RouteExplanation;
  #explanation: RouteExplanation | null = null;

  constructor(
    c: CompiledRouting, req: RouteRequest, ruleIdx: number, src: TargetList | null, kl: readonly string[],
    reasons: (Said | null)[], kept: Target[], budgetSteps: Said[] | null, refusal: RouteRefusal | null,
  ) {
    const r = ruleIdx >= 0 ? c.rules[ruleIdx].rule : null;
    this.targets = kept;
    this.rule = r ? { id: r.id, name: r.name } : null;
    this.complexity = req.complexity;
    this.cache = r?.action.cache ?? null;
    this.timeoutMs = r?.action.timeoutMs ?? null;
    this.refusal = refusal;
    this.#explain = () => {
      const candidates: CandidateExplanation[] = [];
      for (let i = 0; i < reasons.length; i++) {
        const r = reasons[i];
        if (r !== null) candidates.push({ target: kl[i], kept: r === REASON_OK || r === REASON_OPEN_BUT_ALONE, reason: r.text, say: r.say });
      }
      return explain(c, req, ruleIdx, src, candidates, kept, budgetSteps ?? [], refusal);
    };
  }

  get explanation(): RouteExplanation {
    this.#explanation ??= this.#explain();
    return this.#explanation;
  }
}

/**
 * Where a request-wide budget downgrades the candidates to: its `downgradeTo`, else the candidates
 * cheaper than the dearest of them, cheapest first (an unknown price counts as the dearest). Null when
 * that moves nowhere: `downgradeTo` names just the candidates themselves, or nothing is cheaper.
 */
function downgrade(targets: readonly Target[], keys: readonly string[], b: BudgetConfig, cost: (t: Target) => number | undefined): Target[] | null {
  if (b.downgradeTo?.length) {
    const to = b.downgradeTo.map(targetKey);
    const same = to.every((k) => keys.includes(k)) && keys.every((k) => to.includes(k));
    return same ? null : b.downgradeTo.slice();
  }
  const price = (t: Target) => cost(t) ?? Infinity;
  const dearest = Math.max(...targets.map(price));
  const cheaper = orderTargets(targets, 'lowest-cost', { random: () => 0, cost }).filter((t) => price(t) < dearest);
  return cheaper.length ? cheaper : null;
}

function explain(
  c: CompiledRouting, req: RouteRequest, ruleIdx: number, src: TargetList | null,
  candidates: CandidateExplanation[], kept: Target[], budgetSteps: Said[], refusal: RouteRefusal | null,
): RouteExplanation {
  const rules: RuleEvaluation[] = c.rules.map((cr, i) => {
    if (ruleIdx >= 0 && i > ruleIdx) return { id: cr.rule.id, name: cr.rule.name, matched: false, reason: RULE_NOT_EVALUATED.text, say: RULE_NOT_EVALUATED.say };
    const miss = ruleMiss(cr, req);
    const why = ruleReason(cr, req, miss);
    return { id: cr.rule.id, name: cr.rule.name, matched: miss === null, reason: why.text, say: why.say };
  });
  const steps: Said[] = [requestStep(req)];
  if (ruleIdx >= 0) steps.push(ruleMatchedStep(c.rules[ruleIdx].rule.name, c.rules[ruleIdx].rule.id, ruleIdx));
  else steps.push(c.rules.length ? noRuleMatchedStep(c.rules.length) : NO_RULES_STEP);
  steps.push(src ? candidatesStep(src.from, src.strategy, src.keys) : noSourceStep(req.model));
  steps.push(...budgetSteps);
  for (const cand of candidates) steps.push(candidateStep(cand.target, cand.kept, { text: cand.reason, say: cand.say }));
  if (refusal) steps.push(refusedStep({ text: refusal.message, say: refusal.say }));
  else steps.push(kept.length ? willTryStep(kept.map(targetKey)) : NO_TARGET_STEP);
  return {
    requestedModel: req.model,
    endpoint: req.endpoint,
    promptTokens: req.promptTokens,
    complexity: req.complexity,
    rules,
    matchedRule: ruleIdx >= 0 ? c.rules[ruleIdx].rule.id : null,
    source: src?.from.text ?? 'none',
    strategy: src?.strategy ?? 'fallback',
    candidates,
    steps: steps.map((x) => x.text),
    stepSays: steps.map((x) => x.say),
  };
}

/**
 * The error to answer with when a decision leaves nothing to try, with its message as data for the
 * panel; null when there are targets.
 */
export function routeFailureSaid(d: RouteDecision, requestedModel: string, unknownModelHint: () => string | Said = () => ''): { error: SluiceError; say: TraceSaying } | null {
  if (d.targets.length) return null;
  if (d.refusal) return { error: new BudgetExceededError(d.refusal.message), say: d.refusal.say };
  const skipped = d.explanation.candidates.map((s) => ({ target: s.target, reason: { text: s.reason, say: s.say } }));
  if (skipped.length === 0) {
    const hint = unknownModelHint();
    return { error: new UnknownModelError(requestedModel, typeof hint === 'string' ? hint : hint.text), say: unknownModel(requestedModel, hint).say };
  }
  // every target is one that can never serve this endpoint: the caller's mistake, not an outage to retry
  if (d.explanation.candidates.every((s) => s.say.id === 'explain.reason.endpoint')) {
    const said = wrongEndpoint(requestedModel, d.explanation.endpoint, skipped);
    return { error: new BadRequestError(said.text, 'model', 'SLUICE_WRONG_ENDPOINT'), say: said.say };
  }
  const said = noTarget(requestedModel, skipped);
  return { error: new ServiceUnavailableError(said.text, 'SLUICE_NO_TARGET'), say: said.say };
}
