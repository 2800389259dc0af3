// The routing decision's sentences, each made once as the engine's English (explain's `steps`, a
// candidate's or rule's `reason`, the error message: what API users read) and as a saying the panel
// words in the reader's language (src/shared/trace.ts). Built side by side so the two cannot drift;
// test/trace-sayings.test.ts holds the panel's English equal to these texts.
import type { BudgetConfig, ComplexityClass } from '../../shared/routing.ts';
import type { Endpoint } from '../../shared/targets.ts';
import type { TraceSaying } from '../../shared/trace.ts';
import { said, type Said } from '../sayings.ts';
import type { CompiledRule, RouteRequest, RuleMiss } from './rules.ts';

export type { Said };

// ---- where the candidates came from -------------------------------------------------------------

export const FROM_RULE = said('rule', 'explain.from.rule');
export const FROM_EXPLICIT = said('explicit provider/model', 'explain.from.explicit');
export const FROM_CATALOG = said('model catalog', 'explain.from.catalog');
export const fromAlias = (alias: string) => said(`alias '${alias}'`, 'explain.from.alias', { alias });
export const fromRuleAlias = (alias: string) => said(`rule → alias '${alias}'`, 'explain.from.ruleAlias', { alias });
export const fromClass = (cls: ComplexityClass) => said(`class ${cls}`, 'explain.from.class', { class: cls });

// ---- why a candidate was kept or skipped (constants: the route pays nothing for the common ones) ---

export const REASON_OK = said('ok', 'explain.reason.ok');
export const REASON_UNKNOWN_PROVIDER = said('unknown provider', 'explain.reason.unknownProvider');
export const REASON_PROVIDER_DISABLED = said('provider disabled', 'explain.reason.providerDisabled');
export const REASON_BREAKER_OPEN = said('breaker open', 'explain.reason.breakerOpen');
export const REASON_OPEN_BUT_ALONE = said('breaker open, tried anyway: no other target', 'explain.reason.openButAlone');
export const reasonEndpoint = (endpoint: Endpoint) => said(`endpoint ${endpoint} unsupported`, 'explain.reason.endpoint', { endpoint });
export const reasonBudget = (budget: string, downgrading: boolean) =>
  said(`budget '${budget}' exhausted${downgrading ? ', downgrading' : ''}`, 'explain.reason.budget', { budget, downgrading: downgrading ? 1 : 0 });

// ---- the steps ------------------------------------------------------------------------------------

export function requestStep(req: RouteRequest): Said {
  const text = `request for '${req.model}' on ${req.endpoint}, ~${req.promptTokens} prompt tokens${req.complexity ? `, complexity ${req.complexity}` : ''}${req.tags.length ? `, tags ${req.tags.join(', ')}` : ''}`;
  return said(text, 'explain.request', {
    model: req.model, endpoint: req.endpoint, tokens: req.promptTokens, complexity: req.complexity ?? null, tags: req.tags.length ? [...req.tags] : null,
  });
}

export const ruleMatchedStep = (name: string, id: string, before: number) =>
  said(`rule '${name}' (${id}) matched after ${before} that did not`, 'explain.ruleMatched', { rule: name, id, before });
export const noRuleMatchedStep = (rules: number) => said(`none of ${rules} rules matched`, 'explain.noRuleMatched', { rules });
export const NO_RULES_STEP = said('no routing rules', 'explain.noRules');

export const candidatesStep = (from: Said, strategy: string, targets: readonly string[]) =>
  said(`candidates from ${from.text} with strategy ${strategy}: ${targets.join(', ') || 'none'}`, 'explain.candidates', { from: from.say, strategy, targets: [...targets] });
export const noSourceStep = (model: string) => said(`no rule, alias or provider serves '${model}'`, 'explain.noSource', { model });

export const budgetRefusedStep = (budget: string) => said(`budget '${budget}' is exhausted: request refused`, 'explain.budgetRefused', { budget });
/** A budget that downgrades, with nothing cheaper than the candidates to move to: it refuses instead. */
export const budgetNoCheaperStep = (budget: string) =>
  said(`budget '${budget}' is exhausted and nothing cheaper is left to downgrade to: request refused`, 'explain.budgetNoCheaper', { budget });
