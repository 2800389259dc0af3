import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EmbeddingsRequest, EmbeddingsResponse } from '../../shared/openai.ts';
import type { Target } from '../../shared/targets.ts';
import { ManualClock } from '../clock.ts';
import { UpstreamHttpError, UpstreamProtocolError, UpstreamUnreachableError } from '../errors.ts';
import {
  apportion, blameEmbeddingInput, embeddingInputs, embeddingsBatchKey, EmbeddingsBatcher, splitEmbeddingsResponse,
} from './embeddings-batching.ts';

const target: Target = { provider: 'p', model: 'embed-1' };
const flush = () => new Promise((r) => setImmediate(r));

/** A vector that identifies its text, so a test can tell whose vector a caller got. */
const vec = (s: string | number[]) => [String(s).length, String(s).charCodeAt(0) || 0];

/** A fake upstream that answers in shuffled order (as some servers do) and counts one token per character. */
function upstream(opts: { failWhen?: (inputs: Array<string | number[]>) => Error | null; hold?: boolean | 'first' } = {}) {
  const requests: EmbeddingsRequest[] = [];
  const waiting: Array<() => void> = [];
  const call = async (_t: Target, req: EmbeddingsRequest, _signal: AbortSignal): Promise<EmbeddingsResponse> => {
    requests.push(req);
    if (opts.hold === true || (opts.hold === 'first' && requests.length === 1)) await new Promise<void>((r) => waiting.push(r));
    const inputs = req.input as Array<string | number[]>;
    const err = opts.failWhen?.(inputs);
    if (err) throw err;
    const tokens = inputs.reduce((a, s) => a + String(s).length, 0);
    const data = inputs.map((s, index) => ({ object: 'embedding' as const, index, embedding: vec(s) })).reverse();
    return { object: 'list', data, model: 'embed-1-v2', usage: { prompt_tokens: tokens, total_tokens: tokens } };
  };
  return { requests, call, release: () => waiting.splice(0).forEach((r) => r()) };
}

function batcher(up: ReturnType<typeof upstream>) {
  return new EmbeddingsBatcher({ clock: new ManualClock(), maxBatchSize: 64, maxBatchTokens: 10_000, maxWaitMs: 10, call: up.call });
}

const req = (input: EmbeddingsRequest['input'], extra: Partial<EmbeddingsRequest> = {}): EmbeddingsRequest => ({ model: 'embed', input, ...extra });

