import { describe, it, expect } from 'vitest';
import { ManualClock } from '../../clock.ts';
import { functionEmbedder } from './embedder.ts';
import { NgramEmbedder } from './ngram-embedder.ts';
import { SemanticMatcher, type FalseHitMark, type SemanticPersistence, type StoredSemanticEntry } from './semantic-matcher.ts';

const policy = { threshold: 0.95, guards: true };

function recorder() {
  const saved: StoredSemanticEntry[] = [];
  const deleted: string[] = [];
  const marks: Array<{ mark: FalseHitMark; threshold: number }> = [];
  const persistence: SemanticPersistence = {
    save: (_id, e) => { saved.push(e); },
    deleteByEntryKeys: (keys) => { deleted.push(...keys); },
    saveFalseHit: (mark, threshold) => { marks.push({ mark, threshold }); },
  };
  return { saved, deleted, marks, persistence };
}

function setup(opts: { persistence?: SemanticPersistence; falseHitMargin?: number; explainMargin?: number } = {}) {
  const clock = new ManualClock();
  return new SemanticMatcher({ embedder: new NgramEmbedder(), now: () => clock.now(), ...opts });
}

describe('SemanticMatcher', () => {
  it('hits a reworded question in the same context', async () => {
    const m = setup();
    await m.remember('entry-1', { contextKey: 'ctx', text: 'What is machine learning?' });
    const r = await m.lookup({ contextKey: 'ctx', text: "what's machine learning" }, policy);
    expect(r).toMatchObject({ outcome: 'hit', entryKey: 'entry-1', threshold: 0.95 });
    if (r.outcome === 'hit') expect(r.score).toBeGreaterThanOrEqual(0.95);
  });

  it('never looks outside the context key', async () => {
    const m = setup();
    await m.remember('entry-1', { contextKey: 'ctx-a', text: 'What is machine learning?' });
    expect(await m.lookup({ contextKey: 'ctx-b', text: 'What is machine learning?' }, policy)).toMatchObject({ outcome: 'miss', reason: 'no-candidates' });
  });

  it('misses below the threshold and reports the closest score', async () => {
    const clock = new ManualClock();
    const m = new SemanticMatcher({ embedder: new NgramEmbedder(), now: () => clock.now(), nearMissMargin: 0.3 });
    await m.remember('e', { contextKey: 'ctx', text: 'How do I delete a branch in Git?' });
    const r = await m.lookup({ contextKey: 'ctx', text: 'How do I delete a tag in Git?' }, { threshold: 0.95, guards: true });
    expect(r).toMatchObject({ outcome: 'miss', reason: 'below-threshold', entryKey: 'e' });
    if (r.outcome === 'miss') expect(r.bestScore!).toBeGreaterThan(0.65);
    if (r.outcome === 'miss') expect(r.bestScore!).toBeLessThan(0.95);
    // Without a near-miss or explain margin the search stays at the threshold: nothing close enough.
    const narrow = new SemanticMatcher({ embedder: new NgramEmbedder(), now: () => clock.now(), explainMargin: 0 });
    await narrow.remember('e', { contextKey: 'ctx', text: 'How do I delete a branch in Git?' });
    expect(await narrow.lookup({ contextKey: 'ctx', text: 'How do I delete a tag in Git?' }, policy)).toMatchObject({ outcome: 'miss', reason: 'no-candidates', bestScore: null });
  });

  it('with explainMargin, names the guard that sets the closest entry apart when it scored below the threshold too', async () => {
    // review 4: the negation and the number scored 0.82 and 0.79, so the search at the threshold found
    // nothing and the trace said "no similar question cached"; searching lower costs every miss, so it is opt-in
    const m = setup({ explainMargin: 0.2 });
    await m.remember('not', { contextKey: 'ctx', text: 'Is Ruby not a compiled language?' });
    await m.remember('miles', { contextKey: 'ctx', text: 'How do I convert 5 miles to kilometers?' });
    const negation = await m.lookup({ contextKey: 'ctx', text: 'Is Ruby a compiled language?' }, policy);
    expect(negation).toMatchObject({ outcome: 'miss', reason: 'guard', entryKey: 'not', refusal: { guard: 'negation', onlyInQuery: [], onlyInCached: ['not'] } });
    if (negation.outcome === 'miss') expect(negation.bestScore!).toBeLessThan(0.95);
    expect(await m.lookup({ contextKey: 'ctx', text: 'How do I convert 9 miles to kilometers?' }, policy))
      .toMatchObject({ outcome: 'miss', reason: 'guard', entryKey: 'miles', refusal: { guard: 'number', onlyInQuery: ['9'], onlyInCached: ['5'] } });
    // a close entry no guard refuses is reported as below the threshold, with its score
    expect(await m.lookup({ contextKey: 'ctx', text: 'Is Ruby not a compiled programming language?' }, policy)).toMatchObject({ outcome: 'miss', reason: 'below-threshold', entryKey: 'not' });
    // with guards off there is no guard to name
    expect(await m.lookup({ contextKey: 'ctx', text: 'Is Ruby a compiled language?' }, { threshold: 0.95, guards: false })).toMatchObject({ outcome: 'miss', reason: 'below-threshold' });
    // and nothing near at all is still "no candidates"
    expect(await m.lookup({ contextKey: 'ctx', text: 'Recommend a good pasta recipe' }, policy)).toMatchObject({ outcome: 'miss', reason: 'no-candidates', bestScore: null });
  });

  it('refuses a hit above the threshold when a guard trips, and says which', async () => {
    const m = setup();
    await m.remember('e', { contextKey: 'ctx', text: 'How do I enable two-factor authentication for my account today?' });
    const text = 'How do I not enable two-factor authentication for my account today?';
    const guarded = await m.lookup({ contextKey: 'ctx', text }, { threshold: 0.8, guards: true });
    expect(guarded).toMatchObject({ outcome: 'miss', reason: 'guard', entryKey: 'e', refusal: { guard: 'negation', onlyInQuery: ['not'] } });
    expect(await m.lookup({ contextKey: 'ctx', text }, { threshold: 0.8, guards: false })).toMatchObject({ outcome: 'hit' });
  });

  it('does not answer a past-tense question with the present-tense answer', async () => {
    const m = setup();
    await m.remember('is', { contextKey: 'ctx', text: 'Who is the CEO of Apple?' });
    const r = await m.lookup({ contextKey: 'ctx', text: 'Who was the CEO of Apple?' }, policy);
    expect(r).toMatchObject({ outcome: 'miss', reason: 'guard', entryKey: 'is', refusal: { guard: 'tense', onlyInQuery: ['was'], onlyInCached: ['is'] } });
    // with the past-tense question cached too, each tense gets its own answer
    await m.remember('was', { contextKey: 'ctx', text: 'Who was the CEO of Apple?' });
    expect(await m.lookup({ contextKey: 'ctx', text: 'who was the CEO of Apple' }, policy)).toMatchObject({ outcome: 'hit', entryKey: 'was' });
    expect(await m.lookup({ contextKey: 'ctx', text: "Who's the CEO of Apple?" }, policy)).toMatchObject({ outcome: 'hit', entryKey: 'is' });
  });

  it('skips a refused candidate for a better one further down', async () => {
    const m = setup();
    await m.remember('three', { contextKey: 'ctx', text: 'How many calories are in 3 boiled eggs' });
    await m.remember('two', { contextKey: 'ctx', text: 'how many calories are in 2 boiled eggs?' });
    const r = await m.lookup({ contextKey: 'ctx', text: 'How many calories are in 2 boiled eggs?' }, { threshold: 0.9, guards: true });
    expect(r).toMatchObject({ outcome: 'hit', entryKey: 'two' });
  });

  it('never matches a pair marked false again, and tightens the entry threshold', async () => {
    const rec = recorder();
    const m = setup({ persistence: rec.persistence, falseHitMargin: 0.005 });
    await m.remember('e', { contextKey: 'ctx', text: 'What is quantum computing?' });
    const query = { contextKey: 'ctx', text: 'Can you tell me what quantum computing is?' };
    const first = await m.lookup(query, policy);
    expect(first.outcome).toBe('hit');
    if (first.outcome !== 'hit') return;
    const { threshold } = m.markFalseHit({ queryText: query.text, entryKey: 'e', score: first.score });
    expect(threshold).toBeCloseTo(first.score + 0.005, 6);
    expect(m.entryThreshold('e')).toBe(threshold);
    expect(await m.lookup(query, policy)).toMatchObject({ outcome: 'miss', reason: 'marked-false', entryKey: 'e' });
    // Another rewording that scored below the tightened threshold no longer hits either…
    expect(await m.lookup({ contextKey: 'ctx', text: 'tell me what quantum computing is' }, policy)).toMatchObject({ outcome: 'miss', reason: 'below-threshold' });
    // …while the exact same wording still does.
    expect(await m.lookup({ contextKey: 'ctx', text: 'what is quantum computing' }, policy)).toMatchObject({ outcome: 'hit', threshold });
    expect(rec.marks).toEqual([{ mark: expect.objectContaining({ entryKey: 'e', queryText: query.text, markedAt: Date.UTC(2026, 0, 1) }), threshold }]);
  });

  it('forgets entries with their marks and tells the persistence', async () => {
    const rec = recorder();
    const m = setup({ persistence: rec.persistence });
    await m.remember('e', { contextKey: 'ctx', text: 'What is machine learning?' });
    expect(rec.saved.map((s) => s.entryKey)).toEqual(['e']);
    expect(m.forget(['e'])).toBe(1);
    expect(rec.deleted).toEqual(['e']);
    expect(m.size).toBe(0);
    expect((await m.lookup({ contextKey: 'ctx', text: 'What is machine learning?' }, policy)).outcome).toBe('miss');
    expect(() => m.markFalseHit({ queryText: 'x', entryKey: 'e', score: 0.97 })).toThrow(/no semantic entry/);
  });

  it('restores entries and marks from persisted data', async () => {
    const rec = recorder();
    const a = setup({ persistence: rec.persistence });
    await a.remember('e', { contextKey: 'ctx', text: 'What is machine learning?' });
    a.markFalseHit({ queryText: "what's machine learning", entryKey: 'e', score: 1 });
    const b = setup();
    b.restore(rec.saved.map((s) => ({ ...s, threshold: a.entryThreshold('e') })), rec.marks.map((x) => x.mark));
    expect(await b.lookup({ contextKey: 'ctx', text: "what's machine learning" }, policy)).toMatchObject({ outcome: 'miss', reason: 'marked-false' });
  });

  it('works with an injected embeddings target', async () => {
    const calls: string[][] = [];
    const embedder = functionEmbedder({ id: 'target:emb', label: 'emb', embed: async (texts) => { calls.push(texts); return texts.map((t) => [t.length, 1, 0]); } });
    const m = new SemanticMatcher({ embedder, now: () => 0 });
    await m.remember('e', { contextKey: 'ctx', text: 'abcd' });
    expect(await m.lookup({ contextKey: 'ctx', text: 'wxyz' }, policy)).toMatchObject({ outcome: 'hit', entryKey: 'e' });
    expect(calls).toEqual([['abcd'], ['wxyz']]);
  });

  it('does not call the embedder when the context has no entries', async () => {
    let calls = 0;
    const m = new SemanticMatcher({ embedder: functionEmbedder({ id: 'x', label: 'x', embed: async (t) => { calls++; return t.map(() => [1]); } }), now: () => 0 });
    await m.lookup({ contextKey: 'ctx', text: 'hello' }, policy);
    expect(calls).toBe(0);
  });

  it('validates its options', () => {
    expect(() => new SemanticMatcher({ embedder: new NgramEmbedder(), now: () => 0, falseHitMargin: 0 })).toThrow(/falseHitMargin/);
    expect(() => new SemanticMatcher({ embedder: new NgramEmbedder(), now: () => 0, maxCandidates: 0 })).toThrow(/maxCandidates/);
    expect(() => new SemanticMatcher({ now: () => 0 } as never)).toThrow(/embedder/);
    expect(() => new SemanticMatcher({ embedder: new NgramEmbedder(), now: () => 0, nearMissMargin: -1 })).toThrow(/nearMissMargin/);
    expect(() => new SemanticMatcher({ embedder: new NgramEmbedder(), now: () => 0, explainMargin: 0.5 })).toThrow(/explainMargin/);
  });
});
