// Pure helpers of the budget form on the Routing page: budget ↔ form, what the panel can tell is wrong
// before sending (each problem next to its field, in the engine's terms: validate-routing.ts), the
// document with a budget added, replaced or removed, and where a refused save's problems belong.
import type { ErrorIssue } from '../../../shared/openai.ts';
import {
  DEFAULT_BUDGET_THRESHOLD, ROUTING_ID, type BudgetConfig, type BudgetPeriod, type BudgetScope, type BudgetUnit, type RoutingConfig,
} from '../../../shared/routing.ts';
import { parseTarget, targetText } from './routing-edit.ts';

export const BUDGET_SCOPES: readonly BudgetScope[] = ['provider', 'model', 'alias', 'tag'];
export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['day', 'month'];
export const BUDGET_UNITS: readonly BudgetUnit[] = ['usd', 'tokens'];
export const BUDGET_ACTIONS: readonly BudgetConfig['onExhausted'][] = ['refuse', 'downgrade'];

/** Longest tag a request can carry (x-sluice-tags): a budget on a longer one would never count anything. */
const MAX_TAG_LENGTH = 64;

/** One budget as the form edits it: free text where the user types, choices where they pick. */
export interface BudgetForm {
  id: string;
  enabled: boolean;
  scope: BudgetScope;
  /** The provider id, model, alias or tag the budget counts. */
  match: string;
  period: BudgetPeriod;
  unit: BudgetUnit;
  limit: string;
  /** Percent of the limit at which to warn; empty for the default (80 %). */
  threshold: string;
  onExhausted: BudgetConfig['onExhausted'];
  /** `provider/model` tried instead once it is used up (downgrade only); empty: the cheapest remaining candidates. */
  downgradeTo: string[];
  /** The budget the form was made from: keys the form does not edit are kept from it. */
  base: BudgetConfig | null;
}

export type BudgetFieldKey =
  | 'id' | 'enabled' | 'scope' | 'match' | 'period' | 'unit' | 'limit' | 'threshold' | 'onExhausted' | 'downgradeTo' | `downgradeTo.${number}`;

/** What the browser can tell is wrong before sending; the component words it in the reader's language. */
export type BudgetProblem =
  | 'required' | 'idChars' | 'idTaken' | 'number' | 'integer' | 'percent' | 'unknownProvider' | 'unknownAlias' | 'tagChars' | 'badTarget';

export interface BudgetLocalIssue { field: BudgetFieldKey; problem: BudgetProblem }

/** What the form's checks need to know of the rest of the document and of the engine. */
export interface BudgetContext {
  /** Ids of the other budgets (the one being edited left out). */
  otherIds: readonly string[];
  /** Provider ids the engine knows; empty while not known (then not checked here). */
  providers: readonly string[];
  /** Alias names a budget may count (the document's, the built-in ones, `auto`). */
  aliases: readonly string[];
}

/** Percent shown for a stored fraction, without float noise (0.07 → "7"). */
const percentText = (fraction: number): string => String(Number((fraction * 100).toPrecision(12)));

/** The form for a budget; tolerant of a hand-written one (a missing field shows empty). */
export function budgetToForm(b: BudgetConfig): BudgetForm {
  const text = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? String(v) : '');
  return {
    id: text(b.id),
    enabled: b.enabled !== false,
    scope: BUDGET_SCOPES.includes(b.scope) ? b.scope : 'provider',
    match: text(b.match),
    period: b.period === 'month' ? 'month' : 'day',
    unit: b.unit === 'tokens' ? 'tokens' : 'usd',
    limit: text(b.limit),
    threshold: typeof b.threshold === 'number' ? percentText(b.threshold) : '',
    onExhausted: b.onExhausted === 'downgrade' ? 'downgrade' : 'refuse',
    downgradeTo: Array.isArray(b.downgradeTo) ? b.downgradeTo.map(targetText) : [],
    base: b,
  };
}

/** A new budget to fill in: `budget-n`, a daily USD cap that refuses, on the first provider; the limit left for the user. */
export function newBudgetForm(existing: readonly BudgetConfig[], providers: readonly string[]): BudgetForm {
  let n = existing.length + 1;
  while (existing.some((b) => b.id === `budget-${n}`)) n += 1;
  return {
    id: `budget-${n}`, enabled: true, scope: 'provider', match: providers[0] ?? '', period: 'day', unit: 'usd', limit: '', threshold: '',
    onExhausted: 'refuse', downgradeTo: [], base: null,
  };
}

/** The form with another scope: a pick from a list starts at its first choice, typed text is kept between model and tag. */
export function withScope(f: BudgetForm, scope: BudgetScope, choices: { providers: readonly string[]; aliases: readonly string[] }): BudgetForm {
  if (scope === f.scope) return f;
  const typed = (s: BudgetScope) => s === 'model' || s === 'tag';
  const match = scope === 'provider' ? choices.providers[0] ?? ''
    : scope === 'alias' ? choices.aliases[0] ?? ''
      : typed(f.scope) ? f.match : '';
  return { ...f, scope, match };
}

/** A number typed in a field; NaN when it is not one (blank included). */
const typed = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text.trim()));

/** A tag as requests carry it: x-sluice-tags is trimmed and compared in lower case. */
export const normalTag = (tag: string): string => tag.trim().toLowerCase();

