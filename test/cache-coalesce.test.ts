// Identical requests in flight together share one upstream call (issue 3): plain and streamed,
// late followers, and a first client that goes away.
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/engine/clock.ts';
import { chatCompletion, FakeUpstream, json, sseChunks } from './helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';
import { gate, until } from './helpers/waiting.ts';

const jsonOf = async (r: Response | Promise<Response>): Promise<any> => (await r).json();
const CHAT = 'POST /v1/chat/completions';
let fake: FakeUpstream;
let sluice: TestEngine;

const waiting = () => sluice.engine.services.cache!.waiting();

function post(body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(`${sluice.url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal,
  });
}

const ask = (content: string, extra: Record<string, unknown> = {}) => ({ model: 'gpt-test', messages: [{ role: 'user', content }], ...extra });

async function readSome(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const { value, done } = await reader.read();
  return done ? '' : Buffer.from(value).toString();
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  let s = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return s;
    s += Buffer.from(value).toString();
  }
}

function contentOf(sse: string): string {
  return sse.split('\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)).choices[0]?.delta?.content ?? '').join('');
}

beforeEach(async () => {
  fake = new FakeUpstream();
  await fake.start();
  sluice = await startTestEngine({
    providers: [{ id: 'upstream', type: 'openai-compatible', baseUrl: fake.url, apiKey: 'sk-upstream' }],
    deps: { clock: new ManualClock() },
  });
});

afterEach(async () => {
  await sluice.stop();
  await fake.stop();
});

describe('coalescing', () => {
  it('100 identical requests at once make exactly one upstream call and all get the answer', async () => {
    const g = gate();
    fake.on(CHAT, async (req, res) => { await g.wait; json(res, 200, chatCompletion(String(req.body.model), 'the one answer')); });
    const pending = Array.from({ length: 100 }, () => post(ask('same question')));
    await until(() => waiting() === 100, '100 requests sharing the call');
    g.open();
    const responses = await Promise.all(pending);
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(fake.calls(CHAT)).toHaveLength(1);
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0]).choices[0].message.content).toBe('the one answer');
    const marks = responses.map((r) => r.headers.get('x-sluice-cache'));
    expect(marks.filter((m) => m === 'miss')).toHaveLength(1);
    expect(marks.filter((m) => m === 'coalesced')).toHaveLength(99);
    const stats = await jsonOf(sluice.admin('/admin/api/cache/stats'));
    expect(stats.coalesced).toBe(99);
  });

  it('streamed followers get what they missed first, then chunks as they arrive', async () => {
    const rest = gate();
    let upstreamRes: ServerResponse | null = null;
    fake.on(CHAT, async (req, res) => {
      upstreamRes = res;
      const chunks = sseChunks(String(req.body.model), ['part-one ', 'part-two ', 'part-three']);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunks[0] + chunks[1]);
      await rest.wait;
      for (const c of chunks.slice(2)) res.write(c);
      res.end();
    });
    const leader = await post(ask('tell me', { stream: true }));
    const lr = leader.body!.getReader();
    let leaderText = await readSome(lr);
    while (!leaderText.includes('part-one')) leaderText += await readSome(lr);
    const followers = await Promise.all(Array.from({ length: 20 }, () => post(ask('tell me', { stream: true }))));
    expect(followers.every((f) => f.headers.get('x-sluice-cache') === 'coalesced')).toBe(true);
    const readers = followers.map((f) => f.body!.getReader());
    // Before the upstream sends more, each follower already has the part it missed.
    const early = await Promise.all(readers.map(async (r) => { let s = ''; while (!s.includes('part-one')) s += await readSome(r); return s; }));
    expect(early.every((s) => !s.includes('part-two'))).toBe(true);
    rest.open();
    const texts = await Promise.all(readers.map(async (r, i) => early[i] + await readAll(r)));
    leaderText += await readAll(lr);
    expect(upstreamRes).not.toBeNull();
    expect(fake.calls(CHAT)).toHaveLength(1);
    for (const t of [leaderText, ...texts]) {
      expect(contentOf(t)).toBe('part-one part-two part-three');
      expect(t.endsWith('data: [DONE]\n\n')).toBe(true);
    }
  });

  it('when the first client disconnects, the upstream call carries on for the others and fills the cache', async () => {
    const rest = gate();
    let upstreamClosedEarly = false;
    fake.on(CHAT, async (req, res) => {
      const chunks = sseChunks(String(req.body.model), ['alpha ', 'beta ', 'gamma']);
      res.on('close', () => { if (!res.writableFinished) upstreamClosedEarly = true; });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunks[0] + chunks[1]);
      await rest.wait;
      for (const c of chunks.slice(2)) res.write(c);
      res.end();
    });
    const abort = new AbortController();
    const first = await post(ask('story', { stream: true }), abort.signal);
    const fr = first.body!.getReader();
    let got = '';
    while (!got.includes('alpha')) got += await readSome(fr);
    const second = await post(ask('story', { stream: true }));
    expect(second.headers.get('x-sluice-cache')).toBe('coalesced');
    abort.abort();
    await fr.cancel().catch(() => {});
    await until(() => waiting() === 1, 'the first request to leave');
    rest.open();
    const text = await second.text();
    expect(contentOf(text)).toBe('alpha beta gamma');
    expect(upstreamClosedEarly).toBe(false);
    const later = await post(ask('story'));
    expect(later.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect((await jsonOf(later)).choices[0].message.content).toBe('alpha beta gamma');
    expect(fake.calls(CHAT)).toHaveLength(1);
  });

  it('a lone client that disconnects aborts the upstream call and nothing is cached', async () => {
    const rest = gate();
    let upstreamClosedEarly = false;
    fake.on(CHAT, async (req, res) => {
      const chunks = sseChunks(String(req.body.model), ['one ', 'two']);
      res.on('close', () => { if (!res.writableFinished) { upstreamClosedEarly = true; rest.open(); } });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunks[0] + chunks[1]);
      await rest.wait;
      if (!res.destroyed) { for (const c of chunks.slice(2)) res.write(c); res.end(); }
    });
    const abort = new AbortController();
    const first = await post(ask('alone', { stream: true }), abort.signal);
    const fr = first.body!.getReader();
    let got = '';
    while (!got.includes('one')) got += await readSome(fr);
    abort.abort();
    await fr.cancel().catch(() => {});
    await until(() => upstreamClosedEarly, 'the upstream call to be aborted');
    fake.on(CHAT, (req, res) => json(res, 200, chatCompletion(String(req.body.model), 'new')));
    const later = await post(ask('alone'));
    expect(later.headers.get('x-sluice-cache')).toBe('miss');
  });

  it('plain and streamed requests for the same prompt do not share a call', async () => {
    const g = gate();
    fake.on(CHAT, async (req, res) => {
      await g.wait;
      if (req.body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const c of sseChunks(String(req.body.model), ['hi'])) res.write(c);
        res.end();
      } else json(res, 200, chatCompletion(String(req.body.model), 'hi'));
    });
    const a = post(ask('mixed'));
    const b = post(ask('mixed', { stream: true }));
    await until(() => fake.calls(CHAT).length === 2, 'both upstream calls');
    g.open();
    const [ra, rb] = await Promise.all([a, b]);
    expect((await jsonOf(ra)).choices[0].message.content).toBe('hi');
    expect(contentOf(await rb.text())).toBe('hi');
  });
});
