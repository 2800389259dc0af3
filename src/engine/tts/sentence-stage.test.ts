// The sentence stage with a fake inner pipeline: which requests it splits, how it answers.
import { requestContext } from '../../../test/helpers/request-context.ts';
import { describe, it, expect } from 'vitest';
import type { Handler, ProxyResult, RequestContext } from '../pipeline/context.ts';
import { createSentenceStage, markSentenceCalls, summariseSentences } from './sentence-stage.ts';
import { systemClock } from '../clock.ts';
import { synthesizeSimulatedWav } from './simulated-wav.ts';
import { parseWav } from './wav.ts';

function ctxOf(body: Record<string, unknown>, endpoint: 'speech' | 'chat' = 'speech'): RequestContext {
  return requestContext({ endpoint, path: '/v1/audio/speech', body, client: 'test', requestedModel: String(body.model) });
}

const cfg = { enabled: true, concurrency: 2, maxSentenceChars: 300 };
const wav = (text: string) => synthesizeSimulatedWav(text, { sampleRate: 8000, speed: 1 });

/** An inner pipeline where sentences listed in `cached` are hits and the others take a few ms. */
function innerWith(cached: Set<string>, seen: RequestContext[] = []): Handler {
  return async (sub): Promise<ProxyResult> => {
    seen.push(sub);
    const text = String(sub.body.input);
    sub.served = { provider: 'p', model: 'm' };
    if (!cached.has(text)) {
      // as the pipeline does: a sentence going upstream passes the 'batch' slot
      return markSentenceCalls(systemClock)(async () => {
        await new Promise((r) => setTimeout(r, 5));
        return { status: 200, headers: { 'content-type': 'audio/wav' }, body: wav(text) };
      })(sub);
    }
    sub.cacheResult = 'hit-memory';
    return { status: 200, headers: { 'content-type': 'audio/wav', age: String(text.length) }, body: wav(text) };
  };
}

async function drain(r: ProxyResult): Promise<Buffer> {
  if (r.body) return r.body;
  const parts: Uint8Array[] = [];
  for await (const c of r.stream!) parts.push(c);
  return Buffer.concat(parts);
}

const passThrough: Handler = async () => ({ status: 200, headers: { 'content-type': 'audio/wav' }, body: Buffer.from('whole') });

