import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../store/database.ts';
import { fromDense } from './embedder.ts';
import { NgramEmbedder } from './ngram-embedder.ts';
import { SemanticMatcher } from './semantic-matcher.ts';
import { migrateSemantic, SemanticRepository } from './semantic-repository.ts';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function open(dir?: string): { db: Db; dir: string } {
  const d = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-semantic-'));
  if (!dir) dirs.push(d);
  const db = openDatabase(path.join(d, 'sluice.db'));
  dbs.push(db);
  migrateSemantic(db);
  return { db, dir: d };
}

describe('SemanticRepository', () => {
  it('migrates idempotently', () => {
    const { db } = open();
    expect(() => migrateSemantic(db)).not.toThrow();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'semantic_%' ORDER BY name").all();
    expect(tables).toEqual([{ name: 'semantic_entries' }, { name: 'semantic_false_hits' }]);
  });

  it('round-trips sparse and dense vectors per embedder', () => {
    const { db } = open();
    const repo = new SemanticRepository(db);
    const sparse = new NgramEmbedder().embedOne('What is machine learning?');
    const dense = fromDense([0.1, 0.2, 0.3]);
    repo.save('local', { entryKey: 'a', contextKey: 'c', text: 'What is machine learning?', vector: sparse, threshold: null, createdAt: 5 });
    repo.save('target', { entryKey: 'b', contextKey: 'c', text: 'x', vector: dense, threshold: 0.97, createdAt: 6 });
    const local = repo.load('local');
    expect(local.entries).toHaveLength(1);
    expect([...local.entries[0].vector.indices]).toEqual([...sparse.indices]);
    expect([...local.entries[0].vector.values]).toEqual([...sparse.values]);
    const target = repo.load('target').entries[0];
    expect(target).toMatchObject({ entryKey: 'b', threshold: 0.97, createdAt: 6 });
    expect([...target.vector.indices]).toEqual([0, 1, 2]);
    expect([...target.vector.values]).toEqual([...dense.values]);
  });

  it('keeps what a matcher learned across a restart, and clears it with the cache entries', async () => {
    const { db, dir } = open();
    const embedder = new NgramEmbedder();
    const a = new SemanticMatcher({ embedder, now: () => 1, persistence: new SemanticRepository(db) });
    await a.remember('entry-1', { contextKey: 'ctx', text: 'What is quantum computing?' });
    await a.remember('entry-2', { contextKey: 'ctx', text: 'Why is the sky blue?' });
    a.markFalseHit({ queryText: 'what is quantum computing', entryKey: 'entry-1', score: 0.99 });
    db.close();
    dbs.splice(dbs.indexOf(db), 1);

    const reopened = open(dir).db;
    const repo = new SemanticRepository(reopened);
    const b = new SemanticMatcher({ embedder, now: () => 2, persistence: repo });
    const { entries, marks } = repo.load(embedder.id);
    b.restore(entries, marks);
    expect(b.entryThreshold('entry-1')).toBeCloseTo(1.01, 6);
    const policy = { threshold: 0.95, guards: true };
    expect(await b.lookup({ contextKey: 'ctx', text: 'what is quantum computing' }, policy)).toMatchObject({ outcome: 'miss', reason: 'marked-false' });
    expect(await b.lookup({ contextKey: 'ctx', text: 'why is the sky blue' }, policy)).toMatchObject({ outcome: 'hit', entryKey: 'entry-2' });

    b.forget(['entry-1']);
    expect(repo.load(embedder.id).entries.map((e) => e.entryKey)).toEqual(['entry-2']);
    expect(reopened.prepare('SELECT COUNT(*) AS n FROM semantic_false_hits').get()).toEqual({ n: 0 });
  });

  it('drops the vectors of an embedder no longer used', () => {
    const { db } = open();
    const repo = new SemanticRepository(db);
    repo.save('old', { entryKey: 'a', contextKey: 'c', text: 't', vector: fromDense([1, 0]), threshold: null, createdAt: 0 });
    repo.saveFalseHit({ entryKey: 'a', queryHash: 'h', queryText: 'q', score: 0.96, markedAt: 0 }, 0.98);
    expect(repo.deleteByEmbedder('old')).toBe(1);
    expect(repo.load('old')).toEqual({ entries: [], marks: [] });
    expect(db.prepare('SELECT COUNT(*) AS n FROM semantic_false_hits').get()).toEqual({ n: 0 });
  });
});
