// A request's trace reads in the panel's language: each step the engine writes carries its sentence as
// data (`say`), which the panel's English renders exactly as the engine's own message, and zh-CN in Chinese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRoutingConfig, type ExplainResult, type RoutingConfig } from '../src/shared/routing.ts';
import type { Endpoint } from '../src/shared/targets.ts';
import type { TraceSaying } from '../src/shared/trace.ts';
import { resolveRoute, routeFailureSaid, type RouterState } from '../src/engine/routing/router.ts';
import type { RouteRequest } from '../src/engine/routing/rules.ts';
import { translator } from '../src/renderer/src/i18n/translate.ts';
import { TRACE_SAYINGS } from '../src/shared/trace.ts';
import { stageLabel, traceText } from '../src/renderer/src/lib/trace-text.ts';
import { FakeUpstream, json } from './helpers/fake-upstream.ts';
import { refusedPort } from './helpers/refused-port.ts';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let sluice: TestEngine;
let a: FakeUpstream;

beforeAll(async () => {
  a = new FakeUpstream();
  const ua = await a.start();
  sluice = await startTestEngine({
    providers: [
      fastSimulator,
      { id: 'a', type: 'openai-compatible', baseUrl: ua },
      { id: 'dead', type: 'openai-compatible', baseUrl: `http://127.0.0.1:${await refusedPort()}/v1` },
    ],
    config: {
      cache: { ttlSeconds: 60 },
      routing: {
        aliases: [{ name: 'team', targets: [{ provider: 'dead', model: 'm' }, { provider: 'a', model: 'm1' }] }],
        retry: { attemptsPerTarget: 1, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5_000 },
      },
    },
  });
});
afterAll(async () => {
  await sluice.stop();
  await a.stop();
});

type Step = { stage: string; message: string; say?: { id: string } };

async function traceOf(res: Response): Promise<Step[]> {
  await res.arrayBuffer();
  const id = res.headers.get('x-request-id')!;
  const row = await (await sluice.admin(`/admin/api/requests/${id}`)).json() as { detail: { trace: Step[] } };
  return row.detail.trace;
}

const send = (body: object, headers: Record<string, string> = {}) => fetch(`${sluice.url}/v1/chat/completions`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
});

