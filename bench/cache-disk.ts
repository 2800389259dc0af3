// Disk cache tier at scale: insert N small entries (default 1,000,000) through SqliteStore's batched
// write-behind, with a byte cap that forces eviction near the end, then time 100k random lookups.
// Baseline: the same lookups as a bare prepared SELECT on the same file (no checksum, no bookkeeping).
// Usage: npx node bench/cache-disk.ts [entries]   (or BENCH_CACHE_DISK_ENTRIES=<n>)
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../src/engine/clock.ts';
import { accountedBytes, type CacheEntry } from '../src/engine/cache/cache-entry.ts';
import { SqliteStore } from '../src/engine/cache/sqlite-store.ts';

const N = Number(process.argv[2] ?? process.env.BENCH_CACHE_DISK_ENTRIES ?? 1_000_000);
if (!Number.isInteger(N) || N < 1000) throw new RangeError(`cache-disk: entry count must be an integer ≥ 1000, got ${process.argv[2] ?? process.env.BENCH_CACHE_DISK_ENTRIES}`);
const LOOKUPS = 100_000;
const EXTRA = Math.round(N * 0.05); // inserted beyond the cap, so eviction runs while inserting

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-cache-'));
const file = path.join(dir, 'cache.db');
const clock = new ManualClock();
const keyOf = (i: number) => createHash('sha256').update(`bench-${i}`).digest('hex');

function entry(i: number): CacheEntry {
  const body = Buffer.from(`{"id":"chatcmpl-${i}","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"answer ${i}"},"finish_reason":"stop"}]}`);
  return {
    key: keyOf(i), endpoint: 'chat', provider: 'sim', model: i % 3 ? 'small' : 'large', namespace: 'default', tenant: '',
    createdAt: clock.now(), expiresAt: clock.now() + 86_400_000, contentType: 'application/json', body, size: body.length,
    hits: 0, lastHitAt: null, meta: { requestText: `question ${i}`, promptTokens: 12, completionTokens: 8, usageEstimated: false, costUsd: 0.00001, latencyMs: 300 },
  };
}

const perEntry = accountedBytes(entry(N));
const cap = perEntry * N;
const store = new SqliteStore({ location: file, maxBytes: cap, clock, maxBatch: 5000, flushIntervalMs: 1000 });

function pct(sorted: Float64Array, p: number): number { return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]; }
const mb = (b: number) => (b / 1048576).toFixed(1) + ' MB';

let maxSeen = 0;
const t0 = performance.now();
for (let i = 0; i < N + EXTRA; i++) {
  store.set(entry(i));
  if (i % 5000 === 4999) { clock.advance(1); maxSeen = Math.max(maxSeen, store.stats().bytes); }
}
store.flush();
const insertMs = performance.now() - t0;
const s = store.stats();
maxSeen = Math.max(maxSeen, s.bytes);
console.log(`insert: ${N + EXTRA} entries in ${(insertMs / 1000).toFixed(1)} s (${Math.round((N + EXTRA) / (insertMs / 1000))}/s, batches of 5000)`);
console.log(`cap: ${mb(cap)} accounted; after insert ${mb(s.bytes)} (${s.entries} entries, ${s.evictions} evicted); max seen between batches ${mb(maxSeen)} — ${maxSeen <= cap + perEntry * 5000 ? 'holds' : 'EXCEEDED'}`);

// Lookups: 90% present (recent keys), 10% absent (evicted or never stored).
const ids = new Int32Array(LOOKUPS);
let seed = 12345;
const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
for (let i = 0; i < LOOKUPS; i++) ids[i] = rand() < 0.9 ? EXTRA + Math.floor(rand() * N) : N + EXTRA + Math.floor(rand() * N);
const keys = Array.from(ids, keyOf);

function time(label: string, fn: (k: string) => unknown): Float64Array {
  const lat = new Float64Array(LOOKUPS);
  let found = 0;
  for (let i = 0; i < LOOKUPS; i++) {
    const a = performance.now();
    if (fn(keys[i])) found++;
    lat[i] = performance.now() - a;
  }
  lat.sort();
  console.log(`${label}: p50 ${(pct(lat, 0.5) * 1000).toFixed(1)} µs, p99 ${(pct(lat, 0.99) * 1000).toFixed(1)} µs, max ${(lat[lat.length - 1] * 1000).toFixed(0)} µs, found ${found}/${LOOKUPS}`);
  return lat;
}

const raw = new Database(file, { readonly: true });
const rawGet = raw.prepare('SELECT * FROM cache_entries WHERE key = ?');
time('baseline (bare prepared SELECT)', (k) => rawGet.get(k)); // warms the page cache for both
const base = time('baseline (bare prepared SELECT)', (k) => rawGet.get(k));
const lat = time('SqliteStore.get (checksum + hit bookkeeping)', (k) => { const e = store.get(k, clock.now()); if (store.pendingWrites >= 4000) store.flush(); return e; });
console.log(`ratio store/baseline: p50 ${(pct(lat, 0.5) / pct(base, 0.5)).toFixed(2)}x, p99 ${(pct(lat, 0.99) / pct(base, 0.99)).toFixed(2)}x; goal p99 < 1 ms: ${pct(lat, 0.99) < 1 ? 'met' : 'NOT met'}`);
raw.close();
store.close();
const fileBytes = ['', '-wal'].reduce((t, sfx) => t + (fs.existsSync(file + sfx) ? fs.statSync(file + sfx).size : 0), 0);
console.log(`database file: ${mb(fileBytes)} on disk vs cap ${mb(cap)} (${(fileBytes / cap).toFixed(2)}x; the cap counts ${perEntry} B/entry incl. overhead)`);
fs.rmSync(dir, { recursive: true, force: true });