export const budgetDowngradedStep = (budget: string, targets: readonly string[]) =>
  said(`budget '${budget}' is exhausted: downgraded to ${targets.join(', ') || 'nothing'}`, 'explain.budgetDowngraded', { budget, targets: [...targets] });

export const candidateStep = (target: string, kept: boolean, reason: Said) => (kept
  ? said(`${target}: kept`, 'explain.kept', { target })
  : said(`${target}: skipped (${reason.text})`, 'explain.skipped', { target, reason: reason.say }));

export const refusedStep = (refusal: Said) => said(`refused: ${refusal.text}`, 'explain.refused', { reason: refusal.say });
/** The proxy refuses the body before routing it (explain): the error's sentence when it has one, else its words. */
export const invalidBodyStep = (error: { message: string; say: TraceSaying | null }) =>
  said(`the body is refused before routing: ${error.message}`, 'explain.invalidBody', { error: error.say ?? error.message });
/** The first target's provider refuses the request before calling anyone (explain). */
export const targetRefusesStep = (target: string, error: { message: string; say: TraceSaying | null }) =>
  said(`${target} refuses the request: ${error.message}`, 'explain.targetRefuses', { target, error: error.say ?? error.message });
/** The first target's provider refused the request before the cache looked or anyone was called (the proxy's trace). */
export const targetRefusedStep = (target: string, error: { message: string; say: TraceSaying | null }) =>
  said(`${target} refused the request: ${error.message}`, 'route.targetRefused', { target, error: error.say ?? error.message });
export const willTryStep = (targets: readonly string[]) => said(`will try ${targets.join(' → ')}`, 'explain.willTry', { targets: targets.join(' → ') });
export const NO_TARGET_STEP = said('no target is available', 'explain.noTarget');

// ---- why a rule matched or not --------------------------------------------------------------------

const quoted = (xs: readonly string[], sep: string) => xs.map((m) => `'${m}'`).join(sep);

/** A sentence saying why a rule did not match (or that it did). */
export function ruleReason(c: CompiledRule, req: RouteRequest, miss: RuleMiss | null): Said {
  const w = c.rule.when ?? {};
  switch (miss) {
    case null: {
      const parts: string[] = [];
      const ranged = w.minPromptTokens != null || w.maxPromptTokens != null;
      if (c.endpoints) parts.push(`endpoint ${req.endpoint}`);
      if (c.models) parts.push(`model '${req.model}' matches ${quoted(w.model!, ' or ')}`);
      if (c.tags) parts.push(`tags ${c.tags.join(', ')} present`);
      if (ranged) parts.push(`~${req.promptTokens} prompt tokens within [${w.minPromptTokens ?? 0}, ${w.maxPromptTokens ?? '∞'}]`);
      if (c.complexity) parts.push(`complexity ${req.complexity}`);
      return said(parts.length ? `matched: ${parts.join('; ')}` : 'matched: no conditions', 'explain.rule.matched', {
        endpoint: c.endpoints ? req.endpoint : null,
        model: c.models ? req.model : null,
        patterns: c.models ? [...w.model!] : null,
        tags: c.tags ? [...c.tags] : null,
        tokens: ranged ? req.promptTokens : null,
        min: ranged ? w.minPromptTokens ?? 0 : null,
        max: ranged ? w.maxPromptTokens ?? '∞' : null,
        complexity: c.complexity ? req.complexity : null,
      });
    }
    case 'disabled': return said('rule is disabled', 'explain.rule.disabled');
    case 'endpoint': return said(`endpoint ${req.endpoint} is not one of ${[...c.endpoints!].join(', ')}`, 'explain.rule.endpoint', { endpoint: req.endpoint, endpoints: [...c.endpoints!] });
    case 'model': return said(`model '${req.model}' matches none of ${quoted(w.model!, ', ')}`, 'explain.rule.model', { model: req.model, patterns: [...w.model!] });
    case 'tags': {
      const tag = c.tags!.find((t) => !req.tags.includes(t))!;
      return said(`tag '${tag}' is missing (request tags: ${req.tags.length ? req.tags.join(', ') : 'none'})`, 'explain.rule.tags', { tag, tags: req.tags.length ? [...req.tags] : null });
    }
    case 'minPromptTokens': return said(`~${req.promptTokens} prompt tokens is below the minimum ${w.minPromptTokens}`, 'explain.rule.minTokens', { tokens: req.promptTokens, min: w.minPromptTokens! });
    case 'maxPromptTokens': return said(`~${req.promptTokens} prompt tokens is above the maximum ${w.maxPromptTokens}`, 'explain.rule.maxTokens', { tokens: req.promptTokens, max: w.maxPromptTokens! });
    case 'complexity': return req.complexity == null
      ? said('complexity is not known for this request', 'explain.rule.complexityUnknown')
      : said(`complexity ${req.complexity} is not one of ${[...c.complexity!].join(', ')}`, 'explain.rule.complexity', { complexity: req.complexity, classes: [...c.complexity!] });
  }
}

