import { describe, it, expect } from 'vitest';
import { promptFingerprint } from './prompt-fingerprint.ts';

const chat = (...messages: Array<{ role: string; content: unknown }>) => ({ model: 'm', messages });

describe('promptFingerprint', () => {
  it('is the last user message: same question, same print; another question, another print', () => {
    const a = promptFingerprint('chat', chat({ role: 'system', content: 'be brief' }, { role: 'user', content: 'retry please' }));
    const b = promptFingerprint('chat', chat({ role: 'user', content: 'retry please' }, { role: 'assistant', content: 'ok' }));
    expect(a).toBe(b);
    expect(promptFingerprint('chat', chat({ role: 'user', content: 'retry please!' }))).not.toBe(a);
    expect(promptFingerprint('chat', chat({ role: 'user', content: 'ticket #12' }))).not.toBe(promptFingerprint('chat', chat({ role: 'user', content: 'ticket #13' })));
  });

  it('reads text parts, embeddings and speech input, and gives null when there is no text', () => {
    const parts = promptFingerprint('chat', chat({ role: 'user', content: [{ type: 'text', text: 'hello' }, { type: 'image_url', image_url: { url: 'x' } }] }));
    expect(parts).toBe(promptFingerprint('chat', chat({ role: 'user', content: 'hello' })));
    expect(promptFingerprint('embeddings', { model: 'e', input: 'hello' })).toBe(parts);
    expect(promptFingerprint('speech', { model: 't', input: 'hello', voice: 'v' })).toBe(parts);
    expect(promptFingerprint('embeddings', { model: 'e', input: ['a', 'b'] })).not.toBeNull();
    expect(promptFingerprint('chat', chat({ role: 'system', content: 'only system' }))).toBeNull();
    expect(promptFingerprint('chat', null)).toBeNull();
  });

  it('tells long prompts apart by their ends and length', () => {
    const long = 'x'.repeat(50_000);
    expect(promptFingerprint('embeddings', { input: long + 'a' })).not.toBe(promptFingerprint('embeddings', { input: long + 'b' }));
    expect(promptFingerprint('embeddings', { input: 'a' + long })).not.toBe(promptFingerprint('embeddings', { input: 'b' + long }));
  });
});
