// Routing slice: circuit-breaker states and budget levels from the event stream, and a revision
// bumped by `routing` events so the routing page reloads rules, aliases and history.
import { createStore, type StoreApi } from 'zustand/vanilla';

export type BreakerStateName = 'closed' | 'open' | 'half-open';

export interface BudgetLevel { level: 'threshold' | 'exhausted'; ts: number; detail: unknown }

export interface RoutingState {
  /** Breaker state per `provider/model` target, as last announced. */
  breakers: Record<string, { state: BreakerStateName; ts: number }>;
  budgets: Record<string, BudgetLevel>;
  revision: number;
  setBreaker(target: string, state: BreakerStateName, ts: number): void;
  setBudget(budget: string, level: BudgetLevel): void;
  bump(): void;
}

export function createRoutingStore(): StoreApi<RoutingState> {
  return createStore<RoutingState>()((set) => ({
    breakers: {},
    budgets: {},
    revision: 0,
    setBreaker: (target, state, ts) => set((s) => ({ breakers: { ...s.breakers, [target]: { state, ts } } })),
    setBudget: (budget, level) => set((s) => ({ budgets: { ...s.budgets, [budget]: level } })),
    bump: () => set((s) => ({ revision: s.revision + 1 })),
  }));
}