describe('sentence stage', () => {
  it('leaves one-sentence text, other formats, other endpoints and a disabled mode to the next stage', async () => {
    const make = (enabled = true) => createSentenceStage({ config: () => ({ ...cfg, enabled }), inner: () => innerWith(new Set()) })(passThrough);
    const two = 'One. Two.';
    for (const [ctx, enabled] of [
      [ctxOf({ model: 'm', voice: 'v', input: 'Just one', response_format: 'wav' }), true],
      [ctxOf({ model: 'm', voice: 'v', input: two, response_format: 'opus' }), true],
      [ctxOf({ model: 'm', messages: [] }, 'chat'), true],
      [ctxOf({ model: 'm', voice: 'v', input: two, response_format: 'wav' }), false],
    ] as const) {
      expect((await make(enabled)(ctx)).body?.toString()).toBe('whole');
    }
  });

  it('streams a reply with misses, each sentence with its own context, and reports the hits', async () => {
    const seen: RequestContext[] = [];
    const stage = createSentenceStage({ config: () => cfg, inner: () => innerWith(new Set(['Hello there.']), seen) });
    const ctx = ctxOf({ model: 'm', voice: 'v', input: 'Hello there. How are you? Fine.', response_format: 'wav' });
    const r = await stage(passThrough)(ctx);
    expect(r.stream).toBeDefined();
    expect(r.headers).toMatchObject({ 'x-sluice-sentences': '3', 'x-sluice-sentence-hits': '1', 'content-type': 'audio/wav' });
    expect(r.headers.age).toBeUndefined(); // not all of it is from the cache
    expect(ctx.cacheResult).toBe('miss');
    expect(seen.map((s) => s.body.input)).toEqual(['Hello there.', 'How are you?', 'Fine.']);
    expect(new Set(seen.map((s) => s.trace)).size).toBe(3);
    const audio = await drain(r);
    const info = parseWav(audio);
    expect(info.dataLength).toBe(['Hello there.', 'How are you?', 'Fine.'].reduce((n, s) => n + parseWav(wav(s)).dataLength, 0));
  });

  it('answers an all-hit reply as one complete body with exact sizes', async () => {
    const stage = createSentenceStage({ config: () => cfg, inner: () => innerWith(new Set(['A b c.', 'D e f g.'])) });
    const ctx = ctxOf({ model: 'm', voice: 'v', input: 'A b c. D e f g.', response_format: 'wav' });
    const r = await stage(passThrough)(ctx);
    expect(r.body).toBeDefined();
    expect(ctx.cacheResult).toBe('hit-memory');
    expect(parseWav(r.body!).sizeUnknown).toBe(false);
    expect(r.headers.age).toBe('8'); // the oldest sentence's age ('D e f g.' is 8 here)
  });

  it('fails the request when a sentence fails before any audio', async () => {
    const stage = createSentenceStage({
      config: () => cfg,
      inner: () => async (sub) => { if (String(sub.body.input).startsWith('Bad')) throw new Error('no voice'); return innerWith(new Set())(sub); },
    });
    await expect(stage(passThrough)(ctxOf({ model: 'm', voice: 'v', input: 'Bad one. Good one.', response_format: 'wav' }))).rejects.toThrow('no voice');
  });

  it('speaks the text whole when a sentence is not in the format asked for before any audio went out, counting what was paid', async () => {
    const inner: Handler = async (sub) => {
      sub.served = { provider: 'p', model: 'm' };
      return markSentenceCalls(systemClock)(async (c) => {
        // the second sentence is still on its way when the first tells: it is stopped, never answered
        if (String(c.body.input).startsWith('Slow')) await new Promise((_, reject) => c.signal.addEventListener('abort', () => reject(c.signal.reason)));
        return { status: 200, headers: { 'content-type': 'audio/wav' }, body: wav(String(c.body.input)) };
      })(sub);
    };
    const stage = createSentenceStage({ config: () => cfg, inner: () => inner });
    const input = 'Fast one. Slow two.';
    const ctx = ctxOf({ model: 'm', voice: 'v', input, response_format: 'mp3' });
    const r = await stage(passThrough)(ctx);
    expect(r.body?.toString()).toBe('whole');
    expect(r.headers['x-sluice-sentences']).toBeUndefined();
    expect(ctx.trace.at(-1)).toMatchObject({
      stage: 'speech', message: 'sentence mode: sentence 1 is not MP3 audio (it is a RIFF/WAVE file); the text is spoken whole instead',
      say: { id: 'speech.spokenWhole', vars: { reason: 'sentence 1 is not MP3 audio (it is a RIFF/WAVE file)' } },
    });
    // the first sentence's call was answered, so paid for; the whole text's call too
    expect(ctx.usage?.prompt_tokens).toBe('Fast one.'.length + input.length);
    expect(ctx.cacheResult).toBe('miss');
  });

  it('summarises sentence results for x-sluice-cache', () => {
    const s = summariseSentences;
    expect(s(['hit-memory', 'hit-memory'])).toBe('hit-memory');
    expect(s(['hit-memory', 'hit-disk'])).toBe('hit-disk');
    expect(s(['hit-memory', 'miss'])).toBe('miss');
    expect(s(['coalesced', 'miss'])).toBe('miss');
    expect(s(['bypass', 'bypass'])).toBe('bypass');
    expect(s(['coalesced', 'coalesced'])).toBe('coalesced');
    expect(s(['hit-memory', 'coalesced'])).toBe('coalesced');
    expect(s(['stale', 'hit-memory'])).toBe('stale');
  });
});
