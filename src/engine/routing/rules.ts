// The rule matcher: a pure function of (rules, request). Rules are compiled once (globs, sets);
// matching a request walks them in order and stops at the first whose conditions all hold.
import type { ComplexityClass, RoutingRule } from '../../shared/routing.ts';
import type { Endpoint } from '../../shared/targets.ts';
import { compileGlobSpec, testGlob, type GlobSpec } from './glob.ts';
import { ruleReason } from './route-sayings.ts';

/** What routing needs to know about a request (see summarizeRequest). */
export interface RouteRequest {
  /** The model the client asked for (an alias, `auto`, `provider/model` or a plain name). */
  model: string;
  endpoint: Endpoint;
  tags: readonly string[];
  promptTokens: number;
  /** Null when not classified (non-chat endpoints). */
  complexity: ComplexityClass | null;
}

export interface CompiledRule {
  readonly rule: RoutingRule;
  readonly enabled: boolean;
  readonly models: GlobSpec[] | null;
  readonly endpoints: ReadonlySet<Endpoint> | null;
  /** Bit per endpoint; 0 = any. */
  readonly endpointMask: number;
  readonly tags: readonly string[] | null;
  readonly complexity: ReadonlySet<ComplexityClass> | null;
  /** Bit per class; 0 = any. */
  readonly complexityMask: number;
  readonly minTokens: number;
  readonly maxTokens: number;
}

/** The first condition a request fails, or null when the rule matches. */
export type RuleMiss = 'disabled' | 'model' | 'endpoint' | 'tags' | 'minPromptTokens' | 'maxPromptTokens' | 'complexity';

const ENDPOINT_BIT: Record<Endpoint, number> = { chat: 1, embeddings: 2, speech: 4 };
const CLASS_BIT: Record<ComplexityClass, number> = { simple: 1, medium: 2, complex: 4, 'very-complex': 8 };

export function compileRule(rule: RoutingRule): CompiledRule {
  const w = rule.when ?? {};
  return {
    rule,
    enabled: rule.enabled === true,
    models: w.model?.length ? w.model.map(compileGlobSpec) : null,
    endpoints: w.endpoint?.length ? new Set(w.endpoint) : null,
    endpointMask: (w.endpoint ?? []).reduce((m, e) => m | (ENDPOINT_BIT[e] ?? 0), 0),
    tags: w.tags?.length ? w.tags.map((t) => t.trim().toLowerCase()) : null, // request tags are lower-cased too (api/tags.ts)
    complexity: w.complexity?.length ? new Set(w.complexity) : null,
    complexityMask: (w.complexity ?? []).reduce((m, c) => m | (CLASS_BIT[c] ?? 0), 0),
    minTokens: w.minPromptTokens ?? -Infinity,
    maxTokens: w.maxPromptTokens ?? Infinity,
  };
}

export function compileRules(rules: readonly RoutingRule[]): CompiledRule[] {
  return rules.map(compileRule);
}

/** Cheapest checks first (flags and numbers), string work last. */
export function ruleMiss(c: CompiledRule, req: RouteRequest, modelOk?: boolean): RuleMiss | null {
  if (!c.enabled) return 'disabled';
  if (modelOk === false) return 'model';
  if (c.endpointMask !== 0 && (c.endpointMask & ENDPOINT_BIT[req.endpoint]) === 0) return 'endpoint';
  if (req.promptTokens < c.minTokens) return 'minPromptTokens';
  if (req.promptTokens > c.maxTokens) return 'maxPromptTokens';
  if (c.complexityMask !== 0 && (req.complexity == null || (c.complexityMask & CLASS_BIT[req.complexity]) === 0)) return 'complexity';
  const tags = c.tags;
  if (tags !== null) for (let i = 0; i < tags.length; i++) if (!req.tags.includes(tags[i])) return 'tags';
  if (modelOk === true) return null;
  const models = c.models;
  if (models !== null) {
    let any = false;
    for (let i = 0; i < models.length; i++) if (testGlob(models[i], req.model)) { any = true; break; }
    if (!any) return 'model';
  }
  return null;
}

/** Per rule, 1 when its model condition holds for `model` (or it has none). Worth caching per model name. */
export function modelHits(rules: readonly CompiledRule[], model: string): Uint8Array {
  const out = new Uint8Array(rules.length);
  for (let i = 0; i < rules.length; i++) {
    const models = rules[i].models;
    let ok = models === null;
    if (models !== null) for (let j = 0; j < models.length && !ok; j++) ok = testGlob(models[j], model);
    out[i] = ok ? 1 : 0;
  }
  return out;
}

/** Index of the first matching rule, or -1. `hits` (from modelHits for req.model) saves the glob tests. */
export function findRule(rules: readonly CompiledRule[], req: RouteRequest, hits?: Uint8Array): number {
  if (hits) {
    for (let i = 0; i < rules.length; i++) if (ruleMiss(rules[i], req, hits[i] === 1) === null) return i;
    return -1;
  }
  for (let i = 0; i < rules.length; i++) if (ruleMiss(rules[i], req) === null) return i;
  return -1;
}

/** A sentence saying why a rule did not match (or that it did); route-sayings.ts also says it as data. */
export function describeMiss(c: CompiledRule, req: RouteRequest, miss: RuleMiss | null): string {
  return ruleReason(c, req, miss).text;
}
