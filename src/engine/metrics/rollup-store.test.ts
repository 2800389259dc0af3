import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../clock.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { MetricsRecorder } from './metrics-recorder.ts';
import { RollupStore, migrateMetrics } from './rollup-store.ts';
import { recordedRequest as req } from '../../../test/helpers/test-requests.ts';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function open(dir?: string): { db: Db; dir: string } {
  const d = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-rollup-'));
  if (!dir) dirs.push(d);
  const db = openDatabase(path.join(d, 'sluice.db'));
  dbs.push(db);
  return { db, dir: d };
}

function rig(db: Db, clock: ManualClock) {
  const rec = new MetricsRecorder({ clock });
  const store = new RollupStore({ db, clock });
  rec.onSecond((s) => store.add(s));
  return { rec, store };
}

describe('RollupStore', () => {
  it('reads a stored cost that is not a number (an older build stored +Infinity) as 0, so the chart keeps its points', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const { db } = open();
    const { rec, store } = rig(db, clock);
    rec.record(req({ costUsd: 0.5 }));
    clock.advance(1000);
    rec.tick();
    store.flush();
    expect(db.prepare('UPDATE metrics_rollup SET cost_usd = 9e999').run().changes).toBeGreaterThan(0);
    const points = store.history('5m').points.filter((p) => p.requests > 0);
    expect(points.length).toBeGreaterThan(0);
    expect(points.every((p) => p.costUsd === 0)).toBe(true);
  });

  it('serves the last five minutes per second from rows it wrote', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const { db } = open();
    const { rec, store } = rig(db, clock);
    for (let s = 0; s < 120; s++) {
      for (let i = 0; i < 5; i++) rec.record(req({ latencyMs: 50 + i * 10, cache: i === 0 ? 'hit-memory' : 'miss', status: s === 10 && i === 0 ? 500 : 200 }));
      clock.advance(1000);
    }
    rec.tick();
    const h = store.history('5m');
    expect(h.points).toHaveLength(300);
    expect(h.stepMs).toBe(1000);
    const busy = h.points.filter((p) => p.requests > 0);
    expect(busy).toHaveLength(120);
    expect(busy.every((p) => p.requests === 5)).toBe(true);
    expect(busy[0].hitRate).toBeCloseTo(0.2);
    expect(busy.reduce((n, p) => n + p.errors, 0)).toBe(1);
    expect(busy[3].p95Ms).toBeCloseTo(90, -1);
  });

  it('keeps history across a restart, merging a minute split between two runs', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const first = open();
    let { rec, store } = rig(first.db, clock);
    for (let s = 0; s < 30; s++) { rec.record(req({ latencyMs: 100 })); clock.advance(1000); }
    rec.tick();
    store.close();
    first.db.close(); dbs.splice(dbs.indexOf(first.db), 1);

    const again = open(first.dir);
    ({ rec, store } = rig(again.db, clock));
    for (let s = 0; s < 30; s++) { rec.record(req({ latencyMs: 300 })); clock.advance(1000); }
    rec.tick();
    clock.advance(60_000);
    const day = store.history('24h');
    const total = day.points.reduce((n, p) => n + p.requests, 0);
    expect(total).toBe(60);
    const point = day.points.find((p) => p.requests > 0)!;
    expect(point.p50Ms).toBeCloseTo(100, -1);
    expect(point.p99Ms).toBeCloseTo(300, -1);
    expect(store.history('30d').points.reduce((n, p) => n + p.requests, 0)).toBe(60);
  });

  it('writes pending rows in one transaction per flush and on its timer', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const { db } = open();
    const { rec, store } = rig(db, clock);
    store.start();
    rec.start();
    for (let s = 0; s < 4; s++) { rec.record(req({ provider: 'p', model: 'm' })); clock.advance(1000); }
    const count = () => (db.prepare('SELECT count(*) AS n FROM metrics_rollup').get() as { n: number }).n;
    expect(count()).toBe(0);
    expect(store.pendingRows).toBeGreaterThan(0);
    clock.advance(1500);
    // 4 seconds × 3 scopes at 1 s, plus 1 minute and 1 hour row per scope
    expect(count()).toBe(4 * 3 + 3 + 3);
    expect(store.history('5m', 'provider:p').points.reduce((n, p) => n + p.requests, 0)).toBe(4);
    rec.stop(); store.close();
  });

  it('drops rows past their retention', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const { db } = open();
    const { rec, store } = rig(db, clock);
    rec.record(req());
    clock.advance(1000); rec.tick(); store.flush();
    clock.advance(2 * 3_600_000); rec.tick(); store.flush();
    const rows = db.prepare('SELECT resolution FROM metrics_rollup ORDER BY resolution').all() as Array<{ resolution: number }>;
    expect(rows.map((r) => r.resolution)).toEqual([60_000, 60_000, 60_000, 3_600_000, 3_600_000, 3_600_000]); // all, provider, model
  });

  it('migrates idempotently and refuses a newer schema', () => {
    const { db } = open();
    migrateMetrics(db); migrateMetrics(db);
    db.prepare("UPDATE metrics_meta SET value = 99 WHERE key = 'schema'").run();
    expect(() => migrateMetrics(db)).toThrow(/newer/);
  });

  it('validates its options and ranges', () => {
    const { db } = open();
    const clock = new ManualClock();
    expect(() => new RollupStore({ db, clock, flushIntervalMs: 0 })).toThrow(/flushIntervalMs/);
    expect(() => new RollupStore({ db, clock, retention: { second: -1 } })).toThrow(/retention.second/);
    expect(() => new RollupStore({ db, clock }).history('2y' as never)).toThrow(/unknown range/);
  });
});