describe('embeddings batching', () => {
  it('gives each caller exactly its own vectors, indexed from 0, and a share of usage summing to the total', async () => {
    const up = upstream({ hold: true });
    const b = batcher(up);
    const first = b.submit({ target, tenant: 't', request: req('warm-up') });
    await flush();
    const a = b.submit({ target, tenant: 't', request: req(['aa', 'bbbbbb']) });
    const c = b.submit({ target, tenant: 't', request: req('cccc') });
    await flush();
    up.release();
    await first;
    await flush();
    expect(up.requests[1].input).toEqual(['aa', 'bbbbbb', 'cccc']);
    expect(up.requests[1].model).toBe('embed-1');
    up.release();
    const [ra, rc] = await Promise.all([a, c]);
    expect(ra.response.data).toEqual([
      { object: 'embedding', index: 0, embedding: vec('aa') },
      { object: 'embedding', index: 1, embedding: vec('bbbbbb') },
    ]);
    expect(rc.response.data).toEqual([{ object: 'embedding', index: 0, embedding: vec('cccc') }]);
    expect(ra.response.model).toBe('embed-1-v2');
    expect(ra.response.usage.prompt_tokens + rc.response.usage.prompt_tokens).toBe(12);
    expect(ra.response.usage.total_tokens + rc.response.usage.total_tokens).toBe(12);
    expect(ra.response.usage.prompt_tokens).toBeGreaterThan(rc.response.usage.prompt_tokens);
    expect([ra.batchSize, rc.batchSize]).toEqual([2, 2]);
  });

  it('only the caller with the bad input gets the 400; its batch-mates get their vectors', async () => {
    const bad = (inputs: Array<string | number[]>) => {
      const i = inputs.indexOf('');
      return i < 0 ? null : new UpstreamHttpError('p', 400, JSON.stringify({ error: { message: `'$.input[${i}]' is invalid`, param: `input[${i}]` } }));
    };
    const up = upstream({ failWhen: bad, hold: 'first' });
    const b = batcher(up);
    // One call in flight, so the next three gather into one batch.
    const w = b.submit({ target, tenant: '', request: req('w') });
    await flush();
    const ps = [req(['ok1']), req(['x', '']), req('ok2')].map((r) => b.submit({ target, tenant: '', request: r }));
    up.release();
    await w;
    const [ok1, badOne, ok2] = await Promise.allSettled(ps);
    expect(ok1).toMatchObject({ status: 'fulfilled', value: { response: { data: [{ index: 0, embedding: vec('ok1') }] } } });
    expect(ok2).toMatchObject({ status: 'fulfilled', value: { response: { data: [{ index: 0, embedding: vec('ok2') }] } } });
    expect(badOne.status).toBe('rejected');
    const reason = (badOne as PromiseRejectedResult).reason as UpstreamHttpError;
    expect(reason.status).toBe(400);
    // Its error was produced by a call with only its own inputs, so `input[1]` points into its own request.
    expect(reason.message).toContain('input[1]');
    expect(up.requests.map((r) => r.input)).toEqual([['w'], ['ok1', 'x', '', 'ok2'], ['x', ''], ['ok1', 'ok2']]);
  });

  it('network failures of a batch go to every caller', async () => {
    const up = upstream({ hold: true, failWhen: (i) => (i.length > 1 ? new UpstreamUnreachableError('p', 'ECONNRESET') : null) });
    const b = batcher(up);
    const w = b.submit({ target, tenant: '', request: req('w') });
    await flush();
    const ps = [b.submit({ target, tenant: '', request: req('a') }), b.submit({ target, tenant: '', request: req('b') })];
    await flush();
    up.release();
    await w;
    await flush();
    up.release();
    const settled = await Promise.allSettled(ps);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(up.requests).toHaveLength(2);
  });

  it('an upstream answer with the wrong number of vectors is a protocol error, not a wrong answer', async () => {
    const b = new EmbeddingsBatcher({
      clock: new ManualClock(), maxBatchSize: 8, maxBatchTokens: 100, maxWaitMs: 1,
      call: async () => ({ object: 'list', data: [], model: 'm', usage: { prompt_tokens: 0, total_tokens: 0 } }),
    });
    await expect(b.submit({ target, tenant: '', request: req('a') })).rejects.toBeInstanceOf(UpstreamProtocolError);
  });

  it('batches only requests that agree on target, encoding_format, dimensions, tenant and other parameters', () => {
    const k = (r: EmbeddingsRequest, t = target, tenant = 'x') => embeddingsBatchKey(t, r, tenant);
    expect(k(req('a'))).toBe(k(req(['b', 'c'])));
    expect(k(req('a'))).toBe(k(req('a', { encoding_format: 'float' })));
    expect(k(req('a'))).not.toBe(k(req('a', { encoding_format: 'base64' })));
    expect(k(req('a'))).not.toBe(k(req('a', { dimensions: 256 })));
    expect(k(req('a'))).not.toBe(k(req('a'), target, 'y'));
    expect(k(req('a'))).not.toBe(k(req('a'), { provider: 'p', model: 'other' }));
    expect(k(req('a'))).not.toBe(k(req('a', { user: 'u1' })));
    // token arrays never share a call with text; a token array and a list of them may
    expect(k(req([1, 2]))).toBe(k(req([[3], [4, 5]])));
    expect(k(req([1, 2]))).not.toBe(k(req('a')));
    expect(k(req([[1, 2]]))).not.toBe(k(req(['a'])));
  });

  it('sends token arrays and text in separate upstream calls, so a strict upstream never sees a mix', async () => {
    // OpenAI's schema takes strings or token arrays, not both in one `input`: refuse a mix with a 400
    // as a strict upstream does (the batch would then be split, costing extra calls).
    const mixed = (inputs: Array<string | number[]>) =>
      inputs.some((i) => typeof i === 'string') && inputs.some((i) => Array.isArray(i)) ? new UpstreamHttpError('p', 400, '{"error":{"message":"mixed input"}}') : null;
    const up = upstream({ failWhen: mixed, hold: 'first' });
    const b = batcher(up);
    const w = b.submit({ target, tenant: '', request: req('warm') });
    await flush();
    const ps = [req([[1, 2], [3, 4]]), req('tok mix str'), req(['x1', 'x2']), req([5, 6, 7])].map((r) => b.submit({ target, tenant: '', request: r }));
    await flush();
    up.release();
    await w;
    const out = await Promise.all(ps);
    expect(out[0].response.data.map((d) => d.embedding)).toEqual([vec([1, 2]), vec([3, 4])]);
    expect(out[1].response.data.map((d) => d.embedding)).toEqual([vec('tok mix str')]);
    expect(out[3].response.data.map((d) => d.embedding)).toEqual([vec([5, 6, 7])]);
    const inputs = up.requests.map((r) => r.input as Array<string | number[]>);
    expect(inputs.filter((i) => mixed(i))).toEqual([]);
    // the warm-up, then one call per kind: 3 calls for 5 requests, none refused
    expect(inputs).toEqual([['warm'], [[1, 2], [3, 4], [5, 6, 7]], ['tok mix str', 'x1', 'x2']]);
  });

  it('refuses an empty input with a 400 naming the parameter, without calling upstream', async () => {
    const up = upstream();
    const err = await batcher(up).submit({ target, tenant: '', request: req([]) }).catch((e) => e);
    expect(err).toMatchObject({ status: 400, param: 'input' });
    expect(up.requests).toHaveLength(0);
  });

  it('reads every form of input', () => {
    expect(embeddingInputs('a')).toEqual(['a']);
    expect(embeddingInputs(['a', 'b'])).toEqual(['a', 'b']);
    expect(embeddingInputs([1, 2, 3])).toEqual([[1, 2, 3]]);
    expect(embeddingInputs([[1], [2, 3]])).toEqual([[1], [2, 3]]);
  });

  it('blames one input only for 400-class errors', () => {
    const e400 = new UpstreamHttpError('p', 400, JSON.stringify({ error: { message: 'bad', param: 'input[3]' } }));
    expect(blameEmbeddingInput(e400, 5)).toBe(3);
    expect(blameEmbeddingInput(new UpstreamHttpError('p', 400, 'nope'), 5)).toBe('unknown');
    expect(blameEmbeddingInput(new UpstreamHttpError('p', 400, 'input[9] bad'), 5)).toBe('unknown');
    expect(blameEmbeddingInput(new UpstreamHttpError('p', 429, 'slow down'), 5)).toBeNull();
    expect(blameEmbeddingInput(new UpstreamHttpError('p', 500, 'input[1]'), 5)).toBeNull();
    expect(blameEmbeddingInput(new UpstreamHttpError('p', 401, 'bad key'), 5)).toBeNull();
    expect(blameEmbeddingInput(new Error('socket'), 5)).toBeNull();
  });

  it('splitting returns each caller the vectors for its inputs and usage that sums to the upstream total (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 0, max: 100_000 }),
      (counts, totalTokens) => {
        const slices = [];
        let start = 0;
        for (const [i, count] of counts.entries()) { slices.push({ start, count, tokens: count * (i + 1) }); start += count; }
        const data = Array.from({ length: start }, (_, index) => ({ object: 'embedding' as const, index, embedding: [index] }));
        const res: EmbeddingsResponse = { object: 'list', data: [...data].reverse(), model: 'm', usage: { prompt_tokens: totalTokens, total_tokens: totalTokens } };
        const parts = splitEmbeddingsResponse(res, slices);
        expect(parts.flatMap((p) => p.data.map((d) => d.embedding[0]))).toEqual(data.map((d) => d.index));
        for (const p of parts) expect(p.data.map((d) => d.index)).toEqual(p.data.map((_, j) => j));
        expect(parts.reduce((a, p) => a + p.usage.prompt_tokens, 0)).toBe(totalTokens);
        expect(parts.reduce((a, p) => a + p.usage.total_tokens, 0)).toBe(totalTokens);
      },
    ));
  });

  it('apportions proportionally', () => {
    expect(apportion(10, [1, 1])).toEqual([5, 5]);
    expect(apportion(10, [1, 2, 2])).toEqual([2, 4, 4]);
    expect(apportion(7, [0, 0])).toEqual([4, 3]);
  });
});
