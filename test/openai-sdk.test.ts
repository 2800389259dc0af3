// The official `openai` SDK, unchanged, pointed at Sluice in front of a fake OpenAI.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeUpstream } from './helpers/fake-upstream.ts';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let fake: FakeUpstream;
let sluice: TestEngine;
let client: OpenAI;

beforeAll(async () => {
  fake = new FakeUpstream();
  const upstream = await fake.start();
  sluice = await startTestEngine({
    providers: [fastSimulator, { id: 'upstream', type: 'openai-compatible', baseUrl: upstream, apiKey: 'sk-upstream-secret-key-1234' }],
  });
  client = new OpenAI({ baseURL: `${sluice.url}/v1`, apiKey: 'sk-client-key', maxRetries: 0 });
});

afterAll(async () => {
  await sluice.stop();
  await fake.stop();
});

describe('openai SDK through Sluice', () => {
  it('chat.completions.create answers with the upstream content and Sluice headers', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe('echo: "hello"');
    expect(data.usage?.total_tokens).toBe(12);
    expect(response.headers.get('x-request-id')).toMatch(/^[a-f0-9]{24}$/);
    expect(response.headers.get('x-sluice-provider')).toBe('upstream');
    expect(response.headers.get('x-sluice-model')).toBe('gpt-test');
    const seen = fake.calls('POST /v1/chat/completions').at(-1)!;
    expect(seen.body.model).toBe('gpt-test');
    expect(seen.headers.authorization).toBe('Bearer sk-upstream-secret-key-1234');
  });

  it('streams chat chunks as they arrive and ends cleanly', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-test', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream me' }],
    });
    let text = '';
    let finish: string | null = null;
    let usage: unknown = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('echo: "stream me"');
    expect(finish).toBe('stop');
    expect(usage).toEqual({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
  });

  it('embeddings.create returns the upstream vectors', async () => {
    const res = await client.embeddings.create({ model: 'embed-test', input: ['abc', 'de'], encoding_format: 'float' });
    expect(res.data.map((d) => d.embedding)).toEqual([[3, 0, 0.5], [2, 1, 0.5]]);
  });

  it('models.list lists what the providers serve', async () => {
    const page = await client.models.list();
    const ids = page.data.map((m) => m.id);
    expect(ids).toContain('fake-model');
    expect(ids).toContain('sim-chat');
    // routing's aliases are models an app may ask for too: its model picker should offer them
    expect(page.data.find((m) => m.id === 'fast')).toMatchObject({ object: 'model', owned_by: 'sluice-alias' });
    expect(await client.models.retrieve('fast')).toMatchObject({ id: 'fast', owned_by: 'sluice-alias' });
  });

  it('audio.speech.create returns the audio bytes', async () => {
    const res = await client.audio.speech.create({ model: 'tts-test', voice: 'alloy', input: 'Hello there' });
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('AUDIO:alloy:Hello there');
  });

  it('GET /v1/audio/voices: a model nobody lists is a 404 even behind a provider that takes any name, a chat model a 400 as at speech', async () => {
    const voices = async (model: string) => {
      const res = await fetch(`${sluice.url}/v1/audio/voices?model=${model}`);
      return { status: res.status, body: (await res.json()) as { data?: Array<{ provider: string }>; error?: { code: string; param: string } } };
    };
    // 'upstream' has no model list in its config, so it would take any name; its listing says which it has
    expect(await voices('nope')).toMatchObject({ status: 404, body: { error: { code: 'model_not_found', param: 'model' } } });
    for (const chatModel of ['sim-chat', 'fake-model']) {
      expect(await voices(chatModel)).toMatchObject({ status: 400, body: { error: { code: 'wrong_endpoint', param: 'model' } } });
    }
    const speech = await client.audio.speech.create({ model: 'sim-chat', voice: 'alloy', input: 'hi' }).catch((e: unknown) => e);
    expect(speech).toMatchObject({ status: 400, code: 'wrong_endpoint', param: 'model' });
    const sim = await voices('sim-tts');
    expect(sim.status).toBe(200);
    expect(sim.body.data!.length).toBeGreaterThan(0);
    expect(sim.body.data!.every((v) => v.provider === 'simulator')).toBe(true);
    // a voice names the models that speak with it, not its provider's chat and embeddings models
    expect(sim.body.data!.every((v) => JSON.stringify((v as { models?: string[] }).models) === JSON.stringify(['sim-tts']))).toBe(true);
  });

  it('passes an upstream 4xx through with its status and message', async () => {
    fake.on('POST /v1/chat/completions', (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'context too long', type: 'invalid_request_error' } }));
    });
    try {
      const err = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect(err.status).toBe(400);
      expect(err.message).toContain('context too long');
      expect(err.message).not.toContain('sk-upstream-secret-key-1234');
    } finally {
      fake.behaviours['POST /v1/chat/completions'] = (await import('./helpers/fake-upstream.ts')).defaults['POST /v1/chat/completions'];
    }
  });

  it('the legacy paths /llm/chat/completions and /tts/synthesize work', async () => {
    const chat = await fetch(`${sluice.url}/llm/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'old client' }] }),
    });
    expect(chat.status).toBe(200);
    expect(((await chat.json()) as any).choices[0].message.content).toBe('echo: "old client"');
    const tts = await fetch(`${sluice.url}/tts/synthesize`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'legacy speech', voice: 'nova', format: 'mp3', model: 'tts-test' }),
    });
    expect(tts.status).toBe(200);
    expect(Buffer.from(await tts.arrayBuffer()).toString()).toBe('AUDIO:nova:legacy speech');
    expect(fake.calls('POST /v1/audio/speech').at(-1)!.body).toMatchObject({ input: 'legacy speech', voice: 'nova', response_format: 'mp3' });
  });
});

describe('simulator with no keys at all', () => {
  it('answers chat plainly and streamed, deterministically, labelled as the simulator', async () => {
    const a = await client.chat.completions.create({ model: 'sim-fast', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const b = await client.chat.completions.create({ model: 'sim-fast', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let streamed = '';
    for await (const c of b) streamed += c.choices[0]?.delta?.content ?? '';
    expect(a.response.headers.get('x-sluice-provider')).toBe('simulator');
    expect(a.data.choices[0].message.content).toBeTruthy();
    expect(streamed).toBe(a.data.choices[0].message.content);
    expect(a.data.system_fingerprint).toBe('sluice-simulator');
  });

  it('streams n choices that the SDK assembles into n finished choices', async () => {
    const final = await client.chat.completions
      .stream({ model: 'sim-chat', n: 2, messages: [{ role: 'user', content: 'two takes please' }] }, { headers: { 'cache-control': 'no-store' } })
      .finalChatCompletion();
    expect(final.choices.map((c) => [c.index, c.finish_reason])).toEqual([[0, 'stop'], [1, 'stop']]);
    expect(final.choices[1].message.content).toBeTruthy();
    // two samples of a model differ, and are what the plain answer has
    expect(final.choices[1].message.content).not.toBe(final.choices[0].message.content);
    const plain = await client.chat.completions.create({ model: 'sim-chat', n: 2, messages: [{ role: 'user', content: 'two takes please' }] }, { headers: { 'cache-control': 'no-store' } });
    expect(plain.choices.map((c) => c.message.content)).toEqual(final.choices.map((c) => c.message.content));
  });

  it('answers logprobs as OpenAI shapes them, and the SDK\'s stream helper assembles the same ones', async () => {
    const request = { model: 'sim-chat', logprobs: true, top_logprobs: 2, messages: [{ role: 'user' as const, content: 'with logprobs' }] };
    const plain = await client.chat.completions.create(request);
    const content = plain.choices[0].logprobs!.content!;
    expect(content.map((t) => t.token).join('')).toBe(plain.choices[0].message.content);
    expect(content[0]).toEqual({
      token: expect.any(String), logprob: expect.any(Number), bytes: [...Buffer.from(content[0].token)],
      top_logprobs: [{ token: content[0].token, logprob: content[0].logprob, bytes: content[0].bytes }, expect.objectContaining({ token: expect.any(String) })],
    });
    const final = await client.chat.completions.stream(request, { headers: { 'cache-control': 'no-store' } }).finalChatCompletion();
    expect(final.choices[0].logprobs!.content).toEqual(content);
  });

  it('chat.completions.parse() gets JSON of the schema it asked for', async () => {
    const res = await client.chat.completions.parse({
      model: 'sim-chat', messages: [{ role: 'user', content: 'A city as JSON' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'city', strict: true,
          schema: {
            type: 'object', additionalProperties: false, required: ['name', 'population', 'landmarks', 'code'],
            properties: {
              name: { type: 'string' }, population: { type: 'integer', minimum: 0 }, landmarks: { type: 'array', items: { type: 'string' } },
              code: { type: 'string', pattern: '^[A-Z]{3}-\\d{2}$' },
            },
          },
        },
      },
    });
    const city = res.choices[0].message.parsed as { name: string; population: number; landmarks: string[]; code: string };
    expect(typeof city.name).toBe('string');
    expect(city.code).toMatch(/^[A-Z]{3}-\d{2}$/);
    expect(Number.isInteger(city.population)).toBe(true);
    expect(city.landmarks.every((l) => typeof l === 'string')).toBe(true);
    const object = await client.chat.completions.create({ model: 'sim-chat', messages: [{ role: 'user', content: 'JSON please' }], response_format: { type: 'json_object' } });
    expect(JSON.parse(object.choices[0].message.content!)).toEqual({ answer: expect.any(String) });
  });

  it('refuses what OpenAI refuses, so the SDK raises BadRequestError naming the param, plainly and streamed', async () => {
    const weather = { type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: {} } } };
    const refused: Array<[Record<string, unknown>, string]> = [
      [{ response_format: { type: 'xml' } }, 'response_format.type'],
      [{ response_format: { type: 'json_schema' } }, 'response_format.json_schema'],
      [{ tools: [{ type: 'function' }] }, 'tools[0].function'],
      [{ tool_choice: 'required' }, 'tool_choice'],
      [{ tools: [weather], tool_choice: { type: 'function', function: { name: 'forecast' } } }, 'tool_choice'],
      [{ logit_bias: { abc: 500 } }, 'logit_bias'],
      [{ messages: [{ role: 'user', content: [{ type: 'bogus' }] }] }, 'messages[0].content[0].type'],
    ];
    for (const [body, param] of refused) {
      for (const stream of [false, true]) {
        const request = { model: 'sim-chat', messages: [{ role: 'user', content: 'x' }], stream, ...body } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming;
        const err = await client.chat.completions.create(request).catch((e: unknown) => e);
        expect(err, JSON.stringify(body)).toBeInstanceOf(OpenAI.BadRequestError);
        expect(err).toMatchObject({ status: 400, param, type: 'invalid_request_error' });
      }
    }
    const tool = await client.chat.completions.create({ model: 'sim-chat', messages: [{ role: 'user', content: 'x' }], tool_choice: 'required' }).catch((e: unknown) => e);
    expect((tool as Error).message).toContain("'tool_choice' is only allowed when 'tools' are specified");
    // the refusals are the simulator's: another OpenAI-compatible server (vLLM, Ollama…) is handed such a body to judge
    const lenient = { model: 'gpt-test', messages: [{ role: 'user', content: 'lenient' }], ...Object.assign({}, ...refused.slice(0, -1).map(([b]) => b)) };
    expect((await client.chat.completions.create(lenient as never)).choices[0].message.content).toBe('echo: "lenient"');
    expect(fake.calls('POST /v1/chat/completions').at(-1)!.body).toMatchObject({ logit_bias: { abc: 500 }, tool_choice: { type: 'function' } });
  });

  it('calls a tool with arguments of its parameters schema, so runTools can parse them and finish', async () => {
    const calls: Array<{ city: unknown; days: unknown }> = [];
    const runner = client.chat.completions.runTools({
      model: 'sim-chat', messages: [{ role: 'user', content: 'Weather in Lisbon for three days?' }],
      tools: [{
        type: 'function',
        function: {
          name: 'forecast', description: 'The weather for a city, day by day',
          parameters: { type: 'object', required: ['city', 'days'], properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } } },
          parse: (args: string) => JSON.parse(args) as { city: unknown; days: unknown },
          function: (args: { city: unknown; days: unknown }) => { calls.push(args); return 'sunny'; },
        },
      }],
    });
    const final = await runner.finalContent();
    expect(calls).toHaveLength(1);
    expect(typeof calls[0].city).toBe('string');
    expect(Number.isInteger(calls[0].days) && (calls[0].days as number) >= 1 && (calls[0].days as number) <= 7).toBe(true);
    expect(final).toBeTruthy();
  });

  it('says finish_reason length when max_tokens cut the answer, so parse() reports the cut', async () => {
    const cut = await client.chat.completions.create({ model: 'sim-chat', max_tokens: 3, messages: [{ role: 'user', content: 'hi' }] });
    expect(cut.choices[0].finish_reason).toBe('length');
    const whole = await client.chat.completions.create({ model: 'sim-chat', messages: [{ role: 'user', content: 'hi' }] });
    expect(whole.choices[0].finish_reason).toBe('stop');
    const parsed = await client.chat.completions.parse({
      model: 'sim-chat', max_completion_tokens: 3, messages: [{ role: 'user', content: 'A city as JSON' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city', schema: { type: 'object', properties: { name: { type: 'string' } } } } },
    }).catch((e: unknown) => e);
    expect(parsed).toBeInstanceOf(OpenAI.OpenAIError);
    expect((parsed as Error).constructor.name).toBe('LengthFinishReasonError');
  });

  it('audio.speech.create with no response_format (OpenAI\'s default is mp3) gets the simulator\'s wav, and says so', async () => {
    const res = await client.audio.speech.create({ model: 'sim-tts', voice: 'alloy', input: 'My first words.' });
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(res.headers.get('x-sluice-response-format')).toBe('wav');
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('RIFF');
    const mp3 = await client.audio.speech.create({ model: 'sim-tts', voice: 'alloy', input: 'My first words.', response_format: 'mp3' }).catch((e: unknown) => e);
    expect(mp3).toBeInstanceOf(OpenAI.BadRequestError);
    expect((mp3 as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('response_format');
  });

  it('answers an old /tts/synthesize client that names no model with the simulator\'s voice', async () => {
    const alone = await startTestEngine({ providers: [fastSimulator] });
    try {
      const res = await fetch(`${alone.url}/tts/synthesize`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'No model named here.', format: 'wav' }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('audio/wav');
      expect(res.headers.get('x-sluice-provider')).toBe('simulator');
      expect(Buffer.from(await res.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('RIFF');
    } finally {
      await alone.stop();
    }
  });

  it('gives embeddings of the requested size, similar texts closer than different ones', async () => {
    const res = await client.embeddings.create({ model: 'sim-embed', input: ['the cat sat', 'the cat sat down', 'quantum physics'], dimensions: 64 });
    const [a, b, c] = res.data.map((d) => d.embedding);
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);
    expect(a).toHaveLength(64);
    expect(dot(a, b)).toBeGreaterThan(dot(a, c));
  });
});