/** The budget the form describes (checked first with checkBudgetForm). */
export function formToBudget(f: BudgetForm): BudgetConfig {
  const { threshold: _t, downgradeTo: _d, enabled: baseEnabled, ...base } = f.base ?? {} as Partial<BudgetConfig>;
  const match = f.scope === 'tag' ? normalTag(f.match) : f.match.trim();
  const out: BudgetConfig = {
    ...base,
    id: f.id.trim(), scope: f.scope, match, period: f.period, unit: f.unit, limit: typed(f.limit), onExhausted: f.onExhausted,
  };
  if (f.threshold.trim() !== '') {
    // the threshold as it was when its text is as the form showed it (2/3 shows as 66.6666666667), else the
    // typed percent without float noise (0.7 → 0.007, not 0.006999999999999999)
    const was = f.base?.threshold;
    out.threshold = typeof was === 'number' && f.threshold.trim() === percentText(was) ? was : Number((typed(f.threshold) / 100).toPrecision(12));
  }
  if (f.onExhausted === 'downgrade' && f.downgradeTo.length) out.downgradeTo = f.downgradeTo.map((t) => parseTarget(t) ?? { provider: t, model: '' });
  // an explicit `enabled: true` the budget had is kept; a budget that is on needs no key
  if (!f.enabled) out.enabled = false;
  else if (baseEnabled === true) out.enabled = true;
  return out;
}

/** What is plainly wrong, each next to its field; the engine judges the rest when it is saved. */
export function checkBudgetForm(f: BudgetForm, ctx: BudgetContext): BudgetLocalIssue[] {
  const out: BudgetLocalIssue[] = [];
  const id = f.id.trim();
  if (!id) out.push({ field: 'id', problem: 'required' });
  else if (!ROUTING_ID.test(id)) out.push({ field: 'id', problem: 'idChars' });
  else if (ctx.otherIds.includes(id)) out.push({ field: 'id', problem: 'idTaken' });

  const match = f.scope === 'tag' ? normalTag(f.match) : f.match.trim();
  if (!match) out.push({ field: 'match', problem: 'required' });
  else if (f.scope === 'provider' && ctx.providers.length && !ctx.providers.includes(match)) out.push({ field: 'match', problem: 'unknownProvider' });
  else if (f.scope === 'alias' && !ctx.aliases.includes(match)) out.push({ field: 'match', problem: 'unknownAlias' });
  else if (f.scope === 'tag' && (match.length > MAX_TAG_LENGTH || match.includes(','))) out.push({ field: 'match', problem: 'tagChars' });

  const limit = typed(f.limit);
  if (f.limit.trim() === '') out.push({ field: 'limit', problem: 'required' });
  else if (f.unit === 'tokens' && !(Number.isInteger(limit) && limit >= 0)) out.push({ field: 'limit', problem: 'integer' });
  else if (!(Number.isFinite(limit) && limit >= 0)) out.push({ field: 'limit', problem: 'number' });

  if (f.threshold.trim() !== '') {
    const pct = typed(f.threshold);
    if (!(Number.isFinite(pct) && pct > 0 && pct <= 100)) out.push({ field: 'threshold', problem: 'percent' });
  }
  if (f.onExhausted === 'downgrade') {
    f.downgradeTo.forEach((t, i) => {
      const target = parseTarget(t);
      if (!target || (ctx.providers.length && !ctx.providers.includes(target.provider))) out.push({ field: `downgradeTo.${i}`, problem: 'badTarget' });
    });
  }
  return out;
}

/** The warning level a budget uses, as a percentage (its own, else the default). */
export const thresholdPercent = (b: Pick<BudgetConfig, 'threshold'>): number => Math.round((b.threshold ?? DEFAULT_BUDGET_THRESHOLD) * 100);

/** The document with budget `index` replaced (or appended when index is the length, or -1). */
export function withBudget(config: RoutingConfig, index: number, budget: BudgetConfig): RoutingConfig {
  const budgets = [...config.budgets];
  if (index >= 0 && index < budgets.length) budgets[index] = budget;
  else budgets.push(budget);
  return { ...config, budgets };
}

export function withoutBudget(config: RoutingConfig, index: number): RoutingConfig {
  return { ...config, budgets: config.budgets.filter((_, i) => i !== index) };
}

/** An engine's problem with a saved document: the budget it is about (null: elsewhere), and the field when the form shows one. */
export interface BudgetIssue { budget: number | null; path: string; field: BudgetFieldKey | null; message: string }

const FIELDS: readonly BudgetFieldKey[] = ['id', 'enabled', 'scope', 'match', 'period', 'unit', 'limit', 'threshold', 'onExhausted', 'downgradeTo'];

/** The form field a path inside a budget names (`downgradeTo[1].provider` → `downgradeTo.1`), or null. */
export function fieldFromBudgetPath(path: string): BudgetFieldKey | null {
  const target = /^downgradeTo\[(\d+)\]/.exec(path);
  if (target) return `downgradeTo.${Number(target[1])}`;
  return (FIELDS as readonly string[]).includes(path) ? path as BudgetFieldKey : null;
}

function issueOf(param: string, message: string): BudgetIssue {
  const m = /(?:^|\.)budgets\[(\d+)\]\.?(.*)$/.exec(param);
  if (!m) return { budget: null, path: param, field: null, message };
  return { budget: Number(m[1]), path: m[2], field: fieldFromBudgetPath(m[2]), message };
}

/** One issue per problem of a refused save: from the engine's `error.issues` (worded by `words`), or its one message placed by `param`. */
export function budgetIssuesFromError(message: string, param: string | null | undefined, issues?: readonly ErrorIssue[] | null,
  words: (i: ErrorIssue) => string = (i) => i.message): BudgetIssue[] {
  if (issues?.length) return issues.map((i) => issueOf(i.param ?? '', words(i)));
  const text = param && message.startsWith(`${param}: `) ? message.slice(param.length + 2) : message;
  return [issueOf(param ?? '', text)];
}