export const RULE_NOT_EVALUATED = said('not evaluated: an earlier rule matched', 'explain.rule.notEvaluated');

// ---- the error a request gets when nothing is left ------------------------------------------------

/** `noCheaper`: the budget downgrades, but nothing cheaper was left to move to. */
export function budgetExhausted(b: BudgetConfig, noCheaper = false): Said {
  const text = `Budget '${b.id}' (${b.scope} '${b.match}', ${b.limit} ${b.unit === 'usd' ? 'USD' : 'tokens'} per ${b.period}) is exhausted`;
  const vars = { budget: b.id, scope: b.scope, match: b.match, limit: b.limit, unit: b.unit, period: b.period };
  return noCheaper
    ? said(`${text} and has no cheaper target to downgrade to.`, 'route.budgetNoCheaper', vars)
    : said(`${text}.`, 'route.budgetExhausted', vars);
}

export const unknownModel = (model: string, hint: string | Said) => {
  const text = typeof hint === 'string' ? hint : hint.text;
  return said(`The model '${model}' does not exist or no provider serves it.${text ? ` ${text}` : ''}`, 'route.unknownModel', {
    model, hint: typeof hint === 'string' ? hint || null : hint.say,
  });
};

/**
 * What a client whose model nobody serves is told: some models that serve the endpoint (`shown`,
 * already cut short), or that none does; and, when only built-in or local providers are set up, how
 * to reach a real server.
 */
export function modelsHint(endpoint: Endpoint, shown: string, count: number, remote: boolean): Said {
  const served = count > 0 ? `Models for ${endpoint} here: ${shown} (GET /v1/models lists them all).` : `No provider here serves ${endpoint}.`;
  const text = remote ? served : `${served} To reach OpenAI or another compatible server, set OPENAI_API_KEY (and OPENAI_BASE_URL) before starting Sluice, or add a provider on the panel's Settings page.`;
  return said(text, 'route.hint', { endpoint, models: count > 0 ? shown : null, remote: remote ? 1 : 0 });
}

const skippedList = (skipped: ReadonlyArray<{ target: string; reason: Said }>) => ({
  text: skipped.map((s) => `${s.target} (${s.reason.text})`).join(', '),
  says: skipped.map((s) => ({ id: 'route.skippedTarget', vars: { target: s.target, reason: s.reason.say } }) satisfies TraceSaying),
});

export function wrongEndpoint(model: string, endpoint: Endpoint, skipped: ReadonlyArray<{ target: string; reason: Said }>): Said {
  const list = skippedList(skipped);
  return said(`No target for '${model}' serves ${endpoint}: ${list.text}.`, 'route.wrongEndpoint', { model, endpoint, targets: list.says });
}

export function noTarget(model: string, skipped: ReadonlyArray<{ target: string; reason: Said }>): Said {
  const list = skippedList(skipped);
  return said(`No target can serve '${model}' now: ${list.text}.`, 'route.noTarget', { model, targets: list.says });
}
