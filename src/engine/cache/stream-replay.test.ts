import { describe, it, expect } from 'vitest';
import OpenAI from 'openai';
import type { ChatCompletion } from '../../shared/openai.ts';
import { assembleSse } from './stream-assembler.ts';
import { replayChunks, replaySse, replayStream } from './stream-replay.ts';

const completion: ChatCompletion = {
  id: 'chatcmpl-1', object: 'chat.completion', created: 1700000000, model: 'gpt-4o-mini', system_fingerprint: 'fp_1',
  choices: [{
    index: 0, finish_reason: 'tool_calls', logprobs: null,
    message: {
      role: 'assistant', content: 'Let me check the weather for you in Oslo — one moment 😀. '.repeat(3), reasoning_content: 'User wants weather; call the tool.',
      tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo","unit":"celsius"}' } }],
    },
  }],
  usage: { prompt_tokens: 31, completion_tokens: 42, total_tokens: 73 },
};

describe('stream replay', () => {
  it('streams content in several deltas and ends with usage and [DONE]', () => {
    const chunks = replayChunks(completion, { includeUsage: true, chunkChars: 10 });
    expect(chunks[0].choices[0].delta).toMatchObject({ role: 'assistant', content: '' });
    expect(chunks.filter((c) => typeof c.choices[0]?.delta.content === 'string' && c.choices[0].delta.content !== '').length).toBeGreaterThan(5);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: completion.usage });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    const sse = replaySse(completion);
    expect(sse.at(-1)!.toString()).toBe('data: [DONE]\n\n');
    expect(replayChunks(completion).some((c) => c.usage)).toBe(false);
  });

  it('round-trips through the assembler to the same completion', () => {
    const back = assembleSse(replaySse(completion, { includeUsage: true, chunkChars: 7 }));
    expect(back).toEqual({ complete: true, completion });
  });

  it('is reassembled by the openai SDK into exactly the cached message', async () => {
    const client = new OpenAI({
      apiKey: 'test-key', baseURL: 'http://sluice.invalid/v1', maxRetries: 0,
      fetch: async () => new Response(ReadableStream.from(replayStream(completion, { includeUsage: true })), {
        status: 200, headers: { 'content-type': 'text/event-stream' },
      }),
    });
    const stream = client.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'weather?' }], stream_options: { include_usage: true } });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0].message.content).toBe(completion.choices[0].message.content);
    expect(final.choices[0].message.tool_calls).toEqual([
      expect.objectContaining({ id: 'call_a', type: 'function', function: expect.objectContaining({ name: 'get_weather', arguments: '{"city":"Oslo","unit":"celsius"}' }) }),
    ]);
    expect((final.choices[0].message as unknown as { reasoning_content?: string }).reasoning_content).toBe('User wants weather; call the tool.');
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    expect(final.usage).toEqual(completion.usage);
  });
});
