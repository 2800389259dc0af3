import { describe, it, expect } from 'vitest';
import type { ReplayRecord } from '../../../shared/semantic.ts';
import { functionEmbedder } from './embedder.ts';
import { NgramEmbedder } from './ngram-embedder.ts';
import { defaultReplayPolicies, replayLog } from './replay-lab.ts';

const rec = (text: string, answer: string, contextKey = 'ctx', tokens = 100, costUsd = 0.001): ReplayRecord => ({ text, contextKey, answer, tokens, costUsd });

const log: ReplayRecord[] = [
  rec('What is machine learning?', 'ml'),
  rec('What is machine learning?', 'ml'),                 // exact repeat
  rec("what's machine learning", 'ml'),                   // rewording, same answer
  rec('Why is my old phone suddenly charging very slowly overnight?', 'slow'),
  rec('Why is my old phone suddenly not charging very slowly overnight?', 'other'), // negation: must not be served 'slow'
  rec('What is machine learning?', 'ml', 'other-ctx'),    // another context: a miss
  rec('How do I delete a branch in Git?', 'delete'),
  rec('How do I rename a branch in Git?', 'rename'),      // another question on the topic
];
const embedder = new NgramEmbedder();

describe('replayLog', () => {
  it('counts exact hits only under the exact policy', async () => {
    const [r] = await replayLog(log, [{ kind: 'exact' }], { embedder });
    expect(r).toMatchObject({ requests: 8, hits: 1, exactHits: 1, semanticHits: 0, tokensSaved: 100, costSavedUsd: 0.001, differingAnswers: 0 });
    expect(r.hitRate).toBeCloseTo(1 / 8, 9);
  });

  it('adds semantic hits at the threshold, with guards keeping the answers right', async () => {
    const [guarded, unguarded] = await replayLog(log, [
      { kind: 'semantic', threshold: 0.85, guards: true },
      { kind: 'semantic', threshold: 0.85, guards: false },
    ], { embedder });
    expect(guarded).toMatchObject({ hits: 2, exactHits: 1, semanticHits: 1, differingAnswers: 0, guardRefusals: { negation: 1 } });
    expect(unguarded.semanticHits).toBeGreaterThan(guarded.semanticHits);
    expect(unguarded.differingAnswers).toBeGreaterThan(0);
  });

  it('reports every default policy, from exact to 0.99, each over the same log', async () => {
    const policies = defaultReplayPolicies();
    expect(policies[0]).toEqual({ kind: 'exact' });
    expect(policies).toContainEqual({ kind: 'semantic', threshold: 0.85, guards: true });
    expect(policies).toContainEqual({ kind: 'semantic', threshold: 0.99, guards: false });
    const reports = await replayLog(log, policies, { embedder });
    expect(reports).toHaveLength(policies.length);
    const guardedHits = reports.filter((r) => r.policy.kind === 'semantic' && r.policy.guards).map((r) => r.hits);
    // Raising the threshold never adds hits.
    for (let i = 1; i < guardedHits.length; i++) expect(guardedHits[i]).toBeLessThanOrEqual(guardedHits[i - 1]);
  });

  it('counts a hit whose cached answer differs from what was actually answered', async () => {
    const [r] = await replayLog([rec('Tell me a joke', 'joke-1'), rec('Tell me a joke', 'joke-2', 'ctx', 40, 0.5)], [{ kind: 'exact' }], { embedder });
    expect(r).toMatchObject({ hits: 1, differingAnswers: 1, tokensSaved: 40, costSavedUsd: 0.5 });
  });

  it('replays a record of repeats exactly as the same requests written one by one', async () => {
    const expanded = [log[0], log[0], log[0], ...log.slice(1, 5), log[5], log[5], ...log.slice(6)];
    const counted = [{ ...log[0], repeats: 3 }, ...log.slice(1, 5), { ...log[5], repeats: 2 }, ...log.slice(6)];
    const policies = defaultReplayPolicies();
    const [byOne, byCount] = await Promise.all([replayLog(expanded, policies, { embedder }), replayLog(counted, policies, { embedder })]);
    expect(byCount).toEqual(byOne);
    expect(byCount[0]).toMatchObject({ requests: 11, exactHits: 4 });
  });

  it('embeds each distinct text once for all policies and calls nothing else', async () => {
    let texts = 0;
    const counting = functionEmbedder({ id: 'c', label: 'c', embed: async (t) => { texts += t.length; return t.map((s) => [s.length, 1]); } });
    await replayLog(log, defaultReplayPolicies(), { embedder: counting });
    expect(texts).toBe(new Set(log.map((r) => r.text)).size);
  });

  it('rejects malformed records and policies precisely', async () => {
    await expect(replayLog([{ text: 'x' } as never], [{ kind: 'exact' }], { embedder })).rejects.toThrow(/record 0/);
    await expect(replayLog([log[0], { ...log[1], repeats: 0 }], [{ kind: 'exact' }], { embedder })).rejects.toThrow(/record 1 needs repeats/);
    await expect(replayLog(log, [{ kind: 'semantic', threshold: 1.5, guards: true }], { embedder })).rejects.toThrow(/threshold/);
  });
});
