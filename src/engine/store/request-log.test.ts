import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { silentLogger } from '../logger.ts';
import { migrate, openDatabase } from './database.ts';
import { openRequestLogDb, RequestLog, requestLogSchema, type RequestLogRow } from './request-log.ts';

function row(i: number, extra: Partial<RequestLogRow> = {}): RequestLogRow {
  return {
    id: `r${i}`, ts: 1_000 + i, endpoint: 'chat', path: '/v1/chat/completions', method: 'POST', model: i % 2 ? 'a' : 'b',
    requestedModel: 'x', provider: 'p', status: i % 5 === 0 ? 500 : 200, latencyMs: 1, firstByteMs: null, stream: false,
    cache: 'miss', attempts: 1, promptTokens: 1, completionTokens: 1, costUsd: 0, errorCode: null, client: 'c',
    detail: { trace: [], timings: {}, cacheKey: null, requestHeaders: {} }, ...extra,
  };
}

describe('RequestLog', () => {
  const open = () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'sluice-log-')), 'sluice.db'));
    migrate(db, [requestLogSchema]);
    return db;
  };

  it('keeps at most maxRows, dropping the oldest', () => {
    const log = new RequestLog({ db: open(), clock: new ManualClock(), logger: silentLogger, maxRows: 100 });
    for (let i = 0; i < 2_500; i++) log.append(row(i));
    log.flush();
    expect(log.count()).toBe(100);
    const newest = log.list({ limit: 1 })[0];
    expect(newest.id).toBe('r2499');
    expect(log.get('r5')).toBeNull();
  });

  it('takes a new bound while running: the next flush trims to it', () => {
    const log = new RequestLog({ db: open(), clock: new ManualClock(), logger: silentLogger, maxRows: 1_000 });
    for (let i = 0; i < 300; i++) log.append(row(i));
    log.flush();
    expect(log.count()).toBe(300);
    log.setMaxRows(50);
    log.append(row(300));
    log.flush();
    expect(log.count()).toBe(50);
    expect(log.list({ limit: 1 })[0].id).toBe('r300');
    expect(() => log.setMaxRows(0)).toThrow(RangeError);
  });

  it('filters by model, status class and text, newest first', () => {
    const log = new RequestLog({ db: open(), clock: new ManualClock(), logger: silentLogger, maxRows: 1_000 });
    for (let i = 1; i <= 20; i++) log.append(row(i));
    expect(log.list({ model: 'a' }).every((r) => r.model === 'a')).toBe(true);
    expect(log.list({ status: 'error' }).map((r) => r.id)).toEqual(['r20', 'r15', 'r10', 'r5']);
    expect(log.list({ text: 'r1_' }).length).toBe(0);
    expect(log.list({ text: 'r17' }).map((r) => r.id)).toEqual(['r17']);
    // the panel's fields: error code, client and provider too, and not the request headers in the detail
    log.append(row(21, { errorCode: 'budget_exceeded', status: 429, client: 'qa-runner', detail: { trace: [], timings: {}, cacheKey: null, requestHeaders: { connection: 'keep-alive' } } }));
    expect(log.list({ text: 'budget_exc' }).map((r) => r.id)).toEqual(['r21']);
    expect(log.list({ text: 'QA-RUN' }).map((r) => r.id)).toEqual(['r21']);
    expect(log.list({ text: '429' }).map((r) => r.id)).toEqual(['r21']);
    expect(log.list({ text: 'keep-alive' })).toEqual([]);
  });
});

describe('RequestLog paging', () => {
  it('pages newest first by receive time with beforeId, every row exactly once, ties in one ms included', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'sluice-log-')), 'requests.db'));
    migrate(db, [requestLogSchema]);
    const log = new RequestLog({ db, clock: new ManualClock(), logger: silentLogger, maxRows: 10_000 });
    // finished out of the order they were received in, and many in the same millisecond
    const received = Array.from({ length: 300 }, (_, i) => ({ id: `q${i}`, ts: 5_000 + Math.floor(i / 7) }));
    for (const r of [...received].sort((a, b) => ((a.ts * 31 + Number(a.id.slice(1))) % 17) - ((b.ts * 31 + Number(b.id.slice(1))) % 17))) {
      log.append(row(0, { id: r.id, ts: r.ts, endpoint: Number(r.id.slice(1)) % 3 ? 'chat' : 'embeddings' }));
    }
    const seen: string[] = [];
    let last: string | undefined;
    for (;;) {
      const page = log.list({ limit: 23, beforeId: last });
      if (page.length === 0) break;
      seen.push(...page.map((r) => r.id));
      last = page.at(-1)!.id;
    }
    expect(seen).toHaveLength(300);
    expect(new Set(seen).size).toBe(300);
    const ts = seen.map((id) => received.find((r) => r.id === id)!.ts);
    expect(ts).toEqual([...ts].sort((a, b) => b - a));
    expect(log.list({ endpoint: 'embeddings', limit: 1000 })).toHaveLength(100);
    expect(() => log.list({ beforeId: 'no-such-id' })).toThrow(/No logged request 'no-such-id'/);
    log.close();
  });
});

describe('requests.db', () => {
  it('is moved aside when unreadable, and a new one started', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-log-'));
    writeFileSync(join(dir, 'requests.db'), 'not a database, '.repeat(400));
    const warnings: string[] = [];
    const db = openRequestLogDb(dir, { ...silentLogger, warn: (m: string) => { warnings.push(m); } }, 1234);
    expect((db.prepare('SELECT COUNT(*) AS n FROM request_log').get() as { n: number }).n).toBe(0);
    db.close();
    expect(readFileSync(join(dir, 'requests.db.unreadable-1234'), 'utf8')).toContain('not a database');
    expect(warnings).toEqual(['request log unreadable; moved aside and started anew']);
  });
});
