import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateSpend, migrateSpendRequests, SpendRepository } from './spend-repository.ts';

let dir: string;
let db: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-spend-'));
  db = new Database(join(dir, 'sluice.db'));
  migrateSpend(db);
  migrateSpendRequests(db);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const day = (d: number, h = 12) => Date.UTC(2026, 0, d, h);

describe('SpendRepository', () => {
  it('sums spend by time, provider, model, alias and tag', () => {
    const repo = new SpendRepository(db);
    repo.recordMany([
      { ts: day(1), provider: 'openai', model: 'gpt-4o', alias: 'smart', tags: ['team-a', 'prod'], promptTokens: 100, completionTokens: 50, costUsd: 0.5 },
      { ts: day(1, 13), provider: 'openai', model: 'gpt-4o-mini', tags: ['team-b'], promptTokens: 10, completionTokens: 5, costUsd: 0.01 },
      { ts: day(2), provider: 'anthropic', model: 'claude', alias: 'smart', tags: ['team-a'], promptTokens: 1, completionTokens: 1, costUsd: 2 },
    ]);
    expect(repo.total({ since: 0 })).toEqual({ usd: 2.51, tokens: 167, requests: 3 });
    expect(repo.total({ since: day(1, 0), until: day(2, 0), provider: 'openai' }).requests).toBe(2);
    expect(repo.total({ since: 0, model: 'gpt-4o' }).usd).toBe(0.5);
    expect(repo.total({ since: 0, alias: 'smart' }).usd).toBe(2.5);
    expect(repo.total({ since: 0, tag: 'team-a' }).tokens).toBe(152);
    expect(repo.total({ since: 0, tag: 'team' }).requests).toBe(0);
    expect(repo.total({ since: day(3) })).toEqual({ usd: 0, tokens: 0, requests: 0 });
  });

  it('sums dollars without float noise', () => {
    const repo = new SpendRepository(db);
    repo.recordMany(Array.from({ length: 10 }, () => ({ ts: day(1), provider: 'p', model: 'm', promptTokens: 1, completionTokens: 1, costUsd: 0.1 })));
    expect(repo.total({ since: 0 }).usd).toBe(1);
    expect(repo.daily(0)[0].usd).toBe(1);
  });

  it('reports per-day rows and prunes old ones; survives reopening', () => {
    const repo = new SpendRepository(db);
    repo.record({ ts: day(1), provider: 'p', model: 'm', promptTokens: 1, completionTokens: 2, costUsd: 1 });
    repo.record({ ts: day(1, 20), provider: 'p', model: 'm', promptTokens: 1, completionTokens: 2, costUsd: 1 });
    repo.record({ ts: day(3), provider: 'p', model: 'm', promptTokens: 1, completionTokens: 2, costUsd: 1 });
    expect(repo.daily(0)).toEqual([
      { day: '2026-01-01', provider: 'p', model: 'm', usd: 2, tokens: 6, requests: 2 },
      { day: '2026-01-03', provider: 'p', model: 'm', usd: 1, tokens: 3, requests: 1 },
    ]);
    migrateSpend(db); // idempotent
    repo.record({ ts: day(3, 14), provider: 'p', model: 'm', promptTokens: 10, completionTokens: 20, costUsd: 5, requests: 40 });
    expect(repo.daily(day(3, 0))).toEqual([{ day: '2026-01-03', provider: 'p', model: 'm', usd: 6, tokens: 33, requests: 41 }]);
    expect(new SpendRepository(db).total({ since: 0 }).requests).toBe(43);
    expect(repo.prune(day(2))).toBe(2);
    expect(repo.total({ since: 0 }).requests).toBe(41);
  });
});
