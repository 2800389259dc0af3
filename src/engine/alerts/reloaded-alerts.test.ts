import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Alert, AlertAction } from '../../shared/alerts.ts';
import { ManualClock } from '../clock.ts';
import { openDatabase } from '../store/database.ts';
import { AlertManager, type RaiseInput } from './alert-manager.ts';
import { AlertStore } from './alert-store.ts';
import { settleReloadedAlerts } from './reloaded-alerts.ts';

const DAY = 86_400_000;
const cleanup: Array<() => void> = [];
afterEach(() => { for (const f of cleanup.splice(0).reverse()) f(); });

const t0 = Date.UTC(2026, 0, 1, 12);
const since = t0 - 60_000;
const warn = (key: string, extra: Partial<RaiseInput> = {}): RaiseInput => ({ key, severity: 'warning', title: key, message: key, ...extra });

/** A data dir whose sluice.db holds the alerts a previous run (stopped or killed at t0) left open. */
function previousRun(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-reloaded-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(path.join(dir, 'sluice.db'));
  let n = 0;
  const mgr = new AlertManager({ clock: new ManualClock(t0), newId: () => `old${++n}`, store: new AlertStore(db) });
  mgr.raise('runaway', warn('ip:127.0.0.1', { figures: { client: 'ip:127.0.0.1', count: 40 } }));
  mgr.raise('anomaly', warn('spend.usdPerHour', { figures: { metric: 'spend.usdPerHour', value: 4, baseline: 0.5 } }));
  mgr.raise('upstream-outage', warn('openai/gpt-4o', { severity: 'critical' }));
  mgr.raise('rule', warn('errors', { figures: { since } }));
  mgr.raise('budget', warn('daily', { autoResolveMs: DAY }));
  mgr.raise('cache-rebuilt', warn('cache-rebuilt', { autoResolveMs: 600_000 }));
  mgr.close();
  db.close();
  return dir;
}

/** The next run on the same data dir, two minutes later. */
function restart(dir: string) {
  const clock = new ManualClock(t0 + 120_000);
  const db = openDatabase(path.join(dir, 'sluice.db'));
  cleanup.push(() => { if (db.open) db.close(); });
  const events: Array<[AlertAction, Alert]> = [];
  let n = 0;
  const manager = new AlertManager({ clock, newId: () => `new${++n}`, store: new AlertStore(db), onAlert: (action, alert) => events.push([action, alert]) });
  const kinds = () => manager.open().map((a) => a.kind).sort();
  return { clock, manager, events, kinds };
}

const NOTICES = { 'cache-rebuilt': 600_000, budget: DAY };

describe('alerts left open by the previous run', () => {
  it('closes those whose detector kept its state in memory, saying so, and hands rule alerts back to the rules', () => {
    const { manager, events, kinds } = restart(previousRun());
    expect(kinds()).toEqual(['anomaly', 'budget', 'cache-rebuilt', 'rule', 'runaway', 'upstream-outage']);
    const adopted: Array<[string, number]> = [];
    settleReloadedAlerts({ manager, adoptRule: (id, s) => adopted.push([id, s]), noticeMs: NOTICES });

    expect(kinds()).toEqual(['budget', 'cache-rebuilt', 'rule']);
    expect(adopted).toEqual([['errors', since]]);
    const resolved = events.filter(([action]) => action === 'resolved').map(([, a]) => a);
    expect(resolved.map((a) => a.kind).sort()).toEqual(['anomaly', 'runaway', 'upstream-outage']);
    for (const a of resolved) {
      expect(a.figures.resolvedBy).toBe('restart');
      expect(a.resolvedAt).toBe(t0 + 120_000);
    }
    // what the alert said stays: the panel still shows the loop that was seen
    expect(resolved.find((a) => a.kind === 'runaway')!.figures).toMatchObject({ client: 'ip:127.0.0.1', count: 40 });
  });

  it('stays closed: the run after that finds none of them open', () => {
    const dir = previousRun();
    settleReloadedAlerts({ manager: restart(dir).manager, noticeMs: NOTICES });
    expect(restart(dir).kinds()).toEqual(['budget', 'cache-rebuilt']);
  });

  it('closes notices when they would have closed had Sluice not restarted', () => {
    const { clock, manager, kinds } = restart(previousRun());
    settleReloadedAlerts({ manager, noticeMs: NOTICES });
    clock.advance(479_000);
    expect(kinds()).toEqual(['budget', 'cache-rebuilt']);
    clock.advance(1000); // 10 min after the rebuild
    expect(kinds()).toEqual(['budget']);
    clock.advance(DAY - 600_000);
    expect(kinds()).toEqual([]);
  });

  it('closes a notice at once when its time passed while Sluice was down', () => {
    const { clock, manager, kinds } = restart(previousRun());
    clock.setWallClock(t0 + 3_600_000);
    settleReloadedAlerts({ manager, noticeMs: NOTICES });
    expect(kinds()).toEqual(['budget']);
  });

  it('leaves alone an alert raised again by the new run before it settled them', () => {
    const { manager, kinds } = restart(previousRun());
    manager.raise('upstream-outage', warn('openai/gpt-4o', { severity: 'critical' }));
    settleReloadedAlerts({ manager, noticeMs: NOTICES });
    expect(kinds()).toEqual(['budget', 'cache-rebuilt', 'upstream-outage']);
    expect(manager.open().find((a) => a.kind === 'upstream-outage')).toMatchObject({ id: 'old3', occurrences: 2 });
    settleReloadedAlerts({ manager, noticeMs: NOTICES }); // once only
    expect(kinds()).toEqual(['budget', 'cache-rebuilt', 'upstream-outage']);
  });

  it('closes rule alerts too when nothing evaluates rules, and every alert when alerts are turned off', () => {
    const noMetrics = restart(previousRun());
    settleReloadedAlerts({ manager: noMetrics.manager, noticeMs: NOTICES });
    expect(noMetrics.kinds()).toEqual(['budget', 'cache-rebuilt']);

    const off = restart(previousRun());
    settleReloadedAlerts({ manager: off.manager, disabled: true, adoptRule: () => { throw new Error('not with alerts off'); }, noticeMs: NOTICES });
    expect(off.kinds()).toEqual([]);
    expect(off.events.map(([action, a]) => [action, a.figures.resolvedBy])).toEqual(Array(6).fill(['resolved', 'disabled']));
  });
});
