import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateReplayRepeats, migrateSemanticLog, SemanticLog } from './semantic-log.ts';

function open(opts: { maxHits?: number; maxRequests?: number } = {}) {
  const db = new Database(':memory:');
  migrateSemanticLog(db);
  migrateReplayRepeats(db);
  return new SemanticLog({ db, schedule: () => {}, ...opts });
}

const hit = (id: string, ts: number, entryKey = 'e1') => ({
  id, ts, requestId: `r-${id}`, entryKey, embedder: 'local', askedText: 'asked', cachedText: 'cached', score: 0.97, threshold: 0.95,
});

describe('SemanticLog', () => {
  it('lists hits newest first, keeps only maxHits, and marks one false', () => {
    const log = open({ maxHits: 2 });
    log.recordHit(hit('a', 1));
    log.recordHit(hit('b', 2));
    log.recordHit(hit('c', 3));
    expect(log.hits(10).map((h) => h.id)).toEqual(['c', 'b']);
    log.markFalse('b');
    expect(log.hit('b')?.markedFalse).toBe(true);
    expect(log.hit('c')?.markedFalse).toBe(false);
  });

  it('marks every hit of the pair false, not only the one clicked', () => {
    const log = open();
    const asked = (id: string, ts: number, text: string, entryKey = 'e1') => ({ ...hit(id, ts, entryKey), askedText: text });
    log.recordHit(asked('old', 1, 'Who was the CEO of Apple?'));
    log.recordHit(asked('other-question', 2, 'Who is the boss of Apple?'));
    log.recordHit(asked('other-entry', 3, 'Who was the CEO of Apple?', 'e2'));
    log.recordHit(asked('new', 4, 'Who was the CEO of Apple?'));
    expect(log.markFalse('new', (text) => text === 'Who was the CEO of Apple?').sort()).toEqual(['new', 'old']);
    expect(log.hits(10).map((h) => [h.id, h.markedFalse])).toEqual([['new', true], ['other-entry', false], ['other-question', false], ['old', true]]);
    expect(log.markFalse('nope')).toEqual([]);
  });

  it('drops the hits of deleted entries, or all of them', () => {
    const log = open();
    log.recordHit(hit('a', 1, 'e1'));
    log.recordHit(hit('b', 2, 'e2'));
    log.forgetEntries(['e1']);
    expect(log.hits(10).map((h) => h.id)).toEqual(['b']);
    log.forgetEntries('all');
    expect(log.hits(10)).toEqual([]);
  });

  it('returns the most recent request records oldest first, bounded by maxRequests', () => {
    const log = open({ maxRequests: 3 });
    for (let i = 0; i < 5; i++) log.recordRequest({ ts: i, contextKey: 'k', text: `q${i}`, answer: `a${i}`, tokens: 10, costUsd: 0.001 });
    expect(log.recentRequests(10).map((r) => r.text)).toEqual(['q2', 'q3', 'q4']);
    expect(log.recentRequests(2).map((r) => r.text)).toEqual(['q3', 'q4']);
    expect(log.counts()).toEqual({ hits: 0, requests: 3 });
  });

  it('counts back-to-back repeats on the record still waiting to be written, and replays them in place', () => {
    const log = open();
    const q = (text: string, answer: string) => ({ ts: 1, contextKey: 'k', text, answer, tokens: 10, costUsd: 0.001 });
    log.recordRequest(q('same', 'a1'), 'key-same');
    expect(log.repeatRequest('key-same', 'a1')).toBe(true);
    expect(log.repeatRequest('key-same', 'a1')).toBe(true);
    // a refreshed entry that answers differently is a record of its own
    expect(log.repeatRequest('key-same', 'a2')).toBe(false);
    expect(log.repeatRequest('key-other', 'a1')).toBe(false);
    log.recordRequest(q('other', 'b'), 'key-other');
    expect(log.counts().requests).toBe(4);
    // once written, a repeat starts a new record, so order is kept across flushes
    expect(log.repeatRequest('key-same', 'a1')).toBe(false);
    log.recordRequest(q('same', 'a1'), 'key-same');
    expect(log.recentRequests(100).map((r) => [r.text, r.repeats])).toEqual([['same', 3], ['other', 1], ['same', 1]]);
    expect(log.counts().requests).toBe(5);
    // the limit counts requests: the oldest record's repeats are cut to fit
    expect(log.recentRequests(3).map((r) => [r.text, r.repeats])).toEqual([['same', 1], ['other', 1], ['same', 1]]);
  });

  it('writes nothing after close and rejects bad bounds', () => {
    const log = open();
    log.close();
    log.recordRequest({ ts: 1, contextKey: 'k', text: 'q', answer: 'a', tokens: 1, costUsd: 0 });
    expect(() => open({ maxHits: 0 })).toThrow(/maxHits/);
  });
});
