// What a sentence-mode speech reply is billed and logged as: only the sentences it sent upstream itself
// count, a reply served wholly by the cache or by other requests' calls says so and costs nothing, and
// its attempts and upstream time are its sentences' calls (with the whole text's, when it is spoken whole).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeUpstream, wavReply } from './helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';
import { gate, until } from './helpers/waiting.ts';

const SPEECH = 'POST /v1/audio/speech';
/** USD per million characters: 0.015 per character. */
const PRICE = 15_000;

let fake: FakeUpstream;
let sluice: TestEngine;

beforeEach(async () => {
  fake = new FakeUpstream();
  const upstream = await fake.start();
  sluice = await startTestEngine({ providers: [{ id: 'up', type: 'openai-compatible', baseUrl: upstream, models: ['tts-test'] }] });
  const put = await sluice.admin('/admin/api/routing/prices', { method: 'PUT', body: JSON.stringify({ 'tts-test': { input: PRICE, output: 0 } }) });
  expect(put.status).toBe(200);
});
afterEach(async () => {
  await sluice.stop();
  await fake.stop();
});

const speak = (input: string) => fetch(`${sluice.url}/v1/audio/speech`, {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'tts-test', voice: 'alloy', input, response_format: 'wav' }),
});

/** The upstream answers every sentence, but a 500 (after the others are in) for one starting with `prefix`. */
function failSentencesStartingWith(prefix: string): void {
  fake.on(SPEECH, async (req, res) => {
    if (!String(req.body.input).startsWith(prefix)) return wavReply(req, res);
    await new Promise((r) => setTimeout(r, 30));
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end('{"error":{"message":"boom"}}');
  });
}

interface Row { id: string; cache: string; attempts: number; promptTokens: number; costUsd: number }
const rows = async (n: number) => (await (await sluice.admin(`/admin/api/requests?limit=${n}&endpoint=speech`)).json()) as Row[];
const chars = (s: string) => [...s].length;