describe('trace sayings', () => {
  it('say in English what the engine says, and in Chinese otherwise', async () => {
    const steps: Step[] = [];
    // stored in the cache
    steps.push(...await traceOf(await send({ model: 'a/m1', messages: [{ role: 'user', content: 'zero' }] })));
    // a fallback past an unreachable provider: not stored, since the key was made for the first target
    steps.push(...await traceOf(await send({ model: 'team', messages: [{ role: 'user', content: 'one' }] })));
    // no-store
    steps.push(...await traceOf(await send({ model: 'team', messages: [{ role: 'user', content: 'two' }] }, { 'cache-control': 'no-store' })));
    // a stream that reports no usage: tokens are estimated
    a.on('POST /v1/chat/completions', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
    });
    steps.push(...await traceOf(await send({ model: 'a/m1', stream: true, messages: [{ role: 'user', content: 'three' }] }, { 'cache-control': 'no-store' })));
    // every attempt fails
    a.on('POST /v1/chat/completions', (_q, res) => json(res, 503, { error: { message: 'overloaded' } }));
    steps.push(...await traceOf(await send({ model: 'team', messages: [{ role: 'user', content: 'four' }] })));

    const ids = new Set(steps.map((s) => s.say?.id));
    for (const id of ['route.resolved', 'retry.failed', 'retry.answered', 'cache.stored', 'cache.notStored.otherTarget', 'cache.bypass.noStore', 'record.estimated', 'retry.allFailed']) {
      expect(ids, id).toContain(id);
    }
    const en = translator('en');
    const zh = translator('zh-CN');
    for (const step of steps) {
      expect(step.say, step.message).toBeDefined();
      expect(traceText(en, step)).toBe(step.message);
      if (step.say!.id !== 'route.resolved') expect(traceText(zh, step), step.message).toMatch(/[\u4e00-\u9fff]/);
      expect(stageLabel(zh, step.stage)).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('words a budget refusal held until the cache missed, reason included', async () => {
    const held = await startTestEngine({
      providers: [fastSimulator],
      config: { routing: { budgets: [{ id: 'none-left', scope: 'model', match: 'sim-fast', period: 'day', unit: 'tokens', limit: 0, onExhausted: 'refuse' }] } },
    });
    try {
      const res = await fetch(`${held.url}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'sim-fast', messages: [{ role: 'user', content: 'no room' }] }),
      });
      expect(res.status).toBe(429);
      const row = await (await held.admin(`/admin/api/requests/${res.headers.get('x-request-id')}`)).json() as { detail: { trace: Step[] } };
      const step = row.detail.trace.find((x) => x.say?.id === 'route.heldRefusal')!;
      expect(step).toBeDefined();
      expect(traceText(translator('en'), step)).toBe(step.message);
      const zh = traceText(translator('zh-CN'), step);
      expect(zh).toContain('none-left');
      expect(zh).not.toContain('exhausted');
      expect(zh).toMatch(/[\u4e00-\u9fff].*[\u4e00-\u9fff]{4}/);

      // a model nobody serves: the hint (what is served instead, how to add OpenAI) is worded too
      const unknown = await fetch(`${held.url}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(unknown.status).toBe(404);
      const unknownRow = await (await held.admin(`/admin/api/requests/${unknown.headers.get('x-request-id')}`)).json() as { detail: { trace: Step[] } };
      const failed = unknownRow.detail.trace.find((x) => x.say?.id === 'route.failed')!;
      expect(traceText(translator('en'), failed)).toBe(failed.message);
      const zhFailed = traceText(translator('zh-CN'), failed);
      expect(zhFailed).toContain('sim-fast');
      expect(zhFailed).toContain('OPENAI_API_KEY');
      expect(zhFailed).not.toMatch(/Models for|To reach OpenAI/);
    } finally {
      await held.stop();
    }
  });

  it('falls back to the message for a step without a sentence the panel knows', () => {
    const zh = translator('zh-CN');
    expect(traceText(zh, { message: 'something new' })).toBe('something new');
    expect(traceText(zh, { message: 'odd', say: { id: 'not.a.saying' } })).toBe('odd');
    expect(stageLabel(zh, 'future-stage')).toBe('future-stage');
  });
});

describe('routing explanation sayings', () => {
  const T = (provider: string, model: string) => ({ provider, model });
  const routing: RoutingConfig = {
    ...defaultRoutingConfig(),
    aliases: [
      { name: 'smart', targets: [T('openai', 'gpt-4o'), T('anthropic', 'claude')] },
      { name: 'mixed', targets: [T('ghost', 'm'), T('openai', 'gpt-4o')] },
    ],
    rules: [
      { id: 'off', name: 'Switched off', enabled: false, when: {}, action: { strategy: 'fallback', alias: 'smart' } },
      { id: 'emb', name: 'Embeddings', enabled: true, when: { endpoint: ['embeddings'] }, action: { strategy: 'fallback', targets: [T('local', 'embed')] } },
      { id: 'long', name: 'Long', enabled: true, when: { minPromptTokens: 10_000 }, action: { strategy: 'fallback', alias: 'smart' } },
      { id: 'short', name: 'Short', enabled: true, when: { maxPromptTokens: 5 }, action: { strategy: 'fallback', alias: 'smart' } },
      { id: 'hard', name: 'Hard', enabled: true, when: { complexity: ['very-complex'] }, action: { strategy: 'fallback', alias: 'smart' } },
      { id: 'tagged', name: 'Tagged', enabled: true, when: { tags: ['vip'] }, action: { strategy: 'fallback', alias: 'smart' } },
      { id: 'gpt', name: 'GPT batch', enabled: true, when: { model: ['gpt-4*', 'o3*'], endpoint: ['chat'], tags: ['batch'], minPromptTokens: 10, maxPromptTokens: 9000, complexity: ['complex'] }, action: { strategy: 'lowest-cost', targets: [T('openai', 'gpt-4o'), T('local', 'llama')] } },
    ],
    budgets: [
      { id: 'smart-day', scope: 'alias', match: 'smart', period: 'day', unit: 'usd', limit: 5, onExhausted: 'refuse' },
      { id: 'team', scope: 'tag', match: 'team-a', period: 'month', unit: 'tokens', limit: 1000, onExhausted: 'downgrade', downgradeTo: [T('local', 'llama')] },
      { id: 'openai-cap', scope: 'provider', match: 'openai', period: 'day', unit: 'usd', limit: 1, onExhausted: 'downgrade', downgradeTo: [T('local', 'llama')] },
      { id: 'claude-cap', scope: 'model', match: 'claude', period: 'month', unit: 'tokens', limit: 2000, onExhausted: 'refuse' },
      { id: 'smart-squeeze', scope: 'alias', match: 'smart', period: 'day', unit: 'tokens', limit: 300, onExhausted: 'downgrade' },
    ],
    classTargets: { complex: [T('anthropic', 'claude')] },
  };
  const all: Endpoint[] = ['chat', 'embeddings', 'speech'];
  const state = (o: { open?: string[]; exhausted?: string[]; disabled?: string[]; chatOnly?: string[] } = {}): RouterState => ({
    breakerOpen: (k) => o.open?.includes(k) ?? false,
    budgetExhausted: (id) => o.exhausted?.includes(id) ?? false,
    latencyMs: () => undefined,
    provider: (id) => (['openai', 'anthropic', 'local'].includes(id) ? { enabled: !o.disabled?.includes(id), endpoints: new Set(o.chatOnly?.includes(id) ? ['chat'] : all) } : undefined),
    price: () => undefined,
    random: () => 0,
    resolveModel: (m) => (m === 'listed' ? [T('local', 'listed')] : []),
  });
  const req = (o: Partial<RouteRequest> = {}): RouteRequest => ({ model: 'gpt-4o', endpoint: 'chat', tags: [], promptTokens: 50, complexity: 'simple', ...o });
  const cases: Array<[RoutingConfig, RouteRequest, RouterState]> = [
    [routing, req({ tags: ['batch'], complexity: 'complex' }), state()],
    [routing, req({ model: 'auto', complexity: 'medium' }), state()],
    [routing, req({ model: 'nope', complexity: null }), state()],
    [routing, req({ model: 'smart', promptTokens: 3 }), state({ exhausted: ['smart-day'] })],
    [routing, req({ model: 'smart', tags: ['team-a', 'vip'] }), state({ exhausted: ['team'] })],
    [routing, req({ model: 'smart', promptTokens: 20_000 }), state({ open: ['openai/gpt-4o', 'anthropic/claude'] })],
    [routing, req({ model: 'smart', endpoint: 'speech', complexity: null }), state({ chatOnly: ['openai', 'anthropic'] })],
    [routing, req({ model: 'mixed' }), state({ disabled: ['openai'] })],
    [routing, req({ model: 'smart', tags: ['vip'] }), state({ exhausted: ['openai-cap', 'claude-cap'] })],
    [routing, req({ model: 'smart' }), state({ exhausted: ['claude-cap'], open: ['openai/gpt-4o'] })],
    [routing, req({ model: 'anthropic/claude-3' }), state()],
    [routing, req({ model: 'listed', tags: ['batch'], complexity: 'complex' }), state()],
    [{ ...routing, rules: [] }, req({ model: 'smart', endpoint: 'speech', complexity: null }), state()],
    // a downgrade with no prices to tell what is cheaper: refused
    [routing, req({ model: 'smart' }), state({ exhausted: ['smart-squeeze'] })],
  ];
  const en = translator('en');
  const zh = translator('zh-CN');
  const said = (message: string, say: TraceSaying) => {
    expect(traceText(en, { message, say }), message).toBe(message);
    expect(traceText(zh, { message, say }), message).toMatch(/[\u4e00-\u9fff]/);
  };

  it('say every step, rule, candidate and error in English as the engine does, and in Chinese otherwise', () => {
    const seen = new Set<string>();
    const note = (say: TraceSaying) => {
      seen.add(say.id);
      for (const v of Object.values(say.vars ?? {})) for (const x of [v].flat()) if (typeof x === 'object' && x !== null) note(x);
    };
    for (const [cfg, r, st] of cases) {
      const d = resolveRoute(cfg, r, st);
      const e = d.explanation;
      expect(e.stepSays).toHaveLength(e.steps.length);
      e.steps.forEach((step, i) => { said(step, e.stepSays[i]); note(e.stepSays[i]); });
      for (const rule of e.rules) { said(rule.reason, rule.say); note(rule.say); }
      for (const c of e.candidates) { said(c.reason, c.say); note(c.say); }
      const failed = routeFailureSaid(d, r.model);
      if (failed) { said(failed.error.message, failed.say); note(failed.say); }
    }
    // every sentence of a routing decision came up at least once (what explain adds of the proxy's: below)
    const outsideRouting = ['route.resolved', 'route.heldRefusal', 'route.failed', 'route.targetRefused', 'route.hint', 'explain.invalidBody', 'explain.targetRefuses'];
    for (const id of TRACE_SAYINGS.filter((x) => (x.startsWith('explain.') || x.startsWith('route.')) && !outsideRouting.includes(x))) {
      expect(seen, id).toContain(id);
    }
  });

  it('sends the sentences as data from the explain route', async () => {
    const res = await sluice.admin('/admin/api/routing/explain', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: { model: 'team', messages: [{ role: 'user', content: 'hi' }] } }),
    });
    const e = await res.json() as ExplainResult;
    expect(e.stepSays).toHaveLength(e.steps.length);
    e.steps.forEach((step, i) => said(step, e.stepSays[i]));
    for (const c of e.candidates) said(c.reason, c.say);
    expect(traceText(zh, { message: '', say: e.stepSays.at(-1) })).toBe('将依次尝试 dead/m → a/m1');
  });
});

