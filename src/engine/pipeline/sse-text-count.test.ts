import { describe, expect, it } from 'vitest';
import { SseTextCounter } from './sse-text-count.ts';

const chunk = (delta: object) => `data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`;

describe('SseTextCounter', () => {
  const stream = [
    chunk({ role: 'assistant', content: '' }),
    chunk({ content: 'Hello there, ' }),
    chunk({ content: 'a "quoted" word\nand 你好世界' }),
    chunk({ reasoning_content: 'thinking hard' }),
    chunk({ tool_calls: [{ index: 0, function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }),
    chunk({ content: null }),
    'data: [DONE]\n\n',
  ].join('');

  it.each([1, 5, 17, stream.length])('counts content, reasoning and tool arguments however the bytes are split (pieces of %i)', (size) => {
    const c = new SseTextCounter();
    const bytes = Buffer.from(stream);
    for (let i = 0; i < bytes.length; i += size) c.observe(bytes.subarray(i, i + size));
    // 'Hello there, ' 13 → 4; 'a "quoted" word\nand ' 20 → 5, + 4 CJK; 'thinking hard' 13 → 4; '{"city":"Paris"}' 16 → 4
    expect(c.tokens).toBe(4 + 5 + 4 + 4 + 4);
  });

  it('counts nothing in a stream without text', () => {
    const c = new SseTextCounter();
    c.observe(Buffer.from(`data: {"choices":[]}\n\ndata: [DONE]\n\n`));
    expect(c.tokens).toBe(0);
  });
});
