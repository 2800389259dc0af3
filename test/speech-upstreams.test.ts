// Speech through the engine against fake upstreams: Edge read-aloud over our fake WebSocket
// server, an OpenAI-compatible speech endpoint (byte for byte), sentence mode's per-reply
// concurrency, and a sentence failing midway (the stream errors, nothing is stored as a whole).
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeEdgeServer } from '../src/engine/providers/edge-tts/fake-edge-server.ts';
import { synthesizeSimulatedWav } from '../src/engine/tts/simulated-wav.ts';
import { parseWav } from '../src/engine/tts/wav.ts';
import { FakeUpstream, wavReply } from './helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let fake: FakeUpstream;
let edge: FakeEdgeServer;
let sluice: TestEngine;
let client: OpenAI;

beforeAll(async () => {
  fake = new FakeUpstream();
  const upstream = await fake.start();
  edge = new FakeEdgeServer();
  const edgeUrl = await edge.start();
  sluice = await startTestEngine({
    providers: [
      { id: 'upstream', type: 'openai-compatible', baseUrl: upstream, models: ['tts-test'] },
      // An http:// base URL, as the panel takes it: the adapter speaks WebSocket to the same server.
      { id: 'edge', type: 'edge-tts', baseUrl: edgeUrl.replace(/^ws:/, 'http:') },
    ],
    config: { tts: { sentenceMode: { concurrency: 2 } } },
  });
  client = new OpenAI({ baseURL: `${sluice.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
});
afterAll(async () => {
  await sluice.stop();
  await fake.stop();
  await edge.stop();
});

async function speak(body: object) {
  const res = await fetch(`${sluice.url}/v1/audio/speech`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('Edge read-aloud through the engine', () => {
  it('model "edge-tts" reaches the Edge adapter; the audio is cached', async () => {
    const mp3 = Buffer.from([0xff, 0xf3, 0x44, 0xc4, 1, 2, 3, 4, 5]);
    let turns = 0;
    edge.onTurn = (t) => { turns++; t.conn.sendTurn(t.requestId, [mp3.subarray(0, 4), mp3.subarray(4)]); };
    const ask = () => client.audio.speech.create({ model: 'edge-tts', voice: 'zh-CN-XiaoxiaoNeural', input: '你好，世界' }).withResponse();
    const first = await ask();
    expect(Buffer.from(await first.data.arrayBuffer()).equals(mp3)).toBe(true);
    expect(first.response.headers.get('content-type')).toBe('audio/mpeg');
    expect(first.response.headers.get('x-sluice-provider')).toBe('edge');
    expect(edge.connections.at(-1)!.received.join('\n')).toContain("<voice name='zh-CN-XiaoxiaoNeural'>");
    const second = await ask();
    expect(second.response.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(Buffer.from(await second.data.arrayBuffer()).equals(mp3)).toBe(true);
    expect(turns).toBe(1);
  });

  it('an Edge voice id of the wrong shape and a format Edge does not offer are 400s', async () => {
    const voice = await speak({ model: 'edge-tts', voice: 'robot', input: 'Hi' });
    expect(voice.res.status).toBe(400);
    expect(JSON.parse(voice.bytes.toString()).error.param).toBe('voice');
    const format = await speak({ model: 'edge-tts', voice: 'en-US-AriaNeural', input: 'Hi', response_format: 'flac' });
    expect(format.res.status).toBe(400);
    expect(JSON.parse(format.bytes.toString()).error.param).toBe('response_format');
  });

  it('lists the Edge voices for model "edge-tts"', async () => {
    const list = (await (await fetch(`${sluice.url}/v1/audio/voices?model=edge-tts`)).json()) as { data: Array<{ id: string; provider: string }> };
    expect(list.data.map((v) => v.id)).toEqual(expect.arrayContaining(['zh-CN-XiaoxiaoNeural', 'en-US-AriaNeural']));
    expect(new Set(list.data.map((v) => v.provider))).toEqual(new Set(['edge']));
  });
});

describe('OpenAI-compatible speech through the engine', () => {
  it('passes the upstream audio through byte for byte, with its Content-Type and length', async () => {
    const { data, response } = await client.audio.speech.create({ model: 'tts-test', voice: 'alloy', input: 'Byte for byte' }).withResponse();
    const bytes = Buffer.from(await data.arrayBuffer());
    expect(bytes.toString()).toBe('AUDIO:alloy:Byte for byte');
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
  });

  it('sentence mode calls upstream at most `concurrency` sentences at a time and joins them in order', async () => {
    let active = 0;
    let peak = 0;
    fake.on('POST /v1/audio/speech', async (req, res) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 15));
      active--;
      wavReply(req, res);
    });
    const sentences = ['One is first.', 'Two is second.', 'Three is third.', 'Four is fourth.', 'Five is fifth.'];
    const { res, bytes } = await speak({ model: 'tts-test', voice: 'nova', input: sentences.join(' '), response_format: 'wav' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sluice-sentences')).toBe('5');
    expect(peak).toBe(2);
    const expected = Buffer.concat(sentences.map((s) => synthesizeSimulatedWav(s, { sampleRate: 16_000, speed: 1 }).subarray(44)));
    const info = parseWav(bytes);
    expect(bytes.subarray(info.dataOffset, info.dataOffset + info.dataLength).equals(expected)).toBe(true);
  });

  it('a sentence failing midway breaks the stream, and the reply is not stored as a whole', async () => {
    let failing = true;
    fake.on('POST /v1/audio/speech', async (req, res) => {
      if (String(req.body.input).startsWith('Second')) {
        await new Promise((r) => setTimeout(r, 40));
        if (failing) { res.writeHead(500, { 'content-type': 'application/json' }); res.end('{"error":{"message":"boom"}}'); return; }
      }
      wavReply(req, res);
    });
    const body = { model: 'tts-test', voice: 'echo', input: 'First comes quickly. Second fails slowly.', response_format: 'wav' };
    const res = await fetch(`${sluice.url}/v1/audio/speech`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();

    failing = false;
    const again = await speak(body);
    expect(again.res.status).toBe(200);
    expect(again.res.headers.get('x-sluice-cache')).toBe('miss');
    expect(again.res.headers.get('x-sluice-sentence-hits')).toBe('1');
  });
});
