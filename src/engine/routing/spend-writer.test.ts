import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { silentLogger } from '../logger.ts';
import { migrateSpend, SpendRepository, type SpendEntry } from './spend-repository.ts';
import { SpendWriter } from './spend-writer.ts';

function setup(over: { flushMs?: number; maxBatch?: number; maxPending?: number } = {}) {
  const db = new Database(':memory:');
  migrateSpend(db);
  const repo = new SpendRepository(db);
  const clock = new ManualClock();
  const writer = new SpendWriter({ repo, clock, logger: silentLogger, ...over });
  const count = () => repo.total({ since: 0 }).requests;
  return { db, repo, clock, writer, count };
}

const entry = (i: number): SpendEntry => ({ ts: Date.UTC(2026, 0, 1), provider: 'p', model: 'm', promptTokens: i, completionTokens: 1, costUsd: 0.001 });

describe('SpendWriter', () => {
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
