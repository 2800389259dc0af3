import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Alert, AlertAction } from '../../shared/alerts.ts';
import { ManualClock } from '../clock.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { AlertManager } from './alert-manager.ts';
import { AlertStore, migrateAlerts } from './alert-store.ts';

const cleanup: Array<() => void> = [];
afterEach(() => { for (const f of cleanup.splice(0).reverse()) f(); });

function tempDb(dir?: string): { db: Db; dir: string } {
  const d = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-alerts-'));
  if (!dir) cleanup.push(() => fs.rmSync(d, { recursive: true, force: true }));
  const db = openDatabase(path.join(d, 'sluice.db'));
  cleanup.push(() => { if (db.open) db.close(); });
  return { db, dir: d };
}

function setup(db: Db | null = null) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  let n = 0;
  const events: Array<[AlertAction, Alert]> = [];
  const notified: AlertAction[] = [];
  const mgr = new AlertManager({
    clock, newId: () => `a${++n}`, store: db ? new AlertStore(db) : null,
    onAlert: (action, alert) => events.push([action, alert]),
    notifier: { notify: (action) => notified.push(action) },
  });
  return { clock, mgr, events, notified };
}

const outage = { key: 'openai/gpt-4o', severity: 'critical' as const, title: 'Upstream down', message: 'breaker open' };

describe('AlertManager', () => {
  it('opens once, updates while open, resolves, and notifies opened/resolved only', () => {
    const { clock, mgr, events, notified } = setup();
    const a = mgr.raise('upstream-outage', outage);
    clock.advance(5000);
    const b = mgr.raise('upstream-outage', { ...outage, figures: { failures: 9 } });
    expect(b.id).toBe(a.id);
    expect(b.occurrences).toBe(2);
    expect(mgr.open()).toHaveLength(1);
    const r = mgr.resolve('upstream-outage', 'openai/gpt-4o')!;
    expect(r.resolvedAt).toBe(a.openedAt + 5000);
    expect(r.figures).toEqual({ failures: 9 });
    expect(mgr.resolve('upstream-outage', 'openai/gpt-4o')).toBeNull();
    expect(events.map((e) => e[0])).toEqual(['opened', 'updated', 'resolved']);
    expect(notified).toEqual(['opened', 'resolved']);
    expect(mgr.raise('upstream-outage', outage).id).not.toBe(a.id);
  });

  it('acknowledges by id, and refuses an unknown id with a stable code', () => {
    const { mgr, events } = setup();
    const a = mgr.raise('rule', { key: 'p95', severity: 'warning', title: 't', message: 'm' });
    const acked = mgr.acknowledge(a.id);
    expect(acked.acknowledgedAt).not.toBeNull();
    expect(mgr.open()[0].acknowledgedAt).toBe(acked.acknowledgedAt);
    expect(mgr.acknowledge(a.id)).toEqual(acked);
    expect(events.filter((e) => e[0] === 'acknowledged')).toHaveLength(1);
    expect(() => mgr.acknowledge('nope')).toThrow(expect.objectContaining({ code: 'SLUICE_ALERT_NOT_FOUND', status: 404 }));
  });

  it('escalates severity but never lowers it while open', () => {
    const { mgr } = setup();
    mgr.raise('anomaly', { key: 'x', severity: 'warning', title: 't', message: 'm' });
    expect(mgr.raise('anomaly', { key: 'x', severity: 'critical', title: 't', message: 'm' }).severity).toBe('critical');
    expect(mgr.raise('anomaly', { key: 'x', severity: 'info', title: 't', message: 'm' }).severity).toBe('critical');
  });

  it('auto-resolves one-off events on the clock', () => {
    const { clock, mgr } = setup();
    mgr.raise('cache-rebuilt', { severity: 'info', title: 'Cache rebuilt', message: 'corrupt file replaced', autoResolveMs: 60_000 });
    clock.advance(59_000);
    expect(mgr.isOpen('cache-rebuilt')).toBe(true);
    clock.advance(1000);
    expect(mgr.isOpen('cache-rebuilt')).toBe(false);
    expect(mgr.list({ status: 'resolved' })).toHaveLength(1);
  });

  it('stores alerts in SQLite and keeps deduplicating open ones after a restart', () => {
    const { db, dir } = tempDb();
    const first = setup(db);
    const a = first.mgr.raise('upstream-outage', outage);
    first.mgr.raise('rule', { key: 'r', severity: 'info', title: 't', message: 'm' });
    first.mgr.resolve('rule', 'r');
    db.close();

    const again = setup(tempDb(dir).db);
    expect(again.mgr.open().map((x) => x.id)).toEqual([a.id]);
    expect(again.mgr.raise('upstream-outage', outage).occurrences).toBe(2);
    expect(again.mgr.list({ status: 'resolved' }).map((x) => x.kind)).toEqual(['rule']);
    expect(again.mgr.acknowledge('a2').acknowledgedAt).not.toBeNull();
  });

  it('the store prunes old resolved alerts and migrates idempotently', () => {
    const { db } = tempDb();
    migrateAlerts(db); migrateAlerts(db);
    const { clock, mgr } = setup(db);
    mgr.raise('rule', { key: 'r', severity: 'info', title: 't', message: 'm' });
    mgr.resolve('rule', 'r');
    mgr.raise('upstream-outage', outage);
    const store = new AlertStore(db);
    expect(store.prune(clock.now() + 1)).toBe(1);
    expect(store.list()).toHaveLength(1);
  });

  it('lists what it could not store (sluice.db full) as it is now, and newest first', () => {
    const { db } = tempDb();
    migrateAlerts(db);
    const { clock, mgr } = setup(db);
    mgr.raise('rule', { key: 'stored', severity: 'info', title: 't', message: 'm' });
    const store = new AlertStore(db);
    const save = store.save.bind(store);
    let full = false;
    store.save = (a) => { if (full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }); save(a); };
    const mgr2 = new AlertManager({ clock, newId: () => 'b1', store });
    clock.advance(1000);
    full = true;
    mgr2.raise('storage', { key: 'requests.db', severity: 'critical', title: 'full', message: 'm' });
    expect(mgr2.list({ status: 'open' }).map((a) => a.key)).toEqual(['requests.db', 'stored']);
    expect(store.list({ status: 'open' }).map((a) => a.key)).toEqual(['stored']);
    mgr2.resolve('storage', 'requests.db');
    expect(mgr2.list({ status: 'open' }).map((a) => a.key)).toEqual(['stored']);
    expect(mgr2.list({ status: 'resolved' }).map((a) => a.key)).toEqual(['requests.db']);
    expect(mgr2.list({ limit: 1 }).map((a) => a.key)).toEqual(['requests.db']);
  });
});
