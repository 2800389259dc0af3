// The request log's filter values (GET /admin/api/requests/values) on a full log of N rows (default
// 100,000): RequestLog.values(), through the real log, its writer thread and migrations. Baseline: a
// SELECT DISTINCT of the same six fields on the same file. Then what the trigger that keeps the values
// table costs the writer thread: its statements on a full log, in batches of 500 with the trim, with and
// without the trigger.
// Usage: npx node bench/request-log-values.ts [rows]
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/engine/clock.ts';
import { silentLogger } from '../src/engine/logger.ts';
import { openRequestLogDb, RequestLog, requestLogSchema, requestLogValuesSchema, type RequestLogRow } from '../src/engine/store/request-log.ts';
import { seededRandom } from './lib/simulated-traffic.ts';

const N = Math.round(Number(process.argv[2] ?? 100_000));
const rand = seededRandom(7);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)];
const models = Array.from({ length: 30 }, (_, i) => `model-${i}`);
const providers = ['openai', 'anthropic', 'ollama', 'simulator', 'groq'];
const caches = ['miss', 'hit-memory', 'hit-disk', 'hit-semantic', 'coalesced', 'stale', 'bypass', 'refresh'] as const;
const statuses = [200, 200, 200, 200, 200, 400, 404, 429, 499, 500, 502, 503];
const detail = { trace: [{ stage: 'route', message: 'x'.repeat(200) }], timings: { totalMs: 3 }, cacheKey: 'k'.repeat(64), requestHeaders: { 'user-agent': 'y'.repeat(80) } };
// appended first of the rows the log keeps: the oldest row there is
const ONCE = 'used-once-long-ago';
const EXTRA = 5_000;

function row(i: number): RequestLogRow {
  const model = i === EXTRA ? ONCE : pick(models);
  return {
    id: `id${i}`, ts: 1_700_000_000_000 + i * 36, endpoint: pick(['chat', 'chat', 'embeddings', 'speech'] as const), path: '/v1/chat/completions',
    method: 'POST', model, requestedModel: rand() < 0.2 ? 'fast' : model, provider: pick(providers), status: pick(statuses), latencyMs: 12,
    firstByteMs: null, stream: false, cache: pick(caches), attempts: 1, promptTokens: 3, completionTokens: 4, costUsd: 0, errorCode: null,
    client: `client-${Math.floor(rand() * 60)}`, detail,
  };
}

function median(f: () => unknown, runs: number): number {
  f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    f();
    ms.push(performance.now() - start);
  }
  return ms.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

console.log(`request log values bench: ${N.toLocaleString('en')} rows`);
const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'sluice-bench-log-')); dirs.push(d); return d; };

// 1. reading the values, against SELECT DISTINCT
const dir = tempDir();
const log = new RequestLog({ db: openRequestLogDb(dir, silentLogger), clock: new ManualClock(), logger: silentLogger, maxRows: N });
for (let i = 0; i < N + EXTRA; i++) {
  log.append(row(i));
  if (i % 5_000 === 0) log.flush();
}
log.flush();
const db = new Database(join(dir, 'requests.db'), { readonly: true });
const distinct = db.prepare(['model', 'requested_model', 'provider', 'endpoint', 'status', 'cache']
  .map((c) => `SELECT '${c}', ${c} FROM (SELECT DISTINCT ${c} FROM request_log)`).join(' UNION ALL '));
const values = log.values();
const counts = Object.entries(values).map(([k, v]) => `${k} ${(v as unknown[]).length}`).join(', ');
const tValues = median(() => log.values(), 50);
const tDistinct = median(() => distinct.all(), 10);
console.log(`  ${log.count().toLocaleString('en')} rows kept; values: ${counts}`);
console.log(`  RequestLog.values()                  ${tValues.toFixed(3).padStart(8)} ms (median of 50)`);
console.log(`  baseline SELECT DISTINCT, six fields ${tDistinct.toFixed(1).padStart(8)} ms (median of 10): values() takes ${(tValues / tDistinct * 100).toFixed(2)} % of it`);
console.log(`  '${ONCE}' (the oldest row) listed: ${values.model.includes(ONCE)}`);
db.close();
log.close();

// 2. the writer thread's statements on a full log, with and without the trigger
const INSERT = `INSERT INTO request_log (id, ts, endpoint, path, method, model, requested_model, provider, status, latency_ms, first_byte_ms,
  stream, cache, attempts, prompt_tokens, completion_tokens, cost_usd, error_code, client, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const params = (r: RequestLogRow) => [r.id, r.ts, r.endpoint, r.path, r.method, r.model, r.requestedModel, r.provider, r.status, r.latencyMs,
  null, 0, r.cache, 1, 3, 4, 0, null, r.client, JSON.stringify(r.detail)];
function writeUsPerRow(trigger: boolean): number {
  const w = new Database(join(tempDir(), 'requests.db'));
  w.pragma('journal_mode = WAL');
  w.pragma('synchronous = NORMAL');
  requestLogSchema.up(w);
  if (trigger) requestLogValuesSchema.up(w);
  const insert = w.prepare(INSERT);
  const trim = w.prepare('DELETE FROM request_log WHERE seq <= (SELECT MAX(seq) FROM request_log) - ?');
  const batch = w.transaction((from: number) => {
    for (let i = from; i < from + 500; i++) insert.run(params(row(i)));
    trim.run(N);
  });
  for (let i = 0; i < N; i += 500) batch(i);
  const start = performance.now();
  for (let i = N; i < N + 20_000; i += 500) batch(i);
  w.close();
  return ((performance.now() - start) * 1000) / 20_000;
}
const without: number[] = [];
const withTrigger: number[] = [];
// alternated, so a busy moment of the machine falls on both
for (let k = 0; k < 3; k++) { without.push(writeUsPerRow(false)); withTrigger.push(writeUsPerRow(true)); }
const mid = (a: number[]) => a.sort((x, y) => x - y)[1];
console.log(`  writer, full log, without the trigger ${mid(without).toFixed(1).padStart(7)} µs/row (median of 3 runs)`);
console.log(`  writer, full log, with the trigger    ${mid(withTrigger).toFixed(1).padStart(7)} µs/row: ${(mid(withTrigger) / mid(without)).toFixed(2)}x`);
for (const d of dirs) rmSync(d, { recursive: true, force: true });
