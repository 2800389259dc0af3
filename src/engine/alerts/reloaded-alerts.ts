// What becomes of the alerts the previous run left open. Most of what raises alerts keeps its
// state in memory only, so after a restart nothing would ever resolve them (QA: a runaway alert
// open for ever, keeping the panel's badge up and health "degraded"). Each kind is settled by
// whatever can still judge it:
//  - rule: re-judged by the rule evaluator from the next second (rules are config, not memory);
//  - budget, cache-rebuilt: notices that close on a timer, re-armed from when they were last raised;
//  - anomaly (its learnt baseline), runaway (its repeat counts), upstream-outage (the breaker, which
//    starts closed), storage (the writer, which tries again) and any other kind: closed now, marked `resolvedBy: 'restart'` for the panel;
//    the fresh detector opens a new alert if the problem is still there.
// With alerts turned off nothing raises or clears alerts any more, so every one is closed
// (`resolvedBy: 'disabled'`).
import type { AlertKind } from '../../shared/alerts.ts';
import type { AlertManager } from './alert-manager.ts';

export interface SettleReloadedOptions {
  manager: AlertManager;
  /** Alerts are turned off. */
  disabled?: boolean;
  /** Hands a rule alert to the rule evaluator; absent when nothing evaluates rules (no metrics). */
  adoptRule?: (id: string, since: number) => void;
  /** How long notices of these kinds stay open after they were last raised. */
  noticeMs: Partial<Record<AlertKind, number>>;
}

export type ResolvedBy = 'restart' | 'disabled';

export function settleReloadedAlerts(o: SettleReloadedOptions): void {
  for (const a of o.manager.takeReloaded()) {
    const lasts = o.noticeMs[a.kind];
    if (o.disabled) o.manager.resolve(a.kind, a.key, { resolvedBy: 'disabled' satisfies ResolvedBy });
    else if (lasts !== undefined) o.manager.resolveAt(a.kind, a.key, a.updatedAt + lasts);
    else if (a.kind === 'rule' && o.adoptRule) o.adoptRule(a.key, typeof a.figures.since === 'number' ? a.figures.since : a.openedAt);
    else o.manager.resolve(a.kind, a.key, { resolvedBy: 'restart' satisfies ResolvedBy });
  }
}
