// OpenAI's `stream_format` on /v1/audio/speech: 'sse' is refused before any upstream call (it used to be
// forwarded, and the upstream's event stream became a 502 counted against a healthy upstream), and
// 'audio', the default, keeps working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeUpstream } from './helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let fake: FakeUpstream;
let sluice: TestEngine;

beforeAll(async () => {
  fake = new FakeUpstream();
  const upstream = await fake.start();
  // as OpenAI does: an SSE answer when asked for one
  fake.on('POST /v1/audio/speech', (req, res) => {
    if (req.body.stream_format === 'sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${JSON.stringify({ type: 'speech.audio.delta', audio: Buffer.from('AUDIO').toString('base64') })}\n\n`);
      return;
    }
    const bytes = Buffer.from(`AUDIO:${req.body.input}`);
    res.writeHead(200, { 'content-type': 'audio/pcm', 'content-length': bytes.length });
    res.end(bytes);
  });
  sluice = await startTestEngine({ providers: [{ id: 'up', type: 'openai-compatible', baseUrl: upstream, models: ['tts-test'] }] });
});
afterAll(async () => {
  await sluice.stop();
  await fake.stop();
});

const speak = (path: string, body: object) =>
  fetch(`${sluice.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('stream_format on speech', () => {
  it("'sse' is a 400 naming stream_format; the upstream is never called, nor blamed", async () => {
    const before = fake.calls('POST /v1/audio/speech').length;
    for (let i = 0; i < 6; i++) {
      const res = await speak('/v1/audio/speech', { model: 'tts-test', voice: 'alloy', input: `SSE status check ${i}`, response_format: 'pcm', stream_format: 'sse' });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { param: string; code: string; type: string; message: string } };
      expect(body.error).toMatchObject({ param: 'stream_format', code: 'unsupported_stream_format', type: 'invalid_request_error' });
      expect(body.error.message).toContain("'audio'");
    }
    const legacy = await speak('/tts/synthesize', { model: 'tts-test', text: 'Legacy too', stream_format: 'sse' });
    expect(legacy.status).toBe(400);
    expect(fake.calls('POST /v1/audio/speech').length).toBe(before);
    const breakers = (await (await sluice.admin('/admin/api/routing/breakers')).json()) as Array<{ state: string }>;
    expect(breakers.filter((b) => b.state !== 'closed')).toEqual([]);
    const logged = (await (await sluice.admin('/admin/api/requests?limit=1')).json()) as Array<{ status: number; costUsd: number; errorCode: string }>;
    expect(logged[0]).toMatchObject({ status: 400, costUsd: 0, errorCode: 'unsupported_stream_format' });
  });

  it("'audio' (the default) is answered as before, and shares its cache entry with a body that leaves it out", async () => {
    const res = await speak('/v1/audio/speech', { model: 'tts-test', voice: 'alloy', input: 'Plain audio', response_format: 'pcm', stream_format: 'audio' });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('AUDIO:Plain audio');
    const again = await speak('/v1/audio/speech', { model: 'tts-test', voice: 'alloy', input: 'Plain audio', response_format: 'pcm' });
    expect(again.headers.get('x-sluice-cache')).toBe('hit-memory');
    await again.arrayBuffer();
  });

  it('another value is a 400 listing the two', async () => {
    const res = await speak('/v1/audio/speech', { model: 'tts-test', voice: 'alloy', input: 'Odd', stream_format: 'chunks' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { param: string; message: string } };
    expect(body.error.param).toBe('stream_format');
    expect(body.error.message).toContain('audio, sse');
  });
});
