// Writes rows of one table from a worker thread with its own SQLite connection, so the inserts, the
// trim and WAL checkpoints leave the event loop that answers requests. At 16k cache hits/s the request
// log's inserts took about 8 µs of the main thread per request (bench:cache).
// The main thread posts batches and never waits for them, except in settle(): before reading the table
// or closing, it blocks on a shared counter until the worker has finished every batch posted so far,
// so a read sees every row appended before it, as when the writes ran on the main thread.
// The worker runs the function below, turned into source (eval worker): it must use nothing from
// outside its own body, and loads better-sqlite3 from the path this module resolves. The browser tests
// run the built bundle (e2e/engine-process.ts), where a bundler's rewrites of it would show.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.ts';

export interface LogWriterOptions {
  /** What it writes, for log lines ('request log'). */
  name: string;
  /** The database file; the table and its indexes must exist. */
  file: string;
  /** Statement for one row, with positional parameters. */
  insertSql: string;
  /** Statement run after each batch with the bound as its one parameter (drops the oldest rows). */
  trimSql: string;
  logger: Logger;
  /** Rows kept for retry while writes fail (e.g. disk full); the oldest are dropped past it. Default 50,000. */
  maxBacklog?: number;
  /** While failing, the worker retries this often (ms); default 250. */
  retryMs?: number;
  /** Called when writes start failing, and again with each failure while they do: SQLite's error, code included (SQLITE_FULL …). */
  onError?(err: Error & { code?: string }): void;
  /** Called once when writes succeed again after failing. */
  onRecover?(): void;
}

interface WorkerData {
  sqlitePath: string; file: string; insertSql: string; trimSql: string; maxBacklog: number; retryMs: number; shared: SharedArrayBuffer;
}

/** Slots of the shared counter: the last batch the worker has finished with (written or kept for retry). */
const SETTLED = 0;

/** The worker's body. Turned into source text: no imports, no names from outside. */
function logWriterWorker(): void {
  // no `require` or `import`: a bundler would rewrite them into helpers this source does not carry
  const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
  const data = workerData as WorkerData;
  const load = process.getBuiltinModule('node:module').createRequire(data.sqlitePath);
  const Database = load(data.sqlitePath) as typeof import('better-sqlite3');
  const settled = new Int32Array(data.shared);
  const db = new Database(data.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // prepared at the first write, so a table that cannot be written yet is a failed write, retried
  let insert: import('better-sqlite3').Statement | null = null;
  let trim: import('better-sqlite3').Statement | null = null;
  const write = db.transaction((rows: unknown[][], maxRows: number) => {
    insert ??= db.prepare(data.insertSql);
    trim ??= db.prepare(data.trimSql);
    for (const r of rows) insert.run(r);
    trim.run(maxRows);
  });
  let backlog: unknown[][] = [];
  let maxRows = 1;
  let failing = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  const attempt = () => {
    if (retry) { clearTimeout(retry); retry = null; }
    if (backlog.length > data.maxBacklog) {
      const dropped = backlog.length - data.maxBacklog;
      backlog.splice(0, dropped);
      parentPort!.postMessage({ dropped });
    }
    try {
      write(backlog, maxRows);
      backlog = [];
      if (failing) { failing = false; parentPort!.postMessage({ recovered: true }); }
    } catch (err) {
      failing = true;
      parentPort!.postMessage({ failed: String((err as Error)?.message ?? err), code: (err as { code?: string })?.code });
      retry = setTimeout(attempt, data.retryMs);
    }
  };
  parentPort!.on('message', (m: { rows?: unknown[][]; maxRows?: number; mark: number; close?: boolean }) => {
    if (m.close) {
      if (backlog.length > 0) attempt();
      if (retry) clearTimeout(retry);
      db.close();
    } else {
      if (m.rows && m.rows.length > 0) backlog = backlog.length > 0 ? backlog.concat(m.rows) : m.rows;
      if (m.maxRows !== undefined) maxRows = m.maxRows;
      if (backlog.length > 0 || m.maxRows !== undefined) attempt();
    }
    Atomics.store(settled, 0, m.mark);
    Atomics.notify(settled, 0);
  });
}

export class LogWriterThread {
  #opts: LogWriterOptions;
  #data: WorkerData;
  #settled = new Int32Array(new SharedArrayBuffer(4));
  #worker: Worker | null = null;
  #posted = 0;
  #closed = false;
  #restarts = 0;

  constructor(opts: LogWriterOptions) {
    this.#opts = opts;
    this.#data = {
      sqlitePath: createRequire(import.meta.url).resolve('better-sqlite3'), file: opts.file, insertSql: opts.insertSql,
      trimSql: opts.trimSql, maxBacklog: opts.maxBacklog ?? 50_000, retryMs: opts.retryMs ?? 250, shared: this.#settled.buffer as SharedArrayBuffer,
    };
    this.#start();
  }

  /** Hands a batch to the worker (rows of positional parameters) and returns at once; `maxRows` bounds the table after it. */
  write(rows: unknown[][], maxRows: number): void {
    this.#post({ rows, maxRows });
  }

  /** Blocks until the worker has finished with every batch posted so far (at most `timeoutMs`). */
  settle(timeoutMs = 5_000): void {
    if (!this.#worker) return;
    const until = performance.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.#settled, SETTLED);
      if (seen >= this.#posted) return;
      const left = until - performance.now();
      if (left <= 0 || Atomics.wait(this.#settled, SETTLED, seen, left) === 'timed-out') {
        this.#opts.logger.warn(`${this.#opts.name} writer: gave up waiting for the writer thread`, { waitedMs: timeoutMs });
        return;
      }
    }
  }

  /** Writes what was posted, closes the worker's connection and ends the thread. */
  close(): void {
    if (this.#closed) return;
    this.#post({ close: true });
    this.settle();
    this.#closed = true;
    void this.#worker?.terminate();
    this.#worker = null;
  }

  #post(m: { rows?: unknown[][]; maxRows?: number; close?: boolean }): void {
    if (this.#closed || !this.#worker) return;
    this.#worker.postMessage({ ...m, mark: ++this.#posted });
  }

  #start(): void {
    // a young generation of 4 MB, not the host's 16: the thread keeps only a batch of rows at a time
    // alive, and its heap had grown to 24 MB under load (2026-12-03)
    const worker = new Worker(`(${logWriterWorker.toString()})()`, { eval: true, workerData: this.#data, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    worker.unref();
    worker.on('message', (m: { failed?: string; code?: string; recovered?: boolean; dropped?: number }) => {
      if (m.failed !== undefined) this.#opts.onError?.(Object.assign(new Error(m.failed), { code: m.code }));
      else if (m.recovered) this.#opts.onRecover?.();
      else if (m.dropped) this.#opts.logger.warn(`${this.#opts.name} writer: dropped rows kept while writes failed`, { dropped: m.dropped });
    });
    worker.on('error', (err) => {
      this.#opts.logger.warn(`${this.#opts.name} writer thread failed`, { error: String(err?.message ?? err) });
      this.#opts.onError?.(err instanceof Error ? err : new Error(String(err)));
    });
    worker.on('exit', () => {
      if (this.#closed || this.#worker !== worker) return;
      // batches it had not finished are lost; settle() must not wait for them
      Atomics.store(this.#settled, SETTLED, this.#posted);
      this.#worker = null;
      if (this.#restarts++ < 3) this.#start();
    });
    this.#worker = worker;
  }
}
