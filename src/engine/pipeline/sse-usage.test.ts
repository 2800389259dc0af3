import { describe, expect, it } from 'vitest';
import { SseUsageWatcher } from './sse-usage.ts';

const usage = { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 };
const stream = [
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'hi' } }] })}\n\n`,
  `data: ${JSON.stringify({ choices: [], usage })}\n\n`,
  'data: [DONE]\n\n',
].join('');

describe('SseUsageWatcher', () => {
  it.each([1, 2, 7, 13, 64, stream.length])('finds the usage however the bytes are split (pieces of %i)', (size) => {
    const w = new SseUsageWatcher();
    for (let i = 0; i < stream.length; i += size) w.observe(Buffer.from(stream.slice(i, i + size)));
    expect(w.usage).toEqual(usage);
  });

  it('ignores a stream without usage', () => {
    const w = new SseUsageWatcher();
    w.observe(Buffer.from(`data: {"choices":[]}\n\ndata: [DONE]\n\n`));
    expect(w.usage).toBeNull();
  });
});
