// Body logging (Settings → "log bodies", `log.bodies`): off by default; when on, the request log keeps
// what the client sent and what it was answered, streams included, audio described rather than copied.
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestDetail } from '../src/shared/admin/core-routes.ts';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let sluice: TestEngine | null = null;
afterEach(async () => { await sluice?.stop(); sluice = null; });

/** Send a request and return its log detail once the engine has recorded it (streams finish after the last byte). */
async function sendAndRead(s: TestEngine, path: string, body: object): Promise<{ bytes: Buffer; detail: RequestDetail }> {
  const finished = new Set<string>();
  const off = s.engine.events.subscribe((e) => { if (e.type === 'request') finished.add(e.request.id); });
  try {
    const res = await fetch(s.url + path, { method: 'POST', headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) });
    const bytes = Buffer.from(await res.arrayBuffer());
    const id = res.headers.get('x-request-id')!;
    for (let i = 0; i < 400 && !finished.has(id); i++) await new Promise((r) => setTimeout(r, 5));
    const detail = (await (await s.admin(`/admin/api/requests/${id}`)).json()) as RequestDetail;
    return { bytes, detail };
  } finally {
    off();
  }
}

const chat = (stream: boolean) => ({ model: 'sim-chat', stream, messages: [{ role: 'user', content: `log my body (${stream})` }] });

describe('request and response bodies in the request log', () => {
  it('are not kept by default', async () => {
    sluice = await startTestEngine({ providers: [fastSimulator] });
    const { detail } = await sendAndRead(sluice, '/v1/chat/completions', chat(false));
    expect(detail.detail.requestBody).toBeUndefined();
    expect(detail.detail.responseBody).toBeUndefined();
  });

  it('are kept when body logging is on: plain and streamed answers as sent, audio described', async () => {
    sluice = await startTestEngine({ providers: [fastSimulator], config: { log: { bodies: true } } });
    const plain = await sendAndRead(sluice, '/v1/chat/completions', chat(false));
    expect(JSON.parse(plain.detail.detail.requestBody!)).toMatchObject({ model: 'sim-chat', messages: [{ content: 'log my body (false)' }] });
    expect(plain.detail.detail.responseBody).toBe(plain.bytes.toString('utf8'));

    const streamed = await sendAndRead(sluice, '/v1/chat/completions', chat(true));
    expect(streamed.detail.detail.responseBody).toBe(streamed.bytes.toString('utf8'));
    expect(streamed.detail.detail.responseBody).toContain('data: [DONE]');

    const audio = await sendAndRead(sluice, '/v1/audio/speech', { model: 'sim-tts', voice: 'alloy', input: 'Hello.', response_format: 'wav' });
    expect(audio.detail.detail.responseBody).toBe(`[audio/wav: ${audio.bytes.length} bytes]`);
  });

  it('keep an error as the client got it', async () => {
    sluice = await startTestEngine({
      providers: [{ ...fastSimulator, options: { ...fastSimulator.options, failureRate: 1 } }],
      config: { log: { bodies: true }, routing: { retry: { attemptsPerTarget: 1, maxAttempts: 1 } } },
    });
    const failed = await sendAndRead(sluice, '/v1/chat/completions', chat(false));
    expect(JSON.parse(failed.bytes.toString('utf8')).error.code).toBe('upstream_http');
    expect(failed.detail.detail.responseBody).toBe(failed.bytes.toString('utf8'));
  });
});
