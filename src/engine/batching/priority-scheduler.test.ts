import { describe, expect, it } from 'vitest';
import type { Priority } from '../../shared/targets.ts';
import { ManualClock } from '../clock.ts';
import { QueueTimeoutError, SluiceError } from '../errors.ts';
import type { LimiterSample } from './adaptive-limiter.ts';
import { PriorityScheduler, type Release } from './priority-scheduler.ts';

const flush = () => new Promise((r) => setImmediate(r));

function make(limit = 1, over: Partial<ConstructorParameters<typeof PriorityScheduler>[0]> = {}) {
  const clock = new ManualClock();
  let current = limit;
  const samples: Array<[string, LimiterSample]> = [];
  const s = new PriorityScheduler({
    clock, limit: () => current, queueTimeoutMs: 5_000, agingMs: 1_000,
    onRelease: (p, sample) => samples.push([p, sample]), ...over,
  });
  return { clock, s, samples, setLimit: (n: number) => { current = n; } };
}

/** Queue a request and record the order in which requests get their slot. */
function track(s: PriorityScheduler, order: string[], name: string, priority: Priority, signal?: AbortSignal) {
  const p = s.acquire('p', priority, signal);
  p.then(() => order.push(name), () => {});
  return p;
}

describe('PriorityScheduler', () => {
  it('admits at once below the limit and queues beyond it', async () => {
    const { s } = make(2);
    await s.acquire('p');
    await s.acquire('p');
    void s.acquire('p', 'low');
    expect(s.stats()).toEqual([{ provider: 'p', inFlight: 2, limit: 2, queued: { high: 0, normal: 0, low: 1 } }]);
  });

  it('serves high before normal before low, FIFO within a level', async () => {
    const { s } = make(1);
    const first = await s.acquire('p');
    const order: string[] = [];
    const ps: Record<string, Promise<Release>> = {
      low: track(s, order, 'low', 'low'), n1: track(s, order, 'n1', 'normal'),
      high: track(s, order, 'high', 'high'), n2: track(s, order, 'n2', 'normal'),
    };
    let release: Release = first;
    for (let i = 0; i < 4; i++) {
      release();
      await flush();
      expect(order).toHaveLength(i + 1);
      release = await ps[order[i]];
    }
    expect(order).toEqual(['high', 'n1', 'n2', 'low']);
  });

  it('does not starve low priority: a long-waiting low request beats fresh high ones', async () => {
    const { s, clock } = make(1);
    let release = await s.acquire('p');
    const order: string[] = [];
    const low = track(s, order, 'low', 'low');
    // A steady stream of high requests, each arriving just before the slot frees.
    for (let i = 0; i < 5; i++) {
      clock.advance(1_000);
      const high = track(s, order, `high${i}`, 'high');
      release();
      await flush();
      if (order.at(-1) === 'low') break;
      release = await high;
    }
    // Waiting 1 s counts as one level: after 3 s a low request outranks a fresh high one.
    expect(order).toEqual(['high0', 'high1', 'low']);
    void low;
  });

  it('rejects a request that waits past its timeout with a 503 and Retry-After, and frees its place', async () => {
    const { s, clock } = make(1);
    await s.acquire('p');
    const p = s.acquire('p', 'normal', undefined, 2_000);
    const caught = p.catch((e) => e);
    clock.advance(1_999);
    await flush();
    expect(s.stats()[0].queued.normal).toBe(1);
    clock.advance(1);
    const err = await caught;
    expect(err).toBeInstanceOf(QueueTimeoutError);
    expect(err.status).toBe(503);
    expect(Number(err.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(s.stats()[0].queued.normal).toBe(0);
  });

  it('removes a cancelled request from the queue at once', async () => {
    const { s, clock } = make(1);
    const release = await s.acquire('p');
    const ac = new AbortController();
    const gone = s.acquire('p', 'high', ac.signal);
    const order: string[] = [];
    const next = track(s, order, 'next', 'normal');
    ac.abort(new Error('client left'));
    await expect(gone).rejects.toThrow('client left');
    expect(s.stats()[0].queued).toEqual({ high: 0, normal: 1, low: 0 });
    release();
    await next;
    expect(order).toEqual(['next']);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('refuses at once when the queue is full', async () => {
    const { s } = make(1, { maxQueueDepth: 1 });
    await s.acquire('p');
    void s.acquire('p');
    const err = await s.acquire('p').catch((e) => e);
    expect(err).toBeInstanceOf(SluiceError);
    expect(err.code).toBe('SLUICE_QUEUE_FULL');
    expect(err.status).toBe(503);
  });

  it('keeps providers apart', async () => {
    const { s } = make(1);
    await s.acquire('a');
    await expect(s.acquire('b')).resolves.toBeTypeOf('function');
  });

  it('follows the limit: queued requests get in when it rises (refresh) and release reports samples', async () => {
    const { s, setLimit, samples, clock } = make(1);
    const r1 = await s.acquire('p');
    const order: string[] = [];
    const q = [track(s, order, 'a', 'normal'), track(s, order, 'b', 'normal')];
    setLimit(3);
    s.refresh('p');
    await Promise.all(q);
    expect(order).toEqual(['a', 'b']);
    clock.advance(40);
    r1('success');
    r1('success');
    expect(samples).toEqual([['p', { startedAt: 0, outcome: 'success', inFlight: 1 }]]);
    expect(s.stats()[0].inFlight).toBe(2);
  });

  it('tryAcquire grants synchronously under the limit, and refuses when full or when others wait', async () => {
    const { s } = make(1);
    const r = s.tryAcquire('p');
    expect(r).toBeTypeOf('function');
    expect(s.tryAcquire('p')).toBeNull();
    const waiting = s.acquire('p', 'low');
    r!('ignore');
    const r2 = await waiting;
    r2('ignore');
    void s.acquire('p');
    // a plain acquire on a free provider takes the slot at once, so the fast path is full again
    expect(s.stats()[0].inFlight).toBe(1);
    expect(s.tryAcquire('p')).toBeNull();
  });
});
