// The hooks the semantic cache will plug into: consulted on an exact miss, told about stored and
// deleted entries. Here a stand-in answers "similar" for one phrasing.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { CacheEntry } from '../src/engine/cache/cache-entry.ts';
import type { CacheStatsView } from '../src/shared/cache.ts';
import type { SemanticHooks } from '../src/engine/cache/cache-feature.ts';
import { FakeUpstream } from './helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let fake: FakeUpstream;
let sluice: TestEngine;
const stored: CacheEntry[] = [];
const deleted: Array<readonly string[] | 'all'> = [];
let lookups = 0;

beforeEach(async () => {
  fake = new FakeUpstream();
  await fake.start();
  sluice = await startTestEngine({ providers: [{ id: 'upstream', type: 'openai-compatible', baseUrl: fake.url }] });
  const hooks: SemanticHooks = {
    async lookup(ctx) {
      lookups++;
      const text = ctx.body.messages.at(-1).content;
      return text === 'hi, how are you' && stored[0] ? { entry: stored[0], similarity: 0.9712 } : null;
    },
    onStored: (_ctx, entry) => { stored.push(entry); },
    onDeleted: (keys) => { deleted.push(keys); },
  };
  sluice.engine.services.semantic = hooks;
});

afterEach(async () => {
  await sluice.stop();
  await fake.stop();
});

const post = (content: string) => fetch(`${sluice.url}/v1/chat/completions`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content }] }),
});

it('serves a similar cached answer as hit-semantic and keeps the semantic cache told of stores and deletes', async () => {
  const first = await (await post('hello, how are you?')).text();
  expect(lookups).toBe(1);
  expect(stored).toHaveLength(1);
  const r = await post('hi, how are you');
  expect(r.headers.get('x-sluice-cache')).toBe('hit-semantic');
  expect(r.headers.get('x-sluice-similarity')).toBe('0.9712');
  expect(await r.text()).toBe(first);
  expect((await post('hello, how are you?')).headers.get('x-sluice-cache')).toBe('hit-memory');
  expect(lookups).toBe(2);
  // the Cache page's figures count the semantic hit as a hit (it was an exact miss first), with what it saved
  const stats = await (await sluice.admin('/admin/api/cache/stats')).json() as CacheStatsView;
  expect(stats).toMatchObject({ hits: 2, misses: 1, semanticHits: 1 });
  expect(stats.hitRate).toBeCloseTo(2 / 3);
  expect(stats.saved.tokens).toBe(2 * (stored[0].meta.promptTokens + stored[0].meta.completionTokens));
  await sluice.admin(`/admin/api/cache/entries/${stored[0].key}`, { method: 'DELETE' });
  await sluice.admin('/admin/api/cache/clear', { method: 'POST', body: '{}' });
  expect(deleted).toEqual([[stored[0].key], 'all']);
  expect(fake.calls('POST /v1/chat/completions')).toHaveLength(1);
});
