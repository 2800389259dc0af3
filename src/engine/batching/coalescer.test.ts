import { describe, it, expect } from 'vitest';
import { Coalescer, type FlightResult } from './coalescer.ts';

/** A fake upstream stream the test drives chunk by chunk. */
class Pushable implements AsyncIterable<Uint8Array> {
  #queue: Array<Uint8Array | Error | null> = [];
  #wake: (() => void) | null = null;
  returned = false;
  push(s: string) { this.#queue.push(Buffer.from(s)); this.#wake?.(); }
  fail(e: Error) { this.#queue.push(e); this.#wake?.(); }
  end() { this.#queue.push(null); this.#wake?.(); }
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    try {
      for (;;) {
        while (this.#queue.length === 0) await new Promise<void>((r) => { this.#wake = r; });
        const next = this.#queue.shift()!;
        if (next === null) return;
        if (next instanceof Error) throw next;
        yield next;
      }
    } finally { this.returned = true; }
  }
}

const tick = () => new Promise((r) => setImmediate(r));
async function collect(it: AsyncIterable<Uint8Array>): Promise<string> {
  let s = '';
  for await (const c of it) s += Buffer.from(c).toString();
  return s;
}

describe('Coalescer', () => {
  it('makes one upstream call for 100 identical concurrent requests, all sharing the result', async () => {
    const c = new Coalescer<{ status: number; body: string }>();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const upstream = async (): Promise<FlightResult<{ status: number; body: string }>> => {
      calls++;
      await gate;
      return { head: { status: 200, body: 'answer' } };
    };
    const all = Array.from({ length: 100 }, () => c.run('k', undefined, upstream));
    await tick();
    release();
    const results = await Promise.all(all);
    expect(calls).toBe(1);
    expect(results.every((r) => r.head.body === 'answer')).toBe(true);
    expect(results.filter((r) => !r.coalesced)).toHaveLength(1);
    expect(c.inFlight).toBe(0);
    await c.run('k', undefined, upstream);
    expect(calls).toBe(2);
  });

  it('keeps different keys apart', async () => {
    const c = new Coalescer<string>();
    let calls = 0;
    const up = async (): Promise<FlightResult<string>> => ({ head: String(++calls) });
    const [a, b] = await Promise.all([c.run('a', undefined, up), c.run('b', undefined, up)]);
    expect([a.coalesced, b.coalesced]).toEqual([false, false]);
    expect(calls).toBe(2);
  });

  it('passes an upstream error to every waiter and releases the key', async () => {
    const c = new Coalescer<string>();
    let calls = 0;
    const up = async (): Promise<FlightResult<string>> => { calls++; await tick(); throw new Error('upstream 500'); };
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => c.run('k', undefined, up)));
    expect(results.every((r) => r.status === 'rejected' && (r.reason as Error).message === 'upstream 500')).toBe(true);
    expect(calls).toBe(1);
    expect(c.has('k')).toBe(false);
  });

  it('streams live chunks to followers, and a late joiner first gets what it missed', async () => {
    const c = new Coalescer<number>();
    const src = new Pushable();
    let calls = 0;
    const up = async (): Promise<FlightResult<number>> => { calls++; return { head: 200, stream: src }; };
    const leader = await c.run('k', undefined, up);
    const early = await c.run('k', undefined, up);
    const it = early.stream![Symbol.asyncIterator]();
    const leaderText = collect(leader.stream!);
    src.push('data: one\n\n');
    expect(Buffer.from((await it.next()).value).toString()).toBe('data: one\n\n');
    src.push('data: two\n\n');
    await tick();
    const late = await c.run('k', undefined, up);
    expect(late.coalesced).toBe(true);
    const lateText = collect(late.stream!);
    src.push('data: [DONE]\n\n');
    src.end();
    expect(await leaderText).toBe('data: one\n\ndata: two\n\ndata: [DONE]\n\n');
    expect(await lateText).toBe('data: one\n\ndata: two\n\ndata: [DONE]\n\n');
    let rest = '';
    for (let r = await it.next(); !r.done; r = await it.next()) rest += Buffer.from(r.value).toString();
    expect(rest).toBe('data: two\n\ndata: [DONE]\n\n');
    expect(calls).toBe(1);
    expect(c.inFlight).toBe(0);
  });

  it('keeps the upstream going for the others when the leader disconnects', async () => {
    const c = new Coalescer<number>();
    const src = new Pushable();
    let upstreamSignal!: AbortSignal;
    const up = async (signal: AbortSignal): Promise<FlightResult<number>> => { upstreamSignal = signal; return { head: 200, stream: src }; };
    const leaderAbort = new AbortController();
    const leader = await c.run('k', leaderAbort.signal, up);
    const follower = await c.run('k', undefined, up);
    const followerText = collect(follower.stream!);
    const leaderIt = leader.stream![Symbol.asyncIterator]();
    src.push('a');
    await leaderIt.next();
    leaderAbort.abort();
    await expect(leaderIt.next()).rejects.toBeDefined();
    src.push('b');
    src.end();
    expect(await followerText).toBe('ab');
    expect(upstreamSignal.aborted).toBe(false);
  });

  it('aborts the upstream once every waiter has gone', async () => {
    const c = new Coalescer<number>();
    const src = new Pushable();
    let upstreamSignal!: AbortSignal;
    const up = async (signal: AbortSignal): Promise<FlightResult<number>> => { upstreamSignal = signal; return { head: 200, stream: src }; };
    const a = new AbortController();
    const b = new AbortController();
    const ra = await c.run('k', a.signal, up);
    const rb = await c.run('k', b.signal, up);
    const ia = ra.stream![Symbol.asyncIterator]();
    const ib = rb.stream![Symbol.asyncIterator]();
    src.push('x');
    await ia.next();
    a.abort();
    await expect(ia.next()).rejects.toBeDefined();
    expect(upstreamSignal.aborted).toBe(false);
    await ib.return!();
    expect(upstreamSignal.aborted).toBe(true);
    expect(c.has('k')).toBe(false);
  });

  it('aborts a pending upstream call when every waiter gives up before it answers', async () => {
    const c = new Coalescer<string>();
    let upstreamSignal!: AbortSignal;
    const up = (signal: AbortSignal) => new Promise<FlightResult<string>>((_, reject) => {
      upstreamSignal = signal;
      signal.addEventListener('abort', () => reject(signal.reason));
    });
    const a = new AbortController();
    const b = new AbortController();
    const pa = c.run('k', a.signal, up);
    const pb = c.run('k', b.signal, up);
    await tick();
    a.abort();
    await expect(pa).rejects.toBeDefined();
    expect(upstreamSignal.aborted).toBe(false);
    b.abort();
    await expect(pb).rejects.toBeDefined();
    expect(upstreamSignal.aborted).toBe(true);
    expect(c.inFlight).toBe(0);
  });

  it('delivers chunks then the error to every stream subscriber when the upstream breaks', async () => {
    const c = new Coalescer<number>();
    const src = new Pushable();
    const up = async (): Promise<FlightResult<number>> => ({ head: 200, stream: src });
    const r1 = await c.run('k', undefined, up);
    const r2 = await c.run('k', undefined, up);
    const seen: string[] = [];
    const read = async (s: AsyncIterable<Uint8Array>) => { for await (const ch of s) seen.push(Buffer.from(ch).toString()); };
    const p1 = read(r1.stream!);
    const p2 = read(r2.stream!);
    src.push('part');
    src.fail(new Error('connection reset'));
    await expect(p1).rejects.toThrow('connection reset');
    await expect(p2).rejects.toThrow('connection reset');
    expect(seen).toEqual(['part', 'part']);
  });

  it('pauses the upstream while every reader is far behind (backpressure)', async () => {
    const c = new Coalescer<number>({ highWaterChunks: 2 });
    let produced = 0;
    async function* fast() { for (let i = 0; i < 50; i++) { produced++; yield Buffer.from(String(i % 10)); } }
    const r = await c.run('k', undefined, async () => ({ head: 200, stream: fast() }));
    for (let i = 0; i < 10; i++) await tick();
    expect(produced).toBeLessThan(6);
    const text = await collect(r.stream!);
    expect(text.length).toBe(50);
    expect(produced).toBe(50);
  });
});
