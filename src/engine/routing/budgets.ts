// Budgets per provider, model, alias or tag, per UTC day or month, in USD or tokens. Spend is added as
// requests complete; crossing the threshold raises one `threshold` event per window, reaching the
// limit one `exhausted` event. Windows come from the injected clock; a new window starts from zero
// (or from what `load` says was already spent: after a restart, or for a budget saved mid-window).
// A window already past a mark when it opens (a budget saved, or its limit lowered, after the day's
// spend passed it) raises that mark's event at once, as a crossing would: it had raised nothing
// while its requests were refused. `marks()` repeats them for a listener that starts later.
// A request on its way upstream holds a reservation of what it is expected to spend until it
// finishes: a budget counts as exhausted once what was spent and what is reserved reach the limit,
// so fifty requests sent at once no longer all pass a budget with room for five (a QA run ended at
// 229 % of its limit).
import type { BudgetConfig, BudgetPeriod } from '../../shared/routing.ts';
import { DEFAULT_BUDGET_THRESHOLD } from '../../shared/routing.ts';
import type { Clock } from '../clock.ts';
import { roundUsd, spentUsd } from '../money.ts';

export interface SpendEvent {
  provider: string;
  model: string;
  /** The alias the client asked for, when it asked for one. */
  alias: string | null;
  tags: readonly string[];
  usd: number;
  tokens: number;
}

export type BudgetLevel = 'ok' | 'threshold' | 'exhausted';

export interface BudgetEvent {
  budget: string;
  level: 'threshold' | 'exhausted';
  used: number;
  limit: number;
  unit: BudgetConfig['unit'];
  windowStart: number;
  resetsAt: number;
}

export interface BudgetStatus {
  id: string;
  scope: BudgetConfig['scope'];
  match: string;
  unit: BudgetConfig['unit'];
  period: BudgetPeriod;
  used: number;
  limit: number;
  fraction: number;
  /** Held by requests on their way upstream (see reserve()). */
  reserved: number;
  level: BudgetLevel;
  windowStart: number;
  resetsAt: number;
}

export interface BudgetTrackerOptions {
  clock: Clock;
  budgets?: readonly BudgetConfig[];
  onEvent?: (e: BudgetEvent) => void;
  /** What was already spent in a window (from the spend repository), used when a window is (re)opened. */
  load?: (budget: BudgetConfig, windowStart: number, windowEnd: number) => { usd: number; tokens: number };
}

interface Window { budget: BudgetConfig; start: number; end: number; used: number; reserved: number; warned: boolean; exhausted: boolean }

/** Gives back what a request reserved (once; a window that has rolled over since keeps its fresh count). */
export type ReleaseReservation = () => void;

export function windowOf(period: BudgetPeriod, now: number): { start: number; end: number } {
  const d = new Date(now);
  if (period === 'day') {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return { start, end: start + 86_400_000 };
  }
  return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}

export function budgetApplies(b: BudgetConfig, s: Pick<SpendEvent, 'provider' | 'model' | 'alias' | 'tags'>): boolean {
  switch (b.scope) {
    case 'provider': return s.provider === b.match;
    case 'model': return s.model === b.match || `${s.provider}/${s.model}` === b.match;
    case 'alias': return s.alias === b.match;
    case 'tag': return s.tags.includes(b.match.trim().toLowerCase());
  }
}

export class BudgetTracker {
  #clock: Clock;
  #onEvent: BudgetTrackerOptions['onEvent'];
  #load: BudgetTrackerOptions['load'];
  #windows = new Map<string, Window>();

  constructor(opts: BudgetTrackerOptions) {
    if (!opts?.clock) throw new TypeError('BudgetTracker: clock is required');
    this.#clock = opts.clock;
    this.#onEvent = opts.onEvent;
    this.#load = opts.load;
    this.configure(opts.budgets ?? []);
  }

