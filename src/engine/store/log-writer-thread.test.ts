import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { LogWriterThread, type LogWriterOptions } from './log-writer-thread.ts';

const SCHEMA = 'CREATE TABLE t (seq INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT NOT NULL)';
const open: LogWriterThread[] = [];
afterEach(() => { for (const w of open.splice(0)) w.close(); });

function setup(opts: Partial<LogWriterOptions> = {}) {
  const file = join(mkdtempSync(join(tmpdir(), 'sluice-writer-')), 'log.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA);
  const writer = new LogWriterThread({
    name: 'test log', file, insertSql: 'INSERT INTO t (v) VALUES (?)', trimSql: 'DELETE FROM t WHERE seq <= (SELECT MAX(seq) FROM t) - ?', logger: silentLogger, ...opts,
  });
  open.push(writer);
  const values = () => db.prepare('SELECT v FROM t ORDER BY seq').pluck().all() as string[];
  return { db, writer, values };
}

describe('LogWriterThread', () => {
  it('writes batches on its own thread; settle() returns once every batch posted is in the file', () => {
    const { writer, values } = setup();
    writer.write([['a'], ['b']], 100);
    writer.write([['c']], 100);
    writer.settle();
    expect(values()).toEqual(['a', 'b', 'c']);
  });

  it('trims the table to the bound given with each batch', () => {
    const { writer, values } = setup();
    writer.write(Array.from({ length: 10 }, (_, i) => [`r${i}`]), 100);
    writer.write([['r10']], 3);
    writer.settle();
    expect(values()).toEqual(['r8', 'r9', 'r10']);
  });

  it('reports failing writes, keeps their rows, and writes them once it can again', async () => {
    const errors: string[] = [];
    let recovered!: () => void;
    const back = new Promise<void>((r) => { recovered = r; });
    const { db, writer, values } = setup({ retryMs: 5, onError: (err) => errors.push(`${err.code}: ${err.message}`), onRecover: () => recovered() });
    writer.write([['before']], 100);
    writer.settle();
    db.exec('DROP TABLE t');
    writer.write([['kept 1'], ['kept 2']], 100);
    writer.settle();
    await expect.poll(() => errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^SQLITE_ERROR: no such table/);
    db.exec(SCHEMA);
    await back;
    expect(values()).toEqual(['kept 1', 'kept 2']);
  });

  it('writes what was posted on close, then ignores further rows', () => {
    const { writer, values } = setup();
    writer.write([['last']], 100);
    writer.close();
    writer.write([['after close']], 100);
    writer.settle();
    expect(values()).toEqual(['last']);
  });
});
