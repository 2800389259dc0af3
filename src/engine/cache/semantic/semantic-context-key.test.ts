import { describe, it, expect } from 'vitest';
import { semanticQueryOf } from './semantic-context-key.ts';

const scope = { target: { provider: 'openai', model: 'gpt-4o-mini' }, tenant: 't1' };
const req = (last: string, extra: Record<string, unknown> = {}) => ({
  model: 'auto',
  messages: [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: last }],
  temperature: 0,
  ...extra,
});

describe('semanticQueryOf', () => {
  it('gives the same context to requests that differ only in the last user message', () => {
    const a = semanticQueryOf(req('What is ML?'), scope)!;
    const b = semanticQueryOf(req("what's ML"), scope)!;
    expect(a.contextKey).toBe(b.contextKey);
    expect(a.text).toBe('What is ML?');
  });

  it('ignores streaming and the requested alias, which do not change the answer', () => {
    const a = semanticQueryOf(req('x'), scope)!;
    expect(semanticQueryOf(req('x', { stream: true, stream_options: { include_usage: true }, model: 'other' }), scope)!.contextKey).toBe(a.contextKey);
  });

  it('separates contexts by target, tenant, system prompt, earlier turns and parameters', () => {
    const base = semanticQueryOf(req('x'), scope)!.contextKey;
    const keys = [
      semanticQueryOf(req('x'), { ...scope, target: { provider: 'openai', model: 'gpt-4o' } })!.contextKey,
      semanticQueryOf(req('x'), { ...scope, tenant: 't2' })!.contextKey,
      semanticQueryOf({ ...req('x'), messages: [{ role: 'system', content: 'Be long.' }, { role: 'user', content: 'x' }] }, scope)!.contextKey,
      semanticQueryOf({ ...req('x'), messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'yo' }, { role: 'user', content: 'x' }] }, scope)!.contextKey,
      semanticQueryOf(req('x', { temperature: 0.7 }), scope)!.contextKey,
      semanticQueryOf({ ...req('x'), messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'x', name: 'bob' }] }, scope)!.contextKey,
    ];
    expect(new Set([base, ...keys]).size).toBe(keys.length + 1);
  });

  it('does not apply when the last message is not a text-only user message', () => {
    expect(semanticQueryOf({ model: 'm', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] }, scope)).toBeNull();
    expect(semanticQueryOf({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:' } }] }] }, scope)).toBeNull();
    expect(semanticQueryOf({ model: 'm', messages: [{ role: 'user', content: '  ' }] }, scope)).toBeNull();
    expect(semanticQueryOf({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }] }, scope)!.text).toBe('a\nb');
  });
});
