import { describe, expect, it } from 'vitest';
import { ChatStreamEnd } from './chat-stream-end.ts';

const chunk = (delta: object, finish: string | null = null, index = 0) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index, delta, finish_reason: finish }] })}\n\n`;

function watched(text: string, opts: { n?: number; pieceBytes?: number } = {}): ChatStreamEnd {
  const end = new ChatStreamEnd(opts.n);
  const bytes = Buffer.from(text);
  const step = opts.pieceBytes ?? bytes.length;
  for (let i = 0; i < bytes.length; i += step) end.observe(bytes.subarray(i, i + step));
  end.end();
  return end;
}

const watch = (text: string, opts: { n?: number; pieceBytes?: number } = {}): boolean => watched(text, opts).complete;

const answer = chunk({ role: 'assistant', content: '' }) + chunk({ content: 'Hello' }) + chunk({ content: ' there' });

describe('ChatStreamEnd', () => {
  it('a stream with a finish_reason and [DONE] is complete, however its bytes are split', () => {
    const whole = answer + chunk({}, 'stop') + 'data: [DONE]\n\n';
    for (const pieceBytes of [1, 3, 7, 64, 10_000]) expect(watch(whole, { pieceBytes })).toBe(true);
  });

  it('a finish_reason without [DONE] is complete (servers that never send it)', () => {
    expect(watch(answer + chunk({}, 'length'))).toBe(true);
  });

  it('reads a finish_reason written with spaces around its colon, as some servers write JSON', () => {
    const spaced = 'data: {"choices": [{"index": 0, "delta": {}, "finish_reason" : "length"}]}\n\n';
    expect(watch(answer + spaced)).toBe(true);
    expect(watch(answer + spaced, { pieceBytes: 5 })).toBe(true);
    expect(watch(answer + 'data: {"choices": [{"index": 0, "delta": {}, "finish_reason": null}]}\n\n')).toBe(false);
  });

  it('[DONE] counts only on a line of its own, not inside an answer that quotes it', () => {
    expect(watch(answer + 'data: {"choices":[{"index":0,"delta":{"content":"say data: [DONE] now"},"finish_reason":null}]}\n\n')).toBe(false);
    expect(watch(answer + 'data:[DONE]\r\n\r\n')).toBe(true);
    expect(watch(answer + 'data:  [DONE] \n\n', { pieceBytes: 4 })).toBe(true);
    expect(watch(answer + 'data: [DONE]', { pieceBytes: 3 })).toBe(true); // no line break at the very end
  });

  it('[DONE] alone is complete: the upstream said it is over', () => {
    expect(watch(`${answer}data: [DONE]\n\n`)).toBe(true);
    expect(watch(`${answer}data:[DONE]`)).toBe(true);
  });

  it('a stream that stops with neither is not complete, byte by byte too', () => {
    expect(watch(answer)).toBe(false);
    expect(watch(answer, { pieceBytes: 1 })).toBe(false);
    expect(watch('')).toBe(false);
  });

  it('finish_reason null, or the words finish_reason in the answer\'s text, do not end it', () => {
    expect(watch(answer + chunk({ content: 'the field "finish_reason":"stop" ends a choice' }))).toBe(false);
    expect(watch(answer + chunk({}, null))).toBe(false);
  });

  it('with n choices, each needs its finish_reason', () => {
    const two = chunk({ content: 'a' }, null, 0) + chunk({ content: 'b' }, null, 1) + chunk({}, 'stop', 0);
    expect(watch(two, { n: 2 })).toBe(false);
    expect(watch(two + chunk({}, 'stop', 1), { n: 2 })).toBe(true);
  });

  it('an error event the upstream sent ends it: the client has been told', () => {
    expect(watch(`${answer}data: {"error":{"message":"overloaded","type":"server_error","code":null}}\n\n`)).toBe(true);
  });

  it('keeps what the error event said, even when [DONE] follows it in the same bytes, split anywhere', () => {
    const text = `${answer}data: {"error":{"message":"overloaded","type":"server_error","code":"overloaded"}}\n\ndata: [DONE]\n\n`;
    for (const pieceBytes of [undefined, 7, 1]) {
      expect(watched(text, { pieceBytes }).failure).toEqual({ message: 'overloaded', type: 'server_error', code: 'overloaded' });
    }
  });

  it('reads an `event: error` line with its data, and an error given as a bare string', () => {
    expect(watched(`${answer}event: error\ndata: {"message":"model crashed","type":"internal"}\n\n`).failure)
      .toEqual({ message: 'model crashed', type: 'internal', code: null });
    expect(watched(`${answer}event: error\ndata: model crashed\n\n`).failure).toEqual({ message: 'model crashed', type: null, code: null });
    expect(watched(`${answer}data: {"error":"model crashed"}\n\n`).failure).toEqual({ message: 'model crashed', type: null, code: null });
  });

  it('an answer that talks about "error" is no error event', () => {
    const end = watched(chunk({ content: 'the "error" key, and event: error' }) + chunk({}, 'stop') + 'data: [DONE]\n\n');
    expect(end.failure).toBeNull();
    expect(end.complete).toBe(true);
  });
});
