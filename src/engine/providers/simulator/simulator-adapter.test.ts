import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from '../../../shared/openai.ts';
import { defaultDeps } from '../../deps.ts';
import { silentLogger } from '../../logger.ts';
import type { UpstreamResponse } from '../provider.ts';
import { SimulatorAdapter } from './simulator-adapter.ts';
import { roughTokens } from './simulated-text.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sim = new SimulatorAdapter(
  { id: 'simulator', type: 'simulator', options: { ttftMs: 0, tokensPerSecond: 1e9, failureRate: 0, extraLatencyMs: 0 } },
  defaultDeps(dir, { logger: silentLogger }),
);
const ctx = () => ({ signal: new AbortController().signal, requestId: 'r1' });
const ask = (body: Partial<ChatCompletionRequest>) => sim.chat({ model: 'sim-chat', messages: [{ role: 'user', content: 'Tell me about caching' }], ...body }, ctx());

function completion(res: UpstreamResponse): ChatCompletion {
  if (res.body.kind !== 'json') throw new Error('expected json');
  return res.body.json as ChatCompletion;
}

/** The text of choice 0. */
const content = (c: ChatCompletion): string => c.choices[0].message.content as string;

async function chunks(res: UpstreamResponse): Promise<ChatCompletionChunk[]> {
  if (res.body.kind !== 'sse') throw new Error('expected sse');
  let text = '';
  for await (const b of res.body.stream) text += Buffer.from(b).toString('utf8');
  expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  return text.split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6)) as ChatCompletionChunk);
}

/** Each choice's streamed content and finish_reason, by index. */
function byChoice(list: ChatCompletionChunk[]): Map<number, { content: string; finish: string | null }> {
  const out = new Map<number, { content: string; finish: string | null }>();
  for (const c of list) {
    for (const ch of c.choices) {
      const st = out.get(ch.index) ?? { content: '', finish: null };
      st.content += ch.delta.content ?? '';
      st.finish = ch.finish_reason ?? st.finish;
      out.set(ch.index, st);
    }
  }
  return out;
}

