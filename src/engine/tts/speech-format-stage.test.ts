// The format a speech request that named none is answered in: the target's choice, said in a header.
import { describe, expect, it } from 'vitest';
import { requestContext } from '../../../test/helpers/request-context.ts';
import type { Handler, RequestContext } from '../pipeline/context.ts';
import { createSpeechFormatStage, defaultSpeechFormat, RESPONSE_FORMAT_HEADER } from './speech-format-stage.ts';

const FORMATS: Record<string, readonly string[] | undefined> = { sim: ['wav', 'pcm'], espeak: ['wav', 'pcm', 'mp3', 'opus'], edge: ['opus'], openai: undefined };

function run(body: Record<string, unknown>, provider: string, endpoint: 'speech' | 'chat' = 'speech') {
  const seen: RequestContext[] = [];
  const inner: Handler = async (ctx) => { seen.push(ctx); return { status: 200, headers: { 'content-type': 'audio/wav' }, body: Buffer.from('audio') }; };
  const stage = createSpeechFormatStage({ formatsOf: (t) => FORMATS[t.provider] })(inner);
  const ctx = requestContext({ endpoint, path: '/v1/audio/speech', body, targets: [{ provider, model: 'm' }] });
  return stage(ctx).then((result) => ({ result, sent: seen[0].body, trace: ctx.trace }));
}

describe('speech format stage', () => {
  it('answers a request that named no format in mp3 where the target makes it, else wav, and says which', async () => {
    const sim = await run({ model: 'm', input: 'hi', voice: 'alloy' }, 'sim');
    expect(sim.sent.response_format).toBe('wav');
    expect(sim.result.headers[RESPONSE_FORMAT_HEADER]).toBe('wav');
    expect(sim.result.headers['content-type']).toBe('audio/wav');
    expect(sim.trace.at(-1)).toMatchObject({ stage: 'speech', say: { id: 'speech.defaultFormat', vars: { provider: 'sim', format: 'wav' } } });
    for (const provider of ['espeak', 'openai']) {
      const r = await run({ model: 'm', input: 'hi', voice: 'alloy' }, provider);
      expect(r.sent.response_format).toBe('mp3');
      expect(r.result.headers[RESPONSE_FORMAT_HEADER]).toBe('mp3');
      expect(r.trace).toEqual([]);
    }
    expect((await run({ model: 'm', input: 'hi', voice: 'alloy' }, 'edge')).sent.response_format).toBe('opus');
  });

  it('leaves a format the client named, and other endpoints, alone', async () => {
    const named = await run({ model: 'm', input: 'hi', voice: 'alloy', response_format: 'mp3' }, 'sim');
    expect(named.sent.response_format).toBe('mp3');
    expect(named.result.headers[RESPONSE_FORMAT_HEADER]).toBeUndefined();
    const chat = await run({ model: 'm', messages: [] }, 'sim', 'chat');
    expect(chat.sent.response_format).toBeUndefined();
    expect(chat.result.headers[RESPONSE_FORMAT_HEADER]).toBeUndefined();
  });

  it('defaultSpeechFormat prefers mp3, then wav, then the first of OpenAI\'s formats the target lists', () => {
    expect(defaultSpeechFormat(undefined)).toBe('mp3');
    expect(defaultSpeechFormat(['pcm', 'wav'])).toBe('wav');
    expect(defaultSpeechFormat(['pcm', 'flac'])).toBe('flac');
    expect(defaultSpeechFormat([])).toBe('mp3');
  });
});