describe('why the proxy or a provider refuses a request', () => {
  const en = translator('en');
  const zh = translator('zh-CN');
  const seen = new Set<string>();
  const note = (say: TraceSaying) => {
    seen.add(say.id);
    for (const v of Object.values(say.vars ?? {})) for (const x of [v].flat()) if (typeof x === 'object' && x !== null) note(x);
  };
  /** Worded in English exactly as the engine's message, and in Chinese without the engine's English sentences. */
  const said = (message: string, say: TraceSaying | null | undefined) => {
    expect(say, message).toBeTruthy();
    note(say!);
    expect(traceText(en, { message, say }), message).toBe(message);
    const chinese = traceText(zh, { message, say });
    expect(chinese, message).toMatch(/[\u4e00-\u9fff]/);
    expect(chinese, message).not.toMatch(/expected|Missing|Invalid|Unknown voice|can give|has no voice|is the simulator|characters|inputs per|text is empty|must be/);
  };
  const tts = { model: 'sim-tts', input: 'Hello.', voice: 'alloy', response_format: 'wav' };
  const hi = [{ role: 'user', content: 'hi' }];
  const refused: Array<[string, object]> = [
    ['/v1/chat/completions', { messages: hi }],
    ['/v1/chat/completions', { model: '', messages: hi }],
    ['/v1/chat/completions', { model: 'x'.repeat(300), messages: hi }],
    ['/v1/chat/completions', { model: 'sim-chat' }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: 'hi' }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: [] }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: [5] }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'robot', content: 'hi' }] }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: 5 }] }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: [{}] }] }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: [{ type: 'text', text: 5 }] }] }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'assistant', content: 'x', tool_calls: 5 }] }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, temperature: 'hot' }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, n: 1.5 }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, temperature: 5 }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, stream: 'yes' }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, stop: 5 }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, metadata: 5 }],
    ['/v1/embeddings', { model: 'sim-embed', input: [] }],
    ['/v1/embeddings', { model: 'sim-embed', input: Array.from({ length: 2049 }, () => 'a') }],
    ['/v1/embeddings', { model: 'sim-embed', input: [1, 'a'] }],
    ['/v1/embeddings', { model: 'sim-embed', input: 5 }],
    ['/v1/embeddings', { model: 'sim-embed', input: 'a', encoding_format: 'hex' }],
    ['/v1/audio/speech', { ...tts, model: 5 }],
    ['/v1/audio/speech', { model: 'sim-tts', voice: 'alloy' }],
    ['/v1/audio/speech', { ...tts, input: 5 }],
    ['/v1/audio/speech', { ...tts, input: '  ' }],
    ['/v1/audio/speech', { ...tts, input: 'x'.repeat(5000) }],
    ['/v1/audio/speech', { model: 'sim-tts', input: 'Hello.' }],
    ['/v1/audio/speech', { ...tts, voice: '' }],
    ['/v1/audio/speech', { ...tts, response_format: 'ogg' }],
    ['/v1/audio/speech', { ...tts, speed: 9 }],
    ['/v1/audio/speech', { ...tts, instructions: 5 }],
    // the simulator's own: one of its models at another endpoint, a voice it lacks, a format it cannot give
    ['/v1/chat/completions', { model: 'sim-tts', messages: hi }],
    ['/v1/audio/speech', { ...tts, voice: 'nobody' }],
    ['/v1/audio/speech', { ...tts, response_format: 'mp3' }],
    // what OpenAI refuses, the simulator refuses too
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, response_format: { type: 'xml' } }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, response_format: { type: 'json_object' } }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, tools: [{ type: 'function' }] }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, tools: [] }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, tools: [{ type: 'function', function: { name: 'get weather' } }] }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, tools: [{ type: 'custom', custom: { name: 'x' } }] }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, tool_choice: 'required' }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: { type: 'function', function: { name: 'g' } } }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, logit_bias: { abc: 500 } }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, logit_bias: { 50256: 500 } }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, top_logprobs: 2 }],
    ['/v1/chat/completions', { model: 'sim-chat', messages: hi, stream_options: { include_usage: true } }],
  ];

  it('words each refusal of the proxy, in the request log and in explain, as the engine does in English and in Chinese otherwise', async () => {
    for (const [path, body] of refused) {
      const res = await fetch(`${sluice.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const answer = await res.json() as { error: { message: string } };
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      // the request detail: its trace's refusal (a body's problem, or the provider's, in the attempt that failed)
      const row = await (await sluice.admin(`/admin/api/requests/${res.headers.get('x-request-id')}`)).json() as { detail: { trace: Step[] } };
      const validate = row.detail.trace.find((x) => x.stage === 'validate');
      if (validate) said(validate.message, validate.say as TraceSaying);
      // a provider's own refusal comes before the cache looks, and says so
      const refusedBy = row.detail.trace.find((x) => x.say?.id === 'route.targetRefused');
      if (refusedBy) said(refusedBy.message, refusedBy.say as TraceSaying);
      // the explain tester: the same refusal, in a step and as the error
      const endpoint = path.includes('speech') ? 'speech' : path.includes('embeddings') ? 'embeddings' : 'chat';
      const e = await (await sluice.admin('/admin/api/routing/explain', { method: 'POST', body: JSON.stringify({ endpoint, body }) })).json() as ExplainResult;
      expect(e.error?.message).toBe(answer.error.message);
      said(e.error!.message, e.error!.say);
      said(e.steps.at(-1)!, e.stepSays.at(-1)!);
    }
  });

  it('words the refusals of the other built-in speech providers and a body that is no object', async () => {
    const { validateSpeechRequest } = await import('../src/engine/tts/speech-request.ts');
    const { edgeTtsFactory } = await import('../src/engine/providers/edge-tts/edge-tts-adapter.ts');
    const { espeakFactory } = await import('../src/engine/providers/espeak/espeak-adapter.ts');
    const { defaultDeps, silentLogger } = await import('../src/engine/index.ts');
    const deps = defaultDeps(sluice.dataDir, { logger: silentLogger });
    try {
      validateSpeechRequest(null, { maxInputChars: 10 });
    } catch (err) {
      said((err as Error).message, (err as { say: TraceSaying }).say);
    }
    const edge = edgeTtsFactory({ id: 'edge', type: 'edge-tts', options: {} }, deps);
    const espeak = espeakFactory({ id: 'espeak', type: 'espeak', options: { ffmpegPath: false } }, deps);
    const refusals = [
      await edge.refuses!('speech', { model: 'edge-tts', voice: 'zh-CN-XiaoxiaoNeural', response_format: 'flac' }),
      await edge.refuses!('speech', { model: 'edge-tts', voice: 'nobody', response_format: 'mp3' }),
      await espeak.refuses!('speech', { model: 'espeak-ng', voice: 'en-us', response_format: 'mp3' }),
      await espeak.refuses!('speech', { model: 'espeak-ng', voice: 'en-us', response_format: 'flac' }),
      await espeak.refuses!('speech', { model: 'espeak-ng', voice: 'nobody', response_format: 'wav' }),
    ];
    for (const r of refusals) said(r!.message, r!.say);
    expect(refusals[2]!.message).toContain('needs ffmpeg');
    expect(traceText(zh, refusals[2]!)).toContain('需要 ffmpeg');
    await Promise.all([edge.close(), espeak.close()]);
  });

  it('had every sentence of a refusal come up', () => {
    for (const id of TRACE_SAYINGS.filter((x) => x.startsWith('request.') || x.startsWith('provider.') || x === 'explain.invalidBody' || x === 'explain.targetRefuses' || x === 'route.targetRefused')) {
      expect(seen, id).toContain(id);
    }
  });
});
