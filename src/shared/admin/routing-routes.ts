// Admin routes of routing: the routing document (rules, aliases, budgets, class targets, retry and
// breaker settings, price overrides) with its history, one-call alias switching, explanations,
// breakers, budgets, spend and provider health.
import type { ModelPrice } from '../config.ts';
import type {
  BreakerState, BudgetStatusView, ExplainInput, ExplainResult, PriceRow, ProviderHealth, RoutingConfig, RoutingExport,
  RoutingHistoryEntry, RoutingStrategy,
} from '../routing.ts';
import type { Target } from '../targets.ts';
import { route } from './route.ts';

export interface RoutingDocumentView {
  /** What was saved (or read from the config file): what export, import and history hold. */
  config: RoutingConfig;
  /** What routing uses now: the saved document plus the built-in defaults (`fast`, `smart`, `auto` classes) it does not override. */
  effective: RoutingConfig;
  /** History sequence of the saved version; null while the config file's (or the defaults) are in use. */
  seq: number | null;
}

/** The answer to an edit of the routing document (a save, an import, a rollback, an alias switch, a rule toggle). */
export interface RoutingSaveResult extends RoutingDocumentView {
  /** False when the edit changed nothing: no version was saved, and `seq` is the current one's. */
  changed: boolean;
}

export interface AliasInput {
  targets: Target[];
  strategy?: RoutingStrategy;
  weights?: number[];
}

export interface DailySpendView { day: string; provider: string; model: string; usd: number; tokens: number; requests: number }

export const routingRoutes = {
  routingGet: route<void, void, RoutingDocumentView>('GET', '/admin/api/routing'),
  /** Replace the whole document; 400 naming each bad field (the old one keeps serving). */
  /** `baseSeq`: the `seq` of the document the change was made to (0 for none saved); another version now is a 409. */
  routingPut: route<{ baseSeq?: number }, RoutingConfig, RoutingSaveResult>('PUT', '/admin/api/routing'),
  routingExport: route<void, void, RoutingExport>('GET', '/admin/api/routing/export'),
  /** Accepts a RoutingExport or a bare RoutingConfig. */
  routingImport: route<void, RoutingExport | RoutingConfig, RoutingSaveResult>('POST', '/admin/api/routing/import'),
  routingHistory: route<{ limit?: number }, void, RoutingHistoryEntry[]>('GET', '/admin/api/routing/history'),
  routingRollback: route<void, void, RoutingSaveResult>('POST', '/admin/api/routing/history/:seq/rollback'),
  /**
   * Point an alias at new targets in one call (creates it when missing); the next request follows.
   * Problems are named relative to the body (`targets[0].provider`); a key it does not take is refused.
   */
  routingAliasSet: route<void, AliasInput, RoutingSaveResult>('PUT', '/admin/api/routing/aliases/:name'),
  /** 404 for a rule that does not exist. */
  routingRuleEnable: route<void, { enabled: boolean }, RoutingSaveResult>('PUT', '/admin/api/routing/rules/:id/enabled'),
  routingExplain: route<void, ExplainInput, ExplainResult>('POST', '/admin/api/routing/explain'),
  routingBreakers: route<void, void, BreakerState[]>('GET', '/admin/api/routing/breakers'),
  /** Close one breaker (`target` = provider/model; 404 for one Sluice keeps no breaker for) or all of them. */
  routingBreakerReset: route<void, { target?: string }, BreakerState[]>('POST', '/admin/api/routing/breakers/reset'),
  routingBudgets: route<void, void, BudgetStatusView[]>('GET', '/admin/api/routing/budgets'),
  routingSpend: route<{ days?: number }, void, DailySpendView[]>('GET', '/admin/api/routing/spend'),
  routingHealth: route<void, void, ProviderHealth[]>('GET', '/admin/api/routing/health'),
  routingPrices: route<void, void, PriceRow[]>('GET', '/admin/api/routing/prices'),
  /** Replace the price overrides (model → USD per million tokens). */
  routingPricesPut: route<void, Record<string, ModelPrice>, PriceRow[]>('PUT', '/admin/api/routing/prices'),
} as const;
