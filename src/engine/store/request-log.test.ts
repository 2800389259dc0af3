import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { silentLogger } from '../logger.ts';
import { migrate, openDatabase } from './database.ts';
import { openRequestLogDb, REQUEST_LOG_MIGRATIONS, RequestLog, requestLogSchema, type RequestLogQuery, type RequestLogRow } from './request-log.ts';

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
    migrate(db, REQUEST_LOG_MIGRATIONS);
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

  it('filters by status class, one code, and ok/error with a request that got no answer (0) counted as an error', () => {
    const log = new RequestLog({ db: open(), clock: new ManualClock(), logger: silentLogger, maxRows: 1_000 });
    const statuses = [200, 201, 304, 400, 404, 429, 499, 500, 502, 0];
    statuses.forEach((status, i) => log.append(row(i, { status })));
    const found = (q: RequestLogQuery) => log.list(q).map((r) => r.status).sort((a, b) => a - b);
    expect(found({ status: '2xx' })).toEqual([200, 201]);
    expect(found({ status: '4xx' })).toEqual([400, 404, 429, 499]);
    expect(found({ status: '5xx' })).toEqual([500, 502]);
    expect(found({ status: 429 })).toEqual([429]);
    expect(found({ status: 'ok' })).toEqual([200, 201, 304]);
    expect(found({ status: 'error' })).toEqual([0, 400, 404, 429, 499, 500, 502]);
  });
});

describe('RequestLog values', () => {
  const open = () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'sluice-log-')), 'requests.db'));
    migrate(db, REQUEST_LOG_MIGRATIONS);
    return db;
  };

  it('lists each filtered field’s values in the whole log, not in the newest rows only, sorted, without empty ones', () => {
    const log = new RequestLog({ db: open(), clock: new ManualClock(), logger: silentLogger, maxRows: 10_000 });
    log.append(row(0, { model: 'old-model', requestedModel: 'fast', provider: 'openai', status: 429, cache: 'hit-semantic', endpoint: 'embeddings' }));
    log.append(row(1, { model: '', requestedModel: '', status: 400, cache: 'bypass' }));
    for (let i = 2; i < 3_000; i++) log.append(row(i));
    expect(log.values()).toEqual({
      model: ['a', 'b', 'old-model'], requestedModel: ['fast', 'x'], provider: ['openai', 'p'], endpoint: ['chat', 'embeddings'],
      status: [200, 400, 429, 500], cache: ['bypass', 'hit-semantic', 'miss'], truncated: [],
    });
    log.close();
  });

  it('forgets a value once the bound has dropped every row that held it', () => {
    const log = new RequestLog({ db: open(), clock: new ManualClock(), logger: silentLogger, maxRows: 100 });
    log.append(row(0, { model: 'gone-model' }));
    log.append(row(1, { model: 'kept-model' }));
    for (let i = 2; i < 100; i++) log.append(row(i));
    expect(log.values().model).toEqual(['a', 'b', 'gone-model', 'kept-model']);
    log.append(row(100));
    expect(log.values().model).toEqual(['a', 'b', 'kept-model']);
    log.close();
  });

  it('keeps to the limit per field, the values of the newest rows, and says which fields it cut', () => {
    const log = new RequestLog({ db: open(), clock: new ManualClock(), logger: silentLogger, maxRows: 10_000 });
    for (let i = 0; i < 50; i++) log.append(row(i, { model: `m${String(i).padStart(2, '0')}` }));
    const values = log.values(5);
    expect(values.model).toEqual(['m45', 'm46', 'm47', 'm48', 'm49']);
    expect(values.truncated).toEqual(['model']);
    expect(values.provider).toEqual(['p']);
    log.close();
  });

  it('a model named like a number stays text, a status stays a number', () => {
    const log = new RequestLog({ db: open(), clock: new ManualClock(), logger: silentLogger, maxRows: 100 });
    log.append(row(1, { model: '429', status: 429 }));
    const values = log.values();
    expect(values.model).toContain('429');
    expect(values.status).toEqual([429]);
    expect(log.list({ model: '429' })).toHaveLength(1);
    log.close();
  });
});

describe('RequestLog paging', () => {
  it('pages newest first by receive time with beforeId, every row exactly once, ties in one ms included', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'sluice-log-')), 'requests.db'));
    migrate(db, REQUEST_LOG_MIGRATIONS);
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
    expect(() => log.list({ beforeId: 'no-such-id' })).toThrow(expect.objectContaining({ status: 400, param: 'beforeId', message: expect.stringContaining("no logged request 'no-such-id'") }));
    log.close();
  });
});

describe('requests.db', () => {
  it('a log from before the values table has its values listed after the upgrade, and they follow new rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-log-'));
    const old = openDatabase(join(dir, 'requests.db'));
    migrate(old, [requestLogSchema]);
    old.prepare(`INSERT INTO request_log (id, ts, endpoint, path, method, model, requested_model, provider, status, latency_ms,
      first_byte_ms, stream, cache, attempts, prompt_tokens, completion_tokens, cost_usd, error_code, client, detail)
      VALUES ('old-1', 1, 'chat', '/v1/chat/completions', 'POST', 'sim-chat', 'smart', 'simulator', 503, 1, NULL, 0, 'stale', 1, 0, 0, 0, NULL, 'c', '{}')`).run();
    old.close();
    const log = new RequestLog({ db: openRequestLogDb(dir, silentLogger), clock: new ManualClock(), logger: silentLogger, maxRows: 100 });
    expect(log.values()).toMatchObject({ model: ['sim-chat'], requestedModel: ['smart'], provider: ['simulator'], status: [503], cache: ['stale'] });
    log.append(row(2, { model: 'after' }));
    expect(log.values().model).toEqual(['after', 'sim-chat']);
    log.close();
  });

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
