import { describe, it, expect } from 'vitest';
import { cacheKey, canonicalJson, isDeterministic, type CacheKeyInput } from './cache-key.ts';

const base = (): CacheKeyInput => ({
  endpoint: 'chat',
  target: { provider: 'openai', model: 'gpt-4o-mini' },
  tenant: 'tenant-a',
  namespace: 'default',
  body: { model: 'auto', messages: [{ role: 'user', content: 'Hi' }], temperature: 0, tools: [{ type: 'function', function: { name: 'f', parameters: { a: 1, b: 2 } } }] },
});
const keyWith = (f: (i: CacheKeyInput) => void) => { const i = base(); f(i); return cacheKey(i); };

describe('cacheKey', () => {
  const k0 = cacheKey(base());

  it('is a sha256 hex digest', () => {
    expect(k0).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores stream, stream_options, user, metadata, the requested alias and key order', () => {
    expect(keyWith((i) => { i.body.stream = true; i.body.stream_options = { include_usage: true }; })).toBe(k0);
    expect(keyWith((i) => { i.body.user = 'bob'; i.body.metadata = { run: '7' }; })).toBe(k0);
    expect(keyWith((i) => { i.body.model = 'gpt-4o-mini'; })).toBe(k0);
    expect(keyWith((i) => {
      i.body = { tools: [{ function: { parameters: { b: 2, a: 1 }, name: 'f' }, type: 'function' }], temperature: 0, messages: [{ content: 'Hi', role: 'user' }], model: 'x' };
    })).toBe(k0);
  });

  it('normalises safe defaults: n=1, nulls, a single stop string', () => {
    expect(keyWith((i) => { i.body.n = 1; i.body.seed = null; })).toBe(k0);
    expect(keyWith((i) => { i.body.stop = 'END'; })).toBe(keyWith((i) => { i.body.stop = ['END']; }));
  });

  it('changes with anything that changes the answer', () => {
    const variants = [
      keyWith((i) => { i.target = { provider: 'openai', model: 'gpt-4o' }; }),
      keyWith((i) => { i.target = { provider: 'other', model: 'gpt-4o-mini' }; }),
      keyWith((i) => { i.endpoint = 'embeddings'; }),
      keyWith((i) => { i.body.messages = [{ role: 'user', content: 'Hi!' }]; }),
      keyWith((i) => { i.body.temperature = 0.5; }),
      keyWith((i) => { i.body.tools = []; }),
      keyWith((i) => { i.body.response_format = { type: 'json_object' }; }),
      keyWith((i) => { i.body.n = 2; }),
      keyWith((i) => { i.body.max_tokens = 10; }),
      keyWith((i) => { i.tenant = 'tenant-b'; }),
      keyWith((i) => { i.namespace = 'team'; }),
    ];
    expect(new Set([k0, ...variants]).size).toBe(variants.length + 1);
  });

  it('rejects a missing target', () => {
    expect(() => cacheKey({ ...base(), target: undefined as never })).toThrow(TypeError);
  });

  it('keeps the keys of earlier versions, so entries already on disk are still found', () => {
    // digests printed by the map/join implementation this one replaced (same canonical bytes)
    expect(cacheKey({
      endpoint: 'chat', target: { provider: 'openai', model: 'gpt-4o-mini' }, tenant: 'tenant-a', namespace: 'default',
      body: {
        model: 'auto', messages: [{ role: 'user', content: 'Hi "there" \u2028 你好' }], temperature: 0, stop: 'END', n: 1, seed: null,
        tools: [{ type: 'function', function: { name: 'f', parameters: { b: 2, a: 1, c: undefined } } }], logit_bias: { '50256': -100 },
        x: [1, undefined, NaN, -0, 1e21],
      },
    })).toBe('c9a5212eaefe73130e0576ce8f1fafa9b814c3b6e7cb8b36dc54df82fed42c79');
    expect(cacheKey({ endpoint: 'embeddings', target: { provider: 'p', model: 'm' }, tenant: '', namespace: '', body: { input: ['a', 'b'], dimensions: 8 } }))
      .toBe('10a0154b22f481777699116b7a66767c8c1923c4ff2db9bf690ab902383e9f2a');
  });

  it('canonicalJson sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: [{ d: 1, c: undefined, a: 2 }], a: 'x' })).toBe('{"a":"x","b":[{"a":2,"d":1}]}');
  });
});

describe('isDeterministic', () => {
  it('accepts temperature 0 or a seed without temperature, one choice', () => {
    expect(isDeterministic({ temperature: 0 })).toBe(true);
    expect(isDeterministic({ seed: 42 })).toBe(true);
    expect(isDeterministic({})).toBe(false);
    expect(isDeterministic({ temperature: 0.7, seed: 1 })).toBe(false);
    expect(isDeterministic({ temperature: 0, n: 3 })).toBe(false);
    expect(isDeterministic({ input: 'x' }, 'embeddings')).toBe(true);
  });
});
