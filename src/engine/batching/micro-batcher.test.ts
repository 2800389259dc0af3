import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { MicroBatcher, type BatchSlice, type BlameVerdict } from './micro-batcher.ts';

/** An upstream we control: each call waits until the test resolves or rejects it. */
function fakeUpstream() {
  const calls: Array<{ inputs: string[]; signal: AbortSignal; resolve: () => void; reject: (e: unknown) => void }> = [];
  const send = (inputs: string[], signal: AbortSignal) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ inputs, signal, resolve: () => resolve(inputs.map((i) => `v(${i})`)), reject });
    });
  return { calls, send };
}

const split = (res: string[], slices: readonly BatchSlice[]) => slices.map((s) => res.slice(s.start, s.start + s.count));
const flush = () => new Promise((r) => setImmediate(r));

function make(over: Partial<ConstructorParameters<typeof MicroBatcher<string, string[], string[]>>[0]> = {}) {
  const clock = new ManualClock();
  const up = fakeUpstream();
  const b = new MicroBatcher<string, string[], string[]>({
    clock, maxBatchSize: 8, maxBatchTokens: 1000, maxWaitMs: 20, send: up.send, split, ...over,
  });
  return { clock, up, b };
}

class HttpLikeError extends Error {
  readonly status: number;
  readonly index: number | null;
  constructor(status: number, index: number | null) {
    super(`bad input ${index}`);
    this.status = status;
    this.index = index;
  }
}
const blame = (err: unknown): BlameVerdict => (err instanceof HttpLikeError && err.status === 400 ? (err.index ?? 'unknown') : null);

