import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { StreamAssembler, assembleSse } from './stream-assembler.ts';

const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 7, model: 'm', choices, ...extra })}\n\n`;

const SSE = [
  ': keep-alive comment\n\n',
  chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
  chunk([{ index: 0, delta: { reasoning_content: 'Think ' }, finish_reason: null }]),
  chunk([{ index: 0, delta: { reasoning_content: 'hard. ' }, finish_reason: null }]),
  chunk([{ index: 0, delta: { content: 'Héllo 😀 ' }, finish_reason: null }, { index: 1, delta: { role: 'assistant', content: 'B' }, finish_reason: null }]),
  chunk([{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }, finish_reason: null }]),
  chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, finish_reason: null }]),
  chunk([{ index: 0, delta: { tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'now', arguments: '{}' } }] }, finish_reason: null }]),
  chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }, finish_reason: null }]),
  chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }, { index: 1, delta: {}, finish_reason: 'stop' }]),
  chunk([], { usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14 } }),
  'data: [DONE]\n\n',
].join('');

const EXPECTED = {
  id: 'c1', object: 'chat.completion', created: 7, model: 'm',
  choices: [
    {
      index: 0, finish_reason: 'tool_calls',
      message: {
        role: 'assistant', content: 'Héllo 😀 ', reasoning_content: 'Think hard. ',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          { id: 'call_2', type: 'function', function: { name: 'now', arguments: '{}' } },
        ],
      },
    },
    { index: 1, finish_reason: 'stop', message: { role: 'assistant', content: 'B' } },
  ],
  usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14 },
};

describe('StreamAssembler', () => {
  it('rebuilds the completion: choices, merged tool calls, reasoning, usage', () => {
    expect(assembleSse([SSE])).toEqual({ complete: true, completion: EXPECTED });
  });

  it('gives the same result however the bytes are split (inside lines, UTF-8 sequences, CRLF)', () => {
    const bytes = Buffer.from(SSE);
    const crlf = Buffer.from(SSE.replace(/\n/g, '\r\n'));
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: crlf.length - 1 }), { maxLength: 40 }), fc.boolean(), (cuts, useCrlf) => {
      const src = useCrlf ? crlf : bytes;
      const points = [...new Set(cuts.filter((c) => c < src.length))].sort((a, b) => a - b);
      const parts: Buffer[] = [];
      let prev = 0;
      for (const p of points) { parts.push(src.subarray(prev, p)); prev = p; }
      parts.push(src.subarray(prev));
      expect(assembleSse(parts)).toEqual({ complete: true, completion: EXPECTED });
    }), { numRuns: 150 });
  });

  it('works byte by byte', () => {
    const a = new StreamAssembler();
    for (const b of Buffer.from(SSE)) a.push(Uint8Array.of(b));
    expect(a.end().complete).toBe(true);
  });

  it('reports a stream cut before [DONE] as incomplete', () => {
    const cut = SSE.slice(0, SSE.indexOf('data: [DONE]'));
    expect(assembleSse([cut])).toMatchObject({ complete: false, reason: expect.stringContaining('[DONE]') });
    expect(assembleSse([SSE.slice(0, SSE.length / 2)]).complete).toBe(false);
  });

  it('reports a choice without finish_reason as incomplete even with [DONE]', () => {
    const sse = chunk([{ index: 0, delta: { role: 'assistant', content: 'partial' }, finish_reason: null }]) + 'data: [DONE]\n\n';
    expect(assembleSse([sse])).toMatchObject({ complete: false, reason: expect.stringContaining('finish_reason') });
  });

  it('reports error events and malformed data as incomplete', () => {
    expect(assembleSse([`data: {"error":{"message":"overloaded"}}\n\n` + SSE]).complete).toBe(false);
    expect(assembleSse([`event: error\ndata: {}\n\n` + SSE]).complete).toBe(false);
    expect(assembleSse([`data: {not json\n\n` + SSE]).complete).toBe(false);
  });
});
