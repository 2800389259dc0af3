// Speech end to end with the real espeak-ng (installed here and in CI): through HTTP and the
// official openai SDK, cached like any answer (also across a restart), sentence mode in English
// and Chinese, and each bad input a 400 naming the problem.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, defaultConfig, defaultDeps, silentLogger } from '../src/engine/index.ts';
import { findExecutable } from '../src/engine/providers/espeak/find-executable.ts';
import { parseWav } from '../src/engine/tts/wav.ts';
import { ADMIN_TOKEN, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

const espeak = { id: 'espeak', type: 'espeak' as const, source: 'config' as const };
const hasFfmpeg = findExecutable('ffmpeg') !== null;
let dataDir: string;
let sluice: TestEngine;
let client: OpenAI;

async function speak(body: object, path = '/v1/audio/speech') {
  const res = await fetch(sluice.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString('utf8')) };
}

function seconds(wav: Buffer): number {
  const info = parseWav(wav);
  return info.dataLength / info.byteRate;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sluice-speech-'));
  sluice = await startTestEngine({ providers: [espeak], dataDir, keepDataDir: true, config: { tts: { maxInputChars: 200 } } });
  client = new OpenAI({ baseURL: `${sluice.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
});
afterAll(async () => {
  await sluice.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('speech through Sluice with espeak-ng', () => {
  it('the openai SDK gets a valid WAV of plausible length; the repeat is a byte-identical hit with the same headers', async () => {
    const ask = () => client.audio.speech.create({ model: 'espeak', voice: 'en-us', input: 'Hello from the local speech engine', response_format: 'wav' }).withResponse();
    const first = await ask();
    const audio = Buffer.from(await first.data.arrayBuffer());
    expect(first.response.headers.get('content-type')).toBe('audio/wav');
    expect(first.response.headers.get('content-length')).toBe(String(audio.length));
    expect(first.response.headers.get('x-sluice-cache')).toBe('miss');
    expect(first.response.headers.get('x-sluice-provider')).toBe('espeak');
    const info = parseWav(audio);
    expect(info.sizeUnknown).toBe(false);
    expect(info.channels).toBe(1);
    // Six words: between one and six seconds at espeak's default 175 words per minute.
    expect(seconds(audio)).toBeGreaterThan(1);
    expect(seconds(audio)).toBeLessThan(6);

    const second = await ask();
    const again = Buffer.from(await second.data.arrayBuffer());
    expect(second.response.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(again.equals(audio)).toBe(true);
    expect(second.response.headers.get('content-type')).toBe('audio/wav');
    expect(second.response.headers.get('content-length')).toBe(String(audio.length));
  });

  it('texts that differ only in spacing share a cache entry', async () => {
    const a = await speak({ model: 'espeak-ng', voice: 'en-gb', input: 'Spacing  does\tnot matter', response_format: 'pcm' });
    const b = await speak({ model: 'espeak-ng', voice: 'en-gb', input: '  Spacing does not   matter ', response_format: 'pcm' });
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toBe('audio/pcm');
    expect(b.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(b.bytes.equals(a.bytes)).toBe(true);
  });

  it('English sentence mode streams the sentences in order, each cached on its own', async () => {
    const sentences = ['The train leaves at nine.', 'It stops in Leipzig!', 'Do you need a ticket?'];
    const whole = await speak({ model: 'espeak', voice: 'en-us', input: sentences.join(' '), response_format: 'wav' });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('x-sluice-sentences')).toBe('3');
    expect(whole.headers.get('x-sluice-sentence-hits')).toBe('0');
    expect(whole.headers.get('x-sluice-cache')).toBe('miss');
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    const info = parseWav(whole.bytes);
    // Each sentence alone is now a cache hit, and the reply is exactly their audio in order.
    const parts: Buffer[] = [];
    for (const s of sentences) {
      const one = await speak({ model: 'espeak', voice: 'en-us', input: s, response_format: 'wav' });
      expect(one.headers.get('x-sluice-cache')).toBe('hit-memory');
      const i = parseWav(one.bytes);
      parts.push(one.bytes.subarray(i.dataOffset, i.dataOffset + i.dataLength));
    }
    expect(whole.bytes.subarray(info.dataOffset, info.dataOffset + info.dataLength).equals(Buffer.concat(parts))).toBe(true);

    // The same reply again: every sentence hits, one complete file with exact sizes.
    const replay = await speak({ model: 'espeak', voice: 'en-us', input: sentences.join(' '), response_format: 'wav' });
    expect(replay.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(replay.headers.get('x-sluice-sentence-hits')).toBe('3');
    expect(replay.headers.get('content-length')).toBe(String(replay.bytes.length));
    expect(parseWav(replay.bytes).sizeUnknown).toBe(false);
    expect(seconds(replay.bytes)).toBeCloseTo(seconds(whole.bytes), 5);
  });

  it('Chinese sentence mode: common sentences hit across different replies (legacy /tts/synthesize too)', async () => {
    const first = await speak({ model: 'espeak', voice: 'cmn', input: '你好。今天天气很好。我们去公园吧！', response_format: 'wav' });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-sluice-sentences')).toBe('3');
    expect(seconds(first.bytes)).toBeGreaterThan(1);
    const second = await speak({ model: 'espeak', voice: 'cmn', text: '你好。明天见！' }, '/tts/synthesize');
    expect(second.status).toBe(200);
    expect(second.headers.get('x-sluice-sentences')).toBe('2');
    expect(second.headers.get('x-sluice-sentence-hits')).toBe('1');
    expect(parseWav(second.bytes).channels).toBe(1);
  });

  it('legacy /tts/synthesize, whose voice defaults to alloy, speaks Chinese as Mandarin, sentence by sentence in a mixed reply', async () => {
    // the samples, not the headers: whether a reply streams (sizes 0xFFFFFFFF) depends on timing
    const data = (b: Buffer) => { const i = parseWav(b); return b.subarray(i.dataOffset, i.dataOffset + i.dataLength); };
    const legacy = await speak({ model: 'espeak', text: '明天见！后天见。' }, '/tts/synthesize');
    const chosen = await speak({ model: 'espeak', voice: 'cmn', input: '明天见！后天见。', response_format: 'wav' });
    expect(legacy.status).toBe(200);
    expect(data(legacy.bytes).equals(data(chosen.bytes))).toBe(true);
    // per sentence: the English one stays English, the Chinese one is Mandarin (and a hit of the reply above)
    const mixed = await speak({ model: 'espeak', voice: 'alloy', input: 'See you later. 后天见。', response_format: 'wav' });
    const english = await speak({ model: 'espeak', voice: 'en-us', input: 'See you later.', response_format: 'wav' });
    expect(mixed.headers.get('x-sluice-sentences')).toBe('2');
    const mandarin = await speak({ model: 'espeak', voice: 'cmn', input: '后天见。', response_format: 'wav' });
    expect(data(mixed.bytes).equals(Buffer.concat([data(english.bytes), data(mandarin.bytes)]))).toBe(true);
  });

  it(hasFfmpeg ? 'mp3 comes back as audio/mpeg through ffmpeg' : 'mp3 without ffmpeg is a 400 naming the formats espeak-ng can give', async () => {
    const r = await speak({ model: 'espeak', voice: 'en-us', input: 'Compressed audio please', response_format: 'mp3' });
    if (hasFfmpeg) {
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('audio/mpeg');
    } else {
      expect(r.status).toBe(400);
      expect(r.json().error.param).toBe('response_format');
      expect(r.json().error.message).toContain('wav, pcm');
    }
  });

  it(hasFfmpeg ? 'the SDK naming no format gets mp3 through ffmpeg' : 'the SDK naming no format gets wav, said in x-sluice-response-format, and a repeat is a hit', async () => {
    const ask = () => client.audio.speech.create({ model: 'espeak', voice: 'en-us', input: 'No format named here' }).withResponse();
    const first = await ask();
    const audio = Buffer.from(await first.data.arrayBuffer());
    expect(first.response.headers.get('content-type')).toBe(hasFfmpeg ? 'audio/mpeg' : 'audio/wav');
    expect(first.response.headers.get('x-sluice-response-format')).toBe(hasFfmpeg ? 'mp3' : 'wav');
    if (!hasFfmpeg) expect(seconds(audio)).toBeGreaterThan(0.5);
    const second = await ask();
    expect(second.response.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(second.response.headers.get('x-sluice-response-format')).toBe(hasFfmpeg ? 'mp3' : 'wav');
    // the same entry as a request that named that format
    const named = await client.audio.speech.create({ model: 'espeak', voice: 'en-us', input: 'No format named here', response_format: hasFfmpeg ? 'mp3' : 'wav' }).withResponse();
    expect(named.response.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(named.response.headers.get('x-sluice-response-format')).toBeNull();
    expect(Buffer.from(await named.data.arrayBuffer()).equals(audio)).toBe(true);
  });

  it('an unknown voice, text over the limit and empty text are 400s naming the problem', async () => {
    const voice = await speak({ model: 'espeak', voice: 'klingon', input: 'Hello there', response_format: 'wav' });
    expect(voice.status).toBe(400);
    expect(voice.json().error.param).toBe('voice');
    expect(voice.json().error.message).toContain("'klingon'");
    const sentenceVoice = await speak({ model: 'espeak', voice: 'klingon', input: 'Hello there. Two sentences.', response_format: 'wav' });
    expect(sentenceVoice.status).toBe(400);
    expect(sentenceVoice.json().error.param).toBe('voice');
    const long = await speak({ model: 'espeak', voice: 'en-us', input: 'x'.repeat(201) });
    expect(long.status).toBe(400);
    expect(long.json().error.param).toBe('input');
    expect(long.json().error.message).toContain('over the limit of 200');
    const empty = await speak({ model: 'espeak', voice: 'en-us', input: ' \n\t ' });
    expect(empty.status).toBe(400);
    expect(empty.json().error.param).toBe('input');
    const format = await speak({ model: 'espeak', voice: 'en-us', input: 'hi', response_format: 'midi' });
    expect(format.json().error.param).toBe('response_format');
  });

  it('lists voices per provider at /v1/audio/voices and in the admin API', async () => {
    const res = await fetch(`${sluice.url}/v1/audio/voices?model=espeak`);
    const list = (await res.json()) as { object: string; data: Array<{ id: string; provider: string; models: string[] }> };
    expect(list.object).toBe('list');
    const ids = list.data.map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['en-us', 'cmn', 'alloy']));
    expect(list.data.every((v) => v.provider === 'espeak' && v.models.includes('espeak'))).toBe(true);
    const unknown = await fetch(`${sluice.url}/v1/audio/voices?model=nope`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: object }).error).toMatchObject({ code: 'model_not_found', param: 'model' });
    const admin = (await (await sluice.admin('/admin/api/tts/voices')).json()) as { providers: Array<{ provider: string; formats: string[]; voices: unknown[] }> };
    const e = admin.providers.find((p) => p.provider === 'espeak')!;
    expect(e.voices.length).toBeGreaterThan(20);
    expect(e.formats).toContain('wav');
  });

  it('a cached reply survives a restart (served from disk)', async () => {
    const body = { model: 'espeak', voice: 'en-us', input: 'Remember me after a restart', response_format: 'wav' };
    const before = await speak(body);
    expect(before.headers.get('x-sluice-cache')).toBe('miss');
    await sluice.engine.stop();
    sluice = await startTestEngine({ providers: [espeak], dataDir, keepDataDir: true });
    const after = await speak(body);
    expect(after.headers.get('x-sluice-cache')).toBe('hit-disk');
    expect(after.bytes.equals(before.bytes)).toBe(true);
    expect(after.headers.get('content-length')).toBe(String(before.bytes.length));
  });
});

describe('espeak-ng offered by default', () => {
  it('is added when local detection runs, with a connection limit, and answers model "espeak-ng"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-speech-default-'));
    const config = defaultConfig();
    config.server.port = 0;
    const engine = createEngine(config, defaultDeps(dir, { logger: silentLogger }), { detectLocal: [], adminToken: ADMIN_TOKEN });
    try {
      const url = await engine.start();
      const cfg = engine.registry.config('espeak');
      expect(cfg).toMatchObject({ type: 'espeak', source: 'detected' });
      expect(cfg!.maxConnections).toBeGreaterThanOrEqual(1);
      const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: Array<{ id: string }> };
      expect(models.data.map((m) => m.id)).toEqual(expect.arrayContaining(['espeak-ng', 'espeak']));
      const res = await fetch(`${url}/v1/audio/speech`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'espeak-ng', voice: 'alloy', input: 'Default voice', response_format: 'wav' }),
      });
      expect(res.status).toBe(200);
      expect(seconds(Buffer.from(await res.arrayBuffer()))).toBeGreaterThan(0.3);
    } finally {
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