describe('MicroBatcher', () => {
  it('sends at once when nothing is in flight for the key (light traffic waits for nobody)', async () => {
    const { up, b, clock } = make();
    const p = b.submit('k', ['a']);
    await flush();
    expect(up.calls).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
    up.calls[0].resolve();
    await expect(p).resolves.toEqual({ result: ['v(a)'], batchSize: 1, batchInputs: 1 });
  });

  it('with gatherMs, a request that finds a free slot while another call is out waits for its batch-mates', async () => {
    const { up, b, clock } = make({ maxInFlight: 2, gatherMs: 2 });
    const first = b.submit('k', ['a']);
    await flush();
    expect(up.calls).toHaveLength(1); // nothing in flight: no gathering, however small the window
    const second = b.submit('k', ['b']);
    await flush();
    expect(up.calls).toHaveLength(1); // a slot is free, but a call is out: wait for mates
    clock.advance(1);
    const third = b.submit('k', ['c']);
    await flush();
    expect(up.calls).toHaveLength(1);
    clock.advance(1);
    await flush();
    expect(up.calls).toHaveLength(2);
    expect(up.calls[1].inputs).toEqual(['b', 'c']);
    up.calls[0].resolve();
    up.calls[1].resolve();
    await expect(first).resolves.toMatchObject({ batchSize: 1 });
    await expect(second).resolves.toEqual({ result: ['v(b)'], batchSize: 2, batchInputs: 2 });
    await expect(third).resolves.toEqual({ result: ['v(c)'], batchSize: 2, batchInputs: 2 });
  });

  it('gatherMs never holds a request longer than maxWaitMs, and a full batch goes at once', async () => {
    const { up, b, clock } = make({ maxInFlight: 2, gatherMs: 50, maxWaitMs: 5, maxBatchSize: 3 });
    void b.submit('k', ['a']);
    await flush();
    void b.submit('k', ['b']);
    await flush();
    clock.advance(5);
    await flush();
    expect(up.calls.map((c) => c.inputs)).toEqual([['a'], ['b']]);
    // both slots busy now; three inputs fill a batch, which goes without waiting for a slot
    void b.submit('k', ['c', 'd', 'e']);
    await flush();
    expect(up.calls.map((c) => c.inputs)).toEqual([['a'], ['b'], ['c', 'd', 'e']]);
  });

  it('gathers requests while a call is in flight and sends them together when the slot frees, in order', async () => {
    const { up, b } = make();
    const first = b.submit('k', ['a']);
    await flush();
    const rest = [b.submit('k', ['b']), b.submit('k', ['c', 'd']), b.submit('k', ['e'])];
    await flush();
    expect(up.calls).toHaveLength(1);
    up.calls[0].resolve();
    await first;
    await flush();
    expect(up.calls).toHaveLength(2);
    expect(up.calls[1].inputs).toEqual(['b', 'c', 'd', 'e']);
    up.calls[1].resolve();
    const outs = await Promise.all(rest);
    expect(outs.map((o) => o.result)).toEqual([['v(b)'], ['v(c)', 'v(d)'], ['v(e)']]);
    expect(outs.every((o) => o.batchSize === 3 && o.batchInputs === 4)).toBe(true);
  });

  it('flushes a gathering batch when the max wait passes even if the slot is still busy', async () => {
    const { up, b, clock } = make();
    void b.submit('k', ['a']);
    await flush();
    const late = b.submit('k', ['b']);
    await flush();
    clock.advance(19);
    expect(up.calls).toHaveLength(1);
    clock.advance(1);
    expect(up.calls).toHaveLength(2);
    expect(up.calls[1].inputs).toEqual(['b']);
    up.calls[1].resolve();
    await expect(late).resolves.toMatchObject({ result: ['v(b)'] });
  });

  it('sends a full batch at once and never exceeds the size bound (a caller is never split)', async () => {
    const { up, b } = make({ maxBatchSize: 4 });
    void b.submit('k', ['x']);
    await flush();
    for (const s of ['a', 'b', 'c']) void b.submit('k', [s]);
    await flush();
    expect(up.calls).toHaveLength(1);
    void b.submit('k', ['d', 'e']);
    await flush();
    // a+b+c+d+e = 5 > 4: the full batch a,b,c goes now; d,e waits.
    expect(up.calls).toHaveLength(2);
    expect(up.calls[1].inputs).toEqual(['a', 'b', 'c']);
    void b.submit('k', ['f', 'g', 'h', 'i', 'j', 'k']);
    await flush();
    expect(up.calls.map((c) => c.inputs.length)).toEqual([1, 3, 2, 6]);
  });

  it('bounds a batch by estimated tokens', async () => {
    const { up, b } = make({ maxBatchTokens: 10, estimateTokens: (s) => s.length });
    void b.submit('k', ['x']);
    await flush();
    void b.submit('k', ['aaaa']);
    void b.submit('k', ['bbbb']);
    await flush();
    expect(up.calls).toHaveLength(1);
    void b.submit('k', ['cccc']);
    await flush();
    expect(up.calls).toHaveLength(2);
    expect(up.calls[1].inputs).toEqual(['aaaa', 'bbbb']);
  });

  it('never mixes keys', async () => {
    const { up, b } = make();
    void b.submit('k1', ['a']);
    void b.submit('k2', ['b']);
    await flush();
    expect(up.calls.map((c) => c.inputs)).toEqual([['a'], ['b']]);
  });

  it('sends requests arriving together as one call, and lets maxInFlight calls per key go before gathering', async () => {
    const { up, b } = make({ maxInFlight: 2 });
    for (const s of ['a', 'b']) void b.submit('k', [s]);
    await flush();
    void b.submit('k', ['c']);
    await flush();
    for (const s of ['d', 'e']) void b.submit('k', [s]);
    await flush();
    expect(up.calls.map((c) => c.inputs)).toEqual([['a', 'b'], ['c']]);
    expect(b.stats()).toEqual([{ key: 'k', pending: 2, pendingInputs: 2, inFlight: 2 }]);
  });

  it('follows a live in-flight limit given as a function (e.g. the provider\'s adaptive limit)', async () => {
    let limit = 1;
    const { up, b } = make({ maxInFlight: () => limit });
    void b.submit('k', ['a']);
    await flush();
    void b.submit('k', ['b']);
    await flush();
    expect(up.calls).toHaveLength(1);
    limit = 2;
    void b.submit('k', ['c']);
    await flush();
    expect(up.calls.map((c) => c.inputs)).toEqual([['a'], ['b', 'c']]);
  });

  it('drops a cancelled request from a batch not yet sent, without hurting the others', async () => {
    const { up, b } = make();
    void b.submit('k', ['a']);
    await flush();
    const ac = new AbortController();
    const gone = b.submit('k', ['b'], { signal: ac.signal });
    const kept = b.submit('k', ['c']);
    ac.abort(new Error('client left'));
    await expect(gone).rejects.toThrow('client left');
    up.calls[0].resolve();
    await flush();
    expect(up.calls[1].inputs).toEqual(['c']);
    up.calls[1].resolve();
    await expect(kept).resolves.toMatchObject({ result: ['v(c)'], batchSize: 1 });
  });

  it('a cancelled caller of a sent batch is answered at once; the call is only aborted when all have gone', async () => {
    const { up, b } = make();
    void b.submit('k', ['x']);
    await flush();
    const ac1 = new AbortController();
    const ac2 = new AbortController();
    const p1 = b.submit('k', ['a'], { signal: ac1.signal });
    const p2 = b.submit('k', ['b'], { signal: ac2.signal });
    up.calls[0].resolve();
    await flush();
    const batch = up.calls[1];
    ac1.abort(new Error('gone 1'));
    await expect(p1).rejects.toThrow('gone 1');
    expect(batch.signal.aborted).toBe(false);
    ac2.abort(new Error('gone 2'));
    await expect(p2).rejects.toThrow('gone 2');
    expect(batch.signal.aborted).toBe(true);
  });

  it('retries apart when a 4xx names one input: only its owner gets the error', async () => {
    const { up, b } = make({ blame });
    void b.submit('k', ['x']);
    await flush();
    const ps = [b.submit('k', ['a']), b.submit('k', ['b', 'BAD']), b.submit('k', ['c'])];
    up.calls[0].resolve();
    await flush();
    up.calls[1].reject(new HttpLikeError(400, 2));
    await flush();
    const retries = up.calls.slice(2);
    expect(retries.map((c) => c.inputs)).toEqual([['b', 'BAD'], ['a', 'c']]);
    retries[0].reject(new HttpLikeError(400, 1));
    retries[1].resolve();
    const [a, bad, c] = await Promise.allSettled(ps);
    expect(a).toMatchObject({ status: 'fulfilled', value: { result: ['v(a)'], batchSize: 2 } });
    expect(c).toMatchObject({ status: 'fulfilled', value: { result: ['v(c)'] } });
    expect(bad).toMatchObject({ status: 'rejected', reason: { index: 1 } });
  });

  it('bisects when a 4xx does not say which input', async () => {
    const { up, b } = make({ blame });
    void b.submit('k', ['x']);
    await flush();
    const ps = ['a', 'b', 'c', 'BAD'].map((s) => b.submit('k', [s]));
    up.calls[0].resolve();
    await flush();
    const fail = (i: number) => up.calls[i].reject(new HttpLikeError(400, null));
    fail(1);
    await flush();
    expect(up.calls.slice(2).map((c) => c.inputs)).toEqual([['a', 'b'], ['c', 'BAD']]);
    up.calls[2].resolve();
    fail(3);
    await flush();
    expect(up.calls.slice(4).map((c) => c.inputs)).toEqual([['c'], ['BAD']]);
    up.calls[4].resolve();
    fail(5);
    const settled = await Promise.allSettled(ps);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
  });

  it('gives a network or 5xx failure to every caller of the batch, without retrying', async () => {
    const { up, b } = make({ blame });
    void b.submit('k', ['x']);
    await flush();
    const ps = [b.submit('k', ['a']), b.submit('k', ['b'])];
    up.calls[0].resolve();
    await flush();
    up.calls[1].reject(new HttpLikeError(503, null));
    const settled = await Promise.allSettled(ps);
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
    expect(up.calls).toHaveLength(2);
  });

  it('keeps sending the next batch after one fails', async () => {
    const { up, b } = make();
    const p = b.submit('k', ['a']);
    await flush();
    up.calls[0].reject(new Error('boom'));
    await expect(p).rejects.toThrow('boom');
    const q = b.submit('k', ['b']);
    await flush();
    expect(up.calls).toHaveLength(2);
    up.calls[1].resolve();
    await expect(q).resolves.toMatchObject({ result: ['v(b)'] });
    expect(b.stats()).toEqual([]);
  });

  it('refuses bad options precisely', () => {
    const clock = new ManualClock();
    const base = { clock, maxBatchSize: 8, maxBatchTokens: 10, maxWaitMs: 5, send: async () => [], split };
    expect(() => new MicroBatcher({ ...base, maxBatchSize: 0 })).toThrow(/maxBatchSize/);
    expect(() => new MicroBatcher({ ...base, maxWaitMs: -1 })).toThrow(/maxWaitMs/);
    expect(() => new MicroBatcher({ ...base, send: undefined as never })).toThrow(/send/);
  });
});
