import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../shared/events.ts';
import { backoffDelay, EventStream, type StreamStatus, type Timers } from './event-stream.ts';

class FakeTimers implements Timers {
  t = 0;
  pending: Array<{ at: number; fn: () => void; h: number }> = [];
  #n = 0;
  now() { return this.t; }
  setTimeout(fn: () => void, ms: number) { const h = ++this.#n; this.pending.push({ at: this.t + ms, fn, h }); return h; }
  clearTimeout(h: unknown) { this.pending = this.pending.filter((p) => p.h !== h); }
  advance(ms: number) {
    this.t += ms;
    const due = this.pending.filter((p) => p.at <= this.t);
    this.pending = this.pending.filter((p) => p.at > this.t);
    due.forEach((p) => p.fn());
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function sseResponse(chunks: string[]): Response {
  const enc = new TextEncoder();
  return new Response(new ReadableStream({ start(c) { chunks.forEach((x) => c.enqueue(enc.encode(x))); c.close(); } }), { status: 200 });
}

describe('EventStream', () => {
  it('delivers typed events, then reconnects with growing backoff after the engine goes away', async () => {
    const timers = new FakeTimers();
    const events: EngineEvent[] = [];
    const statuses: StreamStatus[] = [];
    let call = 0;
    const fetch = async (_url: string, init?: RequestInit) => {
      call += 1;
      expect((init?.headers as Record<string, string>).authorization).toBe('Bearer tok');
      if (call === 1) return sseResponse([': hi\n\n', 'event: engine\ndata: {"type":"engine","ts":1,"state":"paused"}\n\n']);
      throw new TypeError('Failed to fetch');
    };
    const s = new EventStream({ url: 'http://h/admin/api/events', token: 'tok', fetch, timers, random: () => 0.5, onEvent: (e) => events.push(e), onStatus: (x) => statuses.push(x), initialDelayMs: 500, maxDelayMs: 4000 });
    s.start();
    await flush();
    expect(events).toEqual([{ type: 'engine', ts: 1, state: 'paused' }]);
    expect(statuses.map((x) => x.state)).toEqual(['connecting', 'open', 'retrying']);
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const st = s.status;
      if (st.state !== 'retrying') throw new Error(`expected retrying, got ${st.state}`);
      delays.push(st.retryAt - timers.now());
      timers.advance(st.retryAt - timers.now());
      await flush();
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 4000]);
    s.stop();
    expect(s.status.state).toBe('idle');
    expect(timers.pending).toHaveLength(0);
  });

  it('retryNow reconnects at once, and a refused token stops retrying', async () => {
    const timers = new FakeTimers();
    let status = 503;
    let calls = 0;
    const fetch = async () => { calls += 1; return new Response('no', { status }); };
    const s = new EventStream({ url: 'http://h/e', token: 't', fetch, timers, random: () => 0.5, onEvent: () => {}, onStatus: () => {} });
    s.start();
    await flush();
    expect(s.status.state).toBe('retrying');
    status = 401;
    s.retryNow();
    await flush();
    expect(calls).toBe(2);
    expect(s.status.state).toBe('unauthorized');
    expect(timers.pending).toHaveLength(0);
  });

  it('backoff is capped and jittered within ±20 %', () => {
    expect(backoffDelay(1, 500, 15_000, () => 0)).toBe(400);
    expect(backoffDelay(1, 500, 15_000, () => 1)).toBe(600);
    expect(backoffDelay(30, 500, 15_000, () => 0.5)).toBe(15_000);
  });
});