describe('simulator chat', () => {
  it('streams n choices, each with its own index, content and finish_reason, as the plain answer has them', async () => {
    const plain = completion(await ask({ n: 3 }));
    const streamed = byChoice(await chunks(await ask({ n: 3, stream: true })));
    expect([...streamed.keys()].sort()).toEqual([0, 1, 2]);
    for (const choice of plain.choices) {
      expect(streamed.get(choice.index)).toEqual({ content: choice.message.content, finish: 'stop' });
    }
  });

  it('counts the completion tokens of every choice', async () => {
    const two = completion(await ask({ n: 2 }));
    expect(two.usage!.completion_tokens).toBe(roughTokens(content(two)) + roughTokens(two.choices[1].message.content as string));
  });

  it('answers n choices that differ from each other, choice 0 being the one-choice answer, the same every time', async () => {
    const one = completion(await ask({}));
    const three = completion(await ask({ n: 3 }));
    const contents = three.choices.map((c) => c.message.content);
    expect(three.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(new Set(contents).size).toBe(3);
    expect(contents[0]).toBe(content(one));
    expect(completion(await ask({ n: 3 })).choices.map((c) => c.message.content)).toEqual(contents);
    // more than the 8 it had stopped at
    expect(completion(await ask({ n: 12 })).choices).toHaveLength(12);
    // JSON and tool calls differ too
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const json = completion(await ask({ n: 2, response_format: { type: 'json_schema', json_schema: { name: 'c', schema } } }));
    expect(json.choices[0].message.content).not.toBe(json.choices[1].message.content);
    const tools = [{ type: 'function', function: { name: 'weather', parameters: schema } }];
    const calls = completion(await ask({ n: 2, tools })).choices.map((c) => c.message.tool_calls![0]);
    expect(calls[0].id).not.toBe(calls[1].id);
    expect(calls[0].function.arguments).not.toBe(calls[1].function.arguments);
  });

  it('says length, plainly and streamed, when max_tokens or max_completion_tokens cut the answer', async () => {
    const whole = completion(await ask({}));
    expect(whole.choices[0].finish_reason).toBe('stop');
    for (const limit of [{ max_tokens: 4 }, { max_completion_tokens: 4 }]) {
      const cut = completion(await ask(limit));
      expect(cut.choices[0].finish_reason).toBe('length');
      expect(cut.usage!.completion_tokens).toBeLessThanOrEqual(4);
      expect(content(whole).startsWith(content(cut))).toBe(true);
      expect(byChoice(await chunks(await ask({ ...limit, stream: true }))).get(0)).toEqual({ content: content(cut), finish: 'length' });
    }
    const roomy = completion(await ask({ max_tokens: 4000 }));
    expect(roomy.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: whole.choices[0].message.content } });
  });

  it('answers json_object with valid JSON, the same each time', async () => {
    const json = { response_format: { type: 'json_object' }, messages: [{ role: 'user' as const, content: 'Tell me about caching, as JSON' }] };
    const a = completion(await ask(json));
    const b = completion(await ask(json));
    expect(JSON.parse(content(a))).toEqual({ answer: expect.any(String) });
    expect(b.choices[0].message.content).toBe(a.choices[0].message.content);
    const streamed = byChoice(await chunks(await ask({ ...json, stream: true }))).get(0)!;
    expect(streamed).toEqual({ content: a.choices[0].message.content, finish: 'stop' });
  });

  it('answers json_schema with an object of the schema\'s properties and types', async () => {
    const schema = {
      type: 'object', additionalProperties: false, required: ['title', 'year', 'genres', 'rating'],
      properties: {
        title: { type: 'string' }, year: { type: 'integer', minimum: 1900, maximum: 2030 },
        genres: { type: 'array', items: { type: 'string', enum: ['drama', 'comedy'] } }, rating: { type: ['number', 'null'] },
      },
    };
    const res = completion(await ask({ response_format: { type: 'json_schema', json_schema: { name: 'movie', strict: true, schema } } }));
    const movie = JSON.parse(content(res));
    expect(Object.keys(movie).sort()).toEqual(['genres', 'rating', 'title', 'year']);
    expect(typeof movie.title).toBe('string');
    expect(movie.year).toBeGreaterThanOrEqual(1900);
    expect(movie.genres.every((g: string) => g === 'drama' || g === 'comedy')).toBe(true);
    expect(typeof movie.rating).toBe('number');
    expect(res.usage!.completion_tokens).toBe(roughTokens(content(res)));
  });

  it('refuses, before answering, a body OpenAI refuses, naming the field', async () => {
    await expect(ask({ tools: [{ type: 'function' }] })).rejects.toMatchObject({ status: 400, param: 'tools[0].function' });
    await expect(ask({ tool_choice: 'required' })).rejects.toMatchObject({ status: 400, param: 'tool_choice' });
    expect(sim.refuses('chat', { model: 'sim-chat', messages: [{ role: 'user', content: 'x' }], logit_bias: { abc: 500 } })).toMatchObject({ param: 'logit_bias' });
  });

  it('calls the function tool_choice names, and calls one when it is required even after a tool\'s answer', async () => {
    const tools = [
      { type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
      { type: 'function', function: { name: 'time', parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] } } },
    ];
    const named = completion(await ask({ tools, tool_choice: { type: 'function', function: { name: 'time' } } }));
    expect(named.choices[0].message.tool_calls![0].function.name).toBe('time');
    expect(Object.keys(JSON.parse(named.choices[0].message.tool_calls![0].function.arguments!))).toEqual(['zone']);
    const afterTool = [
      { role: 'user' as const, content: 'Weather in Oslo?' },
      { role: 'assistant' as const, content: null, tool_calls: [{ id: 'c1', type: 'function' as const, function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] },
      { role: 'tool' as const, tool_call_id: 'c1', content: 'sunny' },
    ];
    expect(completion(await ask({ tools, messages: afterTool })).choices[0].finish_reason).toBe('stop');
    expect(completion(await ask({ tools, messages: afterTool, tool_choice: 'required' })).choices[0].finish_reason).toBe('tool_calls');
    expect(completion(await ask({ tools, tool_choice: 'none' })).choices[0].message.tool_calls).toBeUndefined();
  });

  it('answers logprobs: true with OpenAI\'s logprobs, the tokens spelling the content, the same plainly, streamed and every time', async () => {
    const asked = { n: 2, logprobs: true, top_logprobs: 2 };
    const plain = completion(await ask(asked));
    type Entry = { token: string; logprob: number; bytes: number[]; top_logprobs: Array<{ token: string }> };
    for (const choice of plain.choices) {
      const lp = choice.logprobs as { content: Entry[]; refusal: null };
      expect(lp.refusal).toBeNull();
      expect(lp.content.map((e) => e.token).join('')).toBe(choice.message.content);
      expect(lp.content.every((e) => e.logprob <= 0 && e.top_logprobs.length === 2 && e.top_logprobs[0].token === e.token)).toBe(true);
    }
    expect(completion(await ask(asked))).toEqual(plain);
    // streamed: each chunk of content carries its own tokens' logprobs
    const streamed = new Map<number, Entry[]>();
    for (const c of await chunks(await ask({ ...asked, stream: true }))) {
      for (const ch of c.choices) {
        const lp = ch.logprobs as { content: Entry[] } | null;
        if (ch.delta.content) expect(lp!.content.map((e) => e.token).join('')).toBe(ch.delta.content);
        streamed.set(ch.index, [...(streamed.get(ch.index) ?? []), ...(lp?.content ?? [])]);
      }
    }
    for (const choice of plain.choices) expect(streamed.get(choice.index)).toEqual((choice.logprobs as { content: Entry[] }).content);
    // not asked: null, as before
    expect(completion(await ask({})).choices[0].logprobs).toBeNull();
    expect((completion(await ask({ logprobs: true })).choices[0].logprobs as { content: Entry[] }).content[0].top_logprobs).toEqual([]);
  });
});
