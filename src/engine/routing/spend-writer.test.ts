import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { silentLogger } from '../logger.ts';
import { migrateSpend, migrateSpendRequests, SpendRepository, type SpendEntry } from './spend-repository.ts';
import { SpendWriter } from './spend-writer.ts';

function setup(over: { flushMs?: number; maxBatch?: number; maxPending?: number } = {}) {
  const db = new Database(':memory:');
  migrateSpend(db);
  migrateSpendRequests(db);
  const repo = new SpendRepository(db);
  const clock = new ManualClock();
  const writer = new SpendWriter({ repo, clock, logger: silentLogger, ...over });
  const count = () => repo.total({ since: 0 }).requests;
  const rows = () => (db.prepare('SELECT COUNT(*) AS n FROM spend').get() as { n: number }).n;
  return { db, repo, clock, writer, count, rows };
}

/** Entries of distinct models, so each is a row of its own. */
const entry = (i: number): SpendEntry => ({ ts: Date.UTC(2026, 0, 1), provider: 'p', model: `m${i}`, promptTokens: i, completionTokens: 1, costUsd: 0.001 });
const T0 = Date.UTC(2026, 0, 1, 12, 30);

describe('SpendWriter', () => {
  it('adds a cost that is not a number as 0, so one bad entry cannot make its whole row unreadable', () => {
    const { writer, repo } = setup();
    writer.add({ ...entry(1), costUsd: 0.25 });
    writer.add({ ...entry(1), costUsd: Infinity });
    writer.add({ ...entry(1), costUsd: Number.NaN });
    writer.flush();
    expect(repo.total({ since: 0 })).toEqual({ usd: 0.25, tokens: 6, requests: 3 });
  });

  it('counts spend rows an older build stored with an unreadable cost as $0, keeping their tokens', () => {
    const { db, repo } = setup();
    const insert = db.prepare('INSERT INTO spend (ts, provider, model, prompt_tokens, completion_tokens, cost_usd) VALUES (?, ?, ?, ?, ?, ?)');
    insert.run(T0, 'p', 'm', 100, 50, Infinity);
    insert.run(T0, 'p', 'm', 10, 5, 0.5);
    expect(repo.total({ since: 0 }).usd).toBe(Infinity);
    expect(repo.zeroUnreadableCosts()).toBe(1);
    expect(repo.total({ since: 0 })).toEqual({ usd: 0.5, tokens: 165, requests: 2 });
    expect(repo.zeroUnreadableCosts()).toBe(0);
  });

  it('writes in one batch after flushMs, not on the request path', () => {
    const { clock, writer, count } = setup({ flushMs: 250 });
    writer.add(entry(1));
    writer.add(entry(2));
    expect(count()).toBe(0);
    clock.advance(249);
    expect(count()).toBe(0);
    clock.advance(1);
    expect(count()).toBe(2);
  });

  it('writes at once when maxBatch rows wait, and on flush and close', () => {
    const { writer, count } = setup({ maxBatch: 3 });
    for (let i = 0; i < 3; i++) writer.add(entry(i));
    expect(count()).toBe(3);
    writer.add(entry(4));
    writer.flush();
    expect(count()).toBe(4);
    writer.add(entry(5));
    writer.close();
    expect(count()).toBe(5);
    writer.add(entry(6));
    writer.flush();
    expect(count()).toBe(5);
  });

  it("sums a minute's requests of one provider, model, alias and tags into one row", () => {
    const { writer, repo, rows } = setup();
    const e = (over: Partial<SpendEntry>): SpendEntry => ({ ts: T0, provider: 'p', model: 'm', alias: 'smart', tags: ['team-a'], promptTokens: 10, completionTokens: 5, costUsd: 0.25, ...over });
    for (let i = 0; i < 1_000; i++) writer.add(e({ ts: T0 + (i % 60) * 1000 }));
    writer.add(e({ ts: T0 + 60_000 })); // the next minute
    writer.add(e({ model: 'other' }));
    writer.add(e({ alias: null }));
    writer.add(e({ tags: ['team-b'] }));
    writer.flush();
    expect(rows()).toBe(5);
    expect(repo.total({ since: 0 })).toEqual({ usd: 251, tokens: 15_060, requests: 1_004 });
    expect(repo.total({ since: 0, model: 'm', alias: 'smart', tag: 'team-a' })).toEqual({ usd: 250.25, tokens: 15_015, requests: 1_001 });
    // a budget's window starts on a whole UTC day: every request of the day is inside it
    expect(repo.total({ since: Date.UTC(2026, 0, 1), until: Date.UTC(2026, 0, 2) }).requests).toBe(1_004);
    expect(repo.daily(0)).toEqual([
      { day: '2026-01-01', provider: 'p', model: 'm', usd: 250.75, tokens: 15_045, requests: 1_003 },
      { day: '2026-01-01', provider: 'p', model: 'other', usd: 0.25, tokens: 15, requests: 1 },
    ]);
  });

  it('survives a failing database: the rows are dropped, later rows still go in', () => {
    const { db, writer, count } = setup();
    db.exec('ALTER TABLE spend RENAME TO spend_gone');
    writer.add(entry(1));
    expect(() => writer.flush()).not.toThrow();
    db.exec('ALTER TABLE spend_gone RENAME TO spend');
    writer.add(entry(2));
    writer.flush();
    expect(count()).toBe(1);
  });
});