describe('sentence-mode speech accounting', () => {
  it('five identical replies at once: two upstream calls, one reply billed, four coalesced at $0', async () => {
    const held = gate();
    fake.on(SPEECH, async (req, res) => { await held.wait; wavReply(req, res); });
    const input = 'Priced coalesce. Second priced part.';
    const pending = Array.from({ length: 5 }, () => speak(input));
    // 5 replies × 2 sentences, all waiting on the two calls
    await until(() => sluice.engine.services.cache!.waiting() === 10, 'every sentence sharing a call');
    held.open();
    const responses = await Promise.all(pending);
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    expect(fake.calls(SPEECH)).toHaveLength(2);
    const marks = responses.map((r) => r.headers.get('x-sluice-cache'));
    expect(marks.filter((m) => m === 'miss')).toHaveLength(1);
    expect(marks.filter((m) => m === 'coalesced')).toHaveLength(4);

    const logged = await rows(5);
    const billed = chars('Priced coalesce.') + chars('Second priced part.');
    expect(logged.filter((r) => r.cache === 'miss')).toMatchObject([{ promptTokens: billed, attempts: 2 }]);
    expect(logged.filter((r) => r.cache === 'coalesced').map((r) => [r.costUsd, r.attempts])).toEqual([[0, 0], [0, 0], [0, 0], [0, 0]]);
    const total = logged.reduce((n, r) => n + r.costUsd, 0);
    expect(total).toBeCloseTo((billed * PRICE) / 1e6, 9);
    const spend = (await (await sluice.admin('/admin/api/routing/spend?days=1')).json()) as Array<{ model: string; usd: number; requests: number }>;
    expect(spend.find((d) => d.model === 'tts-test')).toMatchObject({ requests: 1 });
    expect(spend.find((d) => d.model === 'tts-test')!.usd).toBeCloseTo((billed * PRICE) / 1e6, 9);
  });

  it('partly cached: billed for the new sentence only, with its attempt and upstream time', async () => {
    fake.on(SPEECH, wavReply);
    const warm = await speak('Good morning.');
    await warm.arrayBuffer();
    const held = gate();
    fake.on(SPEECH, async (req, res) => { await held.wait; wavReply(req, res); });
    const res = await speak('Good morning. Brand new sentence here.');
    // the headers went out while the new sentence's call was still under way
    expect(res.headers.get('x-sluice-sentence-hits')).toBe('1');
    expect(res.headers.get('x-sluice-cache')).toBe('miss');
    expect(res.headers.get('x-sluice-attempts')).toBe('1');
    held.open();
    await res.arrayBuffer();
    const [row] = await rows(1);
    expect(row).toMatchObject({ cache: 'miss', attempts: 1, promptTokens: chars('Brand new sentence here.') });
    expect(row.costUsd).toBeCloseTo((chars('Brand new sentence here.') * PRICE) / 1e6, 9);
    const detail = (await (await sluice.admin(`/admin/api/requests/${row.id}`)).json()) as { detail: { timings: { upstreamMs: number } } };
    expect(detail.detail.timings.upstreamMs).toBeGreaterThan(0);
  });

  it('a reply whose stream fails midway is billed for the sentences its upstream answered', async () => {
    failSentencesStartingWith('Second');
    const res = await speak('First is paid for. Second fails.');
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
    await until(async () => (await rows(1))[0]?.promptTokens > 0, 'the failed reply logged');
    const [row] = await rows(1);
    expect(row.promptTokens).toBe(chars('First is paid for.'));
    expect(row.costUsd).toBeCloseTo((chars('First is paid for.') * PRICE) / 1e6, 9);
    const spend = (await (await sluice.admin('/admin/api/routing/spend?days=1')).json()) as Array<{ model: string; usd: number }>;
    expect(spend.find((d) => d.model === 'tts-test')!.usd).toBeCloseTo((chars('First is paid for.') * PRICE) / 1e6, 9);
  });

  it('a reply whose first sentence fails is billed for the others its upstream answered', async () => {
    failSentencesStartingWith('Opening');
    const res = await speak('Opening fails late. Closing is quick.');
    expect(res.status).toBe(500); // the upstream's own status, passed through
    await res.arrayBuffer();
    await until(async () => (await rows(1))[0]?.promptTokens > 0, 'the failed reply logged');
    const [row] = await rows(1);
    expect(row.promptTokens).toBe(chars('Closing is quick.'));
    expect(row.costUsd).toBeCloseTo((chars('Closing is quick.') * PRICE) / 1e6, 9);
  });

  it('a reply spoken whole, its sentences not being mp3, is billed for the sentences its upstream answered and the whole text', async () => {
    const held = gate(); // the second sentence is still on its way when the first's WAV tells: it is never answered
    fake.on(SPEECH, async (req, res) => { if (req.body.input === 'Second never answers.') await held.wait; wavReply(req, res); });
    const input = 'First is not mp3. Second never answers.';
    const res = await fetch(`${sluice.url}/v1/audio/speech`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tts-test', voice: 'alloy', input, response_format: 'mp3' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(res.headers.get('x-sluice-cache')).toBe('miss');
    await res.arrayBuffer();
    held.open();
    const [row] = await rows(1);
    const billed = chars('First is not mp3.') + chars(input);
    expect(row).toMatchObject({ cache: 'miss', promptTokens: billed });
    expect(row.costUsd).toBeCloseTo((billed * PRICE) / 1e6, 9);
  });

  it('every sentence from the cache: a hit that costs nothing', async () => {
    fake.on(SPEECH, wavReply);
    await (await speak('Known one. Known two.')).arrayBuffer();
    const again = await speak('Known one. Known two.');
    expect(again.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(again.headers.get('x-sluice-attempts')).toBe('0');
    await again.arrayBuffer();
    const [row] = await rows(1);
    expect(row).toMatchObject({ cache: 'hit-memory', attempts: 0, costUsd: 0 });
  });
});
