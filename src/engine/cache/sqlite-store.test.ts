import { describe, it, expect, afterEach } from 'vitest';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../clock.ts';
import { SCHEMA_VERSION, SqliteStore, type CacheDbProblem } from './sqlite-store.ts';
import { makeEntry } from '../../../test/cache-store-contract.ts';

const dirs: string[] = [];
function tempDb(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-sqlite-store-'));
  dirs.push(dir);
  return path.join(dir, 'cache.db');
}
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

function rowCount(file: string): number {
  const db = new Database(file, { readonly: true });
  try { return db.prepare('SELECT COUNT(*) FROM cache_entries').pluck().get() as number; } finally { db.close(); }
}

describe('SqliteStore', () => {
  it('queues writes off the hot path and writes them in one flush per tick of the clock', () => {
    const file = tempDb();
    const clock = new ManualClock();
    const store = new SqliteStore({ location: file, maxBytes: 1e6, clock, flushIntervalMs: 50 });
    for (let i = 0; i < 5; i++) store.set(makeEntry(clock, `k${i}`));
    expect(store.pendingWrites).toBe(5);
    expect(rowCount(file)).toBe(0);
    expect(store.get('k3', clock.now())?.key).toBe('k3'); // read-your-writes while queued
    clock.advance(50);
    expect(store.pendingWrites).toBe(0);
    expect(rowCount(file)).toBe(5);
    store.close();
  });

  it('drops a row whose body was tampered with in the database instead of serving it', () => {
    const file = tempDb();
    const clock = new ManualClock();
    let store = new SqliteStore({ location: file, maxBytes: 1e6, clock });
    store.set(makeEntry(clock, 'good'));
    store.set(makeEntry(clock, 'bad', { body: Buffer.from('{"answer":"TAMPER-ME-PLEASE"}'), size: 30 }));
    store.close();
    const db = new Database(file);
    db.prepare(`UPDATE cache_entries SET body = ? WHERE key = 'bad'`).run(Buffer.from('{"answer":"TAMPERED-BYTES!"}'.padEnd(30)));
    db.close();
    store = new SqliteStore({ location: file, maxBytes: 1e6, clock });
    expect(store.get('bad', clock.now())).toBeUndefined();
    expect(store.get('good', clock.now())).toBeDefined();
    expect(store.stats()).toMatchObject({ corrupt: 1, entries: 1 });
    store.close();
    expect(rowCount(file)).toBe(1);
  });

  it('never serves bytes flipped directly in the database file', () => {
    const file = tempDb();
    const clock = new ManualClock();
    let store = new SqliteStore({ location: file, maxBytes: 1e6, clock });
    const marker = 'FLIP-THESE-BYTES-0123456789';
    store.set(makeEntry(clock, 'k1', { body: Buffer.from(marker.repeat(4)), size: marker.length * 4 }));
    store.close();
    const raw = fs.readFileSync(file);
    const at = raw.indexOf(Buffer.from(marker));
    expect(at).toBeGreaterThan(0);
    raw[at + 3] ^= 0xff;
    fs.writeFileSync(file, raw);
    const problems: CacheDbProblem[] = [];
    store = new SqliteStore({ location: file, maxBytes: 1e6, clock, onCorrupt: (p) => problems.push(p) });
    const got = store.get('k1', clock.now());
    expect(got).toBeUndefined();
    store.close();
  });

  it('moves a corrupt database file aside, recreates it, reports it, and keeps working', () => {
    const file = tempDb();
    fs.writeFileSync(file, Buffer.from('this is not a sqlite database at all'.repeat(200)));
    const clock = new ManualClock();
    const problems: CacheDbProblem[] = [];
    const store = new SqliteStore({ location: file, maxBytes: 1e6, clock, onCorrupt: (p) => problems.push(p) });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file, reason: 'corrupt' });
    expect(fs.readFileSync(problems[0].movedTo!, 'utf8')).toContain('not a sqlite database');
    store.set(makeEntry(clock, 'k1'));
    store.flush();
    expect(store.get('k1', clock.now())?.key).toBe('k1');
    expect(store.recoveries).toBe(1);
    store.close();
    expect(rowCount(file)).toBe(1);
  });

  it('moves aside a database written by a newer schema version', () => {
    const file = tempDb();
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    const problems: CacheDbProblem[] = [];
    const store = new SqliteStore({ location: file, maxBytes: 1e6, clock: new ManualClock(), onCorrupt: (p) => problems.push(p) });
    expect(problems.map((p) => p.reason)).toEqual(['schema']);
    store.close();
  });

  it('upgrades a version 1 database in place: its rows stay, and count as reported usage', () => {
    const file = tempDb();
    const clock = new ManualClock();
    const old = new Database(file);
    old.exec(`CREATE TABLE cache_entries (
      key TEXT PRIMARY KEY NOT NULL, endpoint TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL, namespace TEXT NOT NULL, tenant TEXT NOT NULL,
      created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, content_type TEXT NOT NULL,
      body BLOB NOT NULL, checksum BLOB NOT NULL, size INTEGER NOT NULL, acct INTEGER NOT NULL,
      hits INTEGER NOT NULL DEFAULT 0, last_hit_at INTEGER, last_used_at INTEGER NOT NULL,
      request_text TEXT NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL, latency_ms REAL NOT NULL)`);
    const body = Buffer.from('{"choices":[]}');
    old.prepare(`INSERT INTO cache_entries VALUES ('v1', 'chat', 'sim', 'm1', '', 't1', ?, ?, 'application/json', ?, ?, ?, 300, 0, NULL, ?, 'old question', 0, 0, 0, 12)`)
      .run(clock.now(), clock.now() + 60_000, body, createHash('sha256').update(body).digest(), body.length, clock.now());
    old.pragma('user_version = 1');
    old.close();
    const problems: CacheDbProblem[] = [];
    const store = new SqliteStore({ location: file, maxBytes: 1e6, clock, onCorrupt: (p) => problems.push(p) });
    expect(problems).toEqual([]);
    expect(store.get('v1', clock.now())).toMatchObject({ key: 'v1', meta: { requestText: 'old question', promptTokens: 0, completionTokens: 0, usageEstimated: false } });
    const e = makeEntry(clock, 'v2');
    store.set({ ...e, meta: { ...e.meta, usageEstimated: true } });
    store.close();
    expect(rowCount(file)).toBe(2);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT key, usage_estimated FROM cache_entries ORDER BY key').all()).toEqual([{ key: 'v1', usage_estimated: 0 }, { key: 'v2', usage_estimated: 1 }]);
    db.close();
  });

  it('keeps the byte cap while many entries stream in, evicting least recently used', () => {
    const clock = new ManualClock();
    const store = new SqliteStore({ location: ':memory:', maxBytes: 50_000, clock, maxBatch: 7 });
    for (let i = 0; i < 500; i++) {
      store.set(makeEntry(clock, `k${i}`));
      clock.advance(1);
      expect(store.stats().bytes).toBeLessThanOrEqual(50_000 + 7 * 600);
    }
    store.flush();
    const s = store.stats();
    expect(s.bytes).toBeLessThanOrEqual(50_000);
    expect(s.evictions).toBe(500 - s.entries);
    expect(store.get('k499', clock.now())).toBeDefined();
    expect(store.get('k0', clock.now())).toBeUndefined();
    store.close();
  });

  it('validates its options precisely', () => {
    const clock = new ManualClock();
    expect(() => new SqliteStore({ location: '', maxBytes: 1, clock })).toThrow(/location/);
    expect(() => new SqliteStore({ location: ':memory:', maxBytes: 0, clock })).toThrow(/maxBytes/);
    expect(() => new SqliteStore({ location: ':memory:', maxBytes: 10, clock, flushIntervalMs: 0 })).toThrow(/flushIntervalMs/);
  });
});
