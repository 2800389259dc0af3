import { describe, expect, it } from 'vitest';
import { requestContext } from '../../../test/helpers/request-context.ts';
import { ManualClock } from '../clock.ts';
import type { ProxyResult, RequestContext } from './context.ts';
import { createRecordStage, type FinishedRequest } from './record-stage.ts';

function ctx(): RequestContext {
  return requestContext({ attempts: 1, served: { provider: 'p', model: 'm' } });
}

const answer = (): ProxyResult => ({
  status: 200, headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 } })),
});

describe('record stage', () => {
  it('records a complete answer once it has been sent, and only once, with the time the send took', async () => {
    const clock = new ManualClock();
    const finished: FinishedRequest[] = [];
    const handler = createRecordStage({ clock, onFinished: (d) => finished.push(d) })(async () => { clock.advance(40); return answer(); });
    const result = await handler(ctx());
    expect(finished).toHaveLength(0);
    clock.advance(2); // writing the answer
    result.afterSend!();
    result.afterSend!();
    expect(finished).toHaveLength(1);
    expect(finished[0].summary).toMatchObject({ status: 200, latencyMs: 42, firstByteMs: 40, promptTokens: 3, completionTokens: 5, provider: 'p' });
  });

  it('counts speech in characters whether the audio comes whole or sentence by sentence', async () => {
    const finished: FinishedRequest[] = [];
    const speech = () => requestContext({ endpoint: 'speech', served: { provider: 'p', model: 'tts' }, body: { model: 'tts', input: 'Hi. 你好。', voice: 'v' } });
    async function* sentences() { yield Buffer.from('RIFF'); yield Buffer.from('more'); }
    const streamed = await createRecordStage({ clock: new ManualClock(), onFinished: (d) => finished.push(d) })(
      async () => ({ status: 200, headers: { 'content-type': 'audio/wav' }, stream: sentences() }),
    )(speech());
    for await (const _chunk of streamed.stream!) { /* the client reads it */ }
    const whole = await createRecordStage({ clock: new ManualClock(), onFinished: (d) => finished.push(d) })(
      async () => ({ status: 200, headers: { 'content-type': 'audio/wav' }, body: Buffer.from('RIFF') }),
    )(speech());
    whole.afterSend!();
    expect(finished.map((f) => [f.summary.promptTokens, f.summary.completionTokens])).toEqual([[7, 0], [7, 0]]);
  });

  it('records a failure at once, since there is no answer to wait for', async () => {
    const finished: FinishedRequest[] = [];
    const handler = createRecordStage({ clock: new ManualClock(), onFinished: (d) => finished.push(d) })(async () => { throw new Error('boom'); });
    await expect(handler(ctx())).rejects.toThrow('boom');
    expect(finished).toHaveLength(1);
    expect(finished[0].summary.status).toBe(500);
  });
});