  /** Replace the budgets; spend already counted for a budget that keeps its id, period and unit is kept. */
  configure(budgets: readonly BudgetConfig[]): void {
    const next = new Map<string, Window>();
    const now = this.#clock.now();
    for (const b of budgets) {
      if (!(b.limit >= 0)) throw new RangeError(`BudgetTracker: budget '${b.id}' needs a non-negative limit`);
      if (next.has(b.id)) throw new Error(`BudgetTracker: duplicate budget id '${b.id}'`);
      const prev = this.#windows.get(b.id);
      if (prev && prev.budget.period === b.period && prev.budget.unit === b.unit && prev.budget.scope === b.scope && prev.budget.match === b.match) {
        // the same object: reservations of requests on their way are given back to it
        next.set(b.id, Object.assign(prev, { budget: b, warned: prev.used >= this.#thresholdOf(b) * b.limit && prev.warned, exhausted: prev.used >= b.limit && prev.exhausted }));
      } else {
        next.set(b.id, this.#open(b, now));
      }
    }
    this.#windows = next;
    // a budget whose spend already passes its (new) limit or threshold says so now, not at the next request
    for (const w of next.values()) this.#check(this.#current(w, now));
  }

  /**
   * For each enabled budget past a mark now, the event that mark raised (the higher of the two): for a
   * listener that was not there when it was raised (the alerts, which subscribe after budgets are loaded).
   */
  marks(): BudgetEvent[] {
    const now = this.#clock.now();
    const out: BudgetEvent[] = [];
    for (const w0 of this.#windows.values()) {
      if (w0.budget.enabled === false) continue;
      const w = this.#current(w0, now);
      const level = w.used >= w.budget.limit ? 'exhausted' : w.used >= this.#thresholdOf(w.budget) * w.budget.limit ? 'threshold' : null;
      if (level) out.push({ ...this.#eventBase(w), level });
    }
    return out;
  }

  /** Count a completed request's spend against every budget it falls under. */
  record(s: SpendEvent): void {
    const now = this.#clock.now();
    for (const w0 of this.#windows.values()) {
      if (w0.budget.enabled === false || !budgetApplies(w0.budget, s)) continue;
      const w = this.#current(w0, now);
      w.used += w.budget.unit === 'usd' ? spentUsd(s.usd) : Math.max(0, s.tokens);
      this.#check(w);
    }
  }

  /**
   * Holds what a request about to go upstream is expected to spend against every budget it falls
   * under, until the returned function gives it back (when the request finishes, whatever its end).
   */
  reserve(s: SpendEvent): ReleaseReservation {
    const now = this.#clock.now();
    const held: Array<{ w: Window; start: number; amount: number }> = [];
    for (const w0 of this.#windows.values()) {
      if (w0.budget.enabled === false || !budgetApplies(w0.budget, s)) continue;
      const w = this.#current(w0, now);
      const amount = w.budget.unit === 'usd' ? spentUsd(s.usd) : Math.max(0, s.tokens);
      if (amount === 0) continue;
      w.reserved += amount;
      held.push({ w, start: w.start, amount });
    }
    let released = held.length === 0;
    return () => {
      if (released) return;
      released = true;
      for (const h of held) if (h.w.start === h.start) h.w.reserved = Math.max(0, h.w.reserved - h.amount);
    };
  }

  /** Spent, or spent plus what requests on their way have reserved, reaches the limit. */
  isExhausted(id: string): boolean {
    const w0 = this.#windows.get(id);
    if (!w0 || w0.budget.enabled === false) return false;
    const w = this.#current(w0, this.#clock.now());
    return w.used >= w.budget.limit || (w.reserved > 0 && w.used + w.reserved >= w.budget.limit);
  }

  status(id: string): BudgetStatus | undefined {
    const w0 = this.#windows.get(id);
    if (!w0) return undefined;
    const w = this.#current(w0, this.#clock.now());
    const b = w.budget;
    const fraction = b.limit > 0 ? w.used / b.limit : w.used > 0 ? Infinity : 0;
    const level: BudgetLevel = w.used >= b.limit ? 'exhausted' : fraction >= this.#thresholdOf(b) ? 'threshold' : 'ok';
    return { id, scope: b.scope, match: b.match, unit: b.unit, period: b.period, used: b.unit === 'usd' ? roundUsd(w.used) : w.used, limit: b.limit, fraction,
      reserved: b.unit === 'usd' ? roundUsd(w.reserved) : Math.round(w.reserved), level, windowStart: w.start, resetsAt: w.end };
  }

  statuses(): BudgetStatus[] {
    return [...this.#windows.keys()].map((id) => this.status(id)!);
  }

  #thresholdOf(b: BudgetConfig): number {
    return b.threshold ?? DEFAULT_BUDGET_THRESHOLD;
  }

  #open(b: BudgetConfig, now: number): Window {
    const { start, end } = windowOf(b.period, now);
    const loaded = this.#load?.(b, start, end);
    const used = loaded ? (b.unit === 'usd' ? loaded.usd : loaded.tokens) : 0;
    // not yet warned: whoever opens it checks it (configure, #current), so a window past its marks says so
    return { budget: b, start, end, used, reserved: 0, warned: false, exhausted: false };
  }

  #current(w: Window, now: number): Window {
    if (now >= w.start && now < w.end) return w;
    const fresh = this.#open(w.budget, now);
    Object.assign(w, fresh);
    this.#check(w);
    return w;
  }

  #eventBase(w: Window): Omit<BudgetEvent, 'level'> {
    return { budget: w.budget.id, used: w.used, limit: w.budget.limit, unit: w.budget.unit, windowStart: w.start, resetsAt: w.end };
  }

  #check(w: Window): void {
    const b = w.budget;
    // a disabled budget neither counts nor refuses; turned on again, it is checked then
    if (b.enabled === false) return;
    const base = this.#eventBase(w);
    if (!w.warned && w.used >= this.#thresholdOf(b) * b.limit) {
      w.warned = true;
      if (w.used < b.limit) this.#onEvent?.({ ...base, level: 'threshold' });
    }
    if (!w.exhausted && w.used >= b.limit) {
      w.exhausted = true;
      this.#onEvent?.({ ...base, level: 'exhausted' });
    }
  }
}
