// Runs load tests for the panel: one at a time, progress on the event stream, results kept in
// SQLite so a run can be compared with an earlier one.
import type { LoadTestResult, LoadTestSpec } from '../../shared/loadtest.ts';
import type { EngineEvent } from '../../shared/events.ts';
import type { Clock } from '../clock.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Db, Migration } from '../store/database.ts';
import { runLoadTest, validateLoadTestSpec } from './load-test.ts';

export const loadTestMigration: Migration = {
  version: 3,
  name: 'load test results',
  up(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS load_tests (
      id TEXT PRIMARY KEY,
      started_at INTEGER NOT NULL,
      result TEXT NOT NULL
    )`);
  },
};

export interface LoadTestRunnerOptions {
  db: Db;
  clock: Clock;
  newId: () => string;
  baseUrl: () => string;
  clientToken: () => string | undefined;
  emit(e: EngineEvent): void;
}

export class LoadTestRunner {
  #opts: LoadTestRunnerOptions;
  #running: { id: string; abort: AbortController; partial: LoadTestResult } | null = null;
  #save; #list; #get; #delete;

  constructor(opts: LoadTestRunnerOptions) {
    this.#opts = opts;
    this.#save = opts.db.prepare('INSERT OR REPLACE INTO load_tests (id, started_at, result) VALUES (?, ?, ?)');
    this.#list = opts.db.prepare('SELECT result FROM load_tests ORDER BY started_at DESC LIMIT 50');
    this.#get = opts.db.prepare('SELECT result FROM load_tests WHERE id = ?');
    this.#delete = opts.db.prepare('DELETE FROM load_tests WHERE id = ?');
  }

  start(rawSpec: unknown): { id: string } {
    const spec: LoadTestSpec = validateLoadTestSpec(rawSpec);
    // the client's request conflicts with the run under way: a 409 to act on, not a server failure to retry
    if (this.#running) throw new ConflictError(`A load test is already running ('${this.#running.id}'); cancel it or wait for it to finish.`, null, 'SLUICE_LOADTEST_BUSY');
    const id = this.#opts.newId();
    const abort = new AbortController();
    const now = this.#opts.clock.now();
    const partial: LoadTestResult = {
      id, name: spec.name ?? `${spec.endpoint} × ${spec.concurrency}`, spec, startedAt: now, finishedAt: 0, state: 'running',
      requests: 0, succeeded: 0, failed: 0, requestsPerSecond: 0, latencyMs: { p50: 0, p95: 0, p99: 0, max: 0, mean: 0 },
      successRate: 0, hitRate: 0, cacheResults: {}, errors: {},
    };
    this.#running = { id, abort, partial };
    this.#opts.emit({ type: 'loadtest', ts: now, detail: { id, state: 'running' } });
    runLoadTest({
      baseUrl: this.#opts.baseUrl(), spec, id, token: this.#opts.clientToken(), signal: abort.signal,
      now: () => this.#opts.clock.now(),
      onProgress: (p) => {
        // the running row of the results list (a panel opened mid-run) reads the same figures as the events
        partial.requests = p.done;
        partial.requestsPerSecond = Math.round(p.requestsPerSecond * 10) / 10;
        partial.succeeded = p.succeeded;
        partial.failed = p.failed;
        partial.latencyMs = { ...partial.latencyMs, p50: p.latencyMs.p50, p95: p.latencyMs.p95 };
        partial.successRate = p.done ? p.succeeded / p.done : 0;
        partial.hitRate = p.hitRate;
        partial.errors = p.errors;
        this.#opts.emit({ type: 'loadtest', ts: this.#opts.clock.now(), detail: { ...p, state: 'running' } });
      },
    }).then((result) => this.#finish(result), (err: Error) => {
      this.#finish({ ...partial, state: 'failed', finishedAt: this.#opts.clock.now(), errors: { [err.name]: 1 } });
    });
    return { id };
  }

  #finish(result: LoadTestResult): void {
    this.#running = null;
    this.#save.run(result.id, result.startedAt, JSON.stringify(result));
    this.#opts.emit({ type: 'loadtest', ts: this.#opts.clock.now(), detail: { id: result.id, state: result.state, result } });
  }

  list(): LoadTestResult[] {
    const saved = (this.#list.all() as Array<{ result: string }>).map((r) => JSON.parse(r.result) as LoadTestResult);
    return this.#running ? [this.#running.partial, ...saved] : saved;
  }

  get(id: string): LoadTestResult {
    if (this.#running?.id === id) return this.#running.partial;
    const row = this.#get.get(id) as { result: string } | undefined;
    if (!row) throw new NotFoundError(`No load test '${id}'.`);
    return JSON.parse(row.result) as LoadTestResult;
  }

  /** True when the run was stopped; false when it had already finished (a 404 when there is no such run). */
  cancel(id: string): boolean {
    if (this.#running?.id !== id) {
      this.get(id);
      return false;
    }
    this.#running.abort.abort();
    return true;
  }

  delete(id: string): void {
    // a running run is saved when it ends: deleting it now would bring it back then
    if (this.#running?.id === id) throw new ConflictError(`The load test '${id}' is still running; cancel it first.`, null, 'SLUICE_LOADTEST_RUNNING');
    if (this.#delete.run(id).changes === 0) throw new NotFoundError(`No load test '${id}'.`);
  }

  stop(): void { this.#running?.abort.abort(); }
}
