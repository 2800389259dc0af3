// One upstream call for identical requests in flight. The first caller for a key leads and starts
// the call; later callers follow and share its outcome. A complete result is shared as is; a stream
// goes through a broadcast buffer: each subscriber first gets the chunks already emitted, then live
// ones, at its own pace. The upstream is aborted only when every waiter has gone; its errors reach
// all waiters; the key is released as soon as the call is over.

export interface FlightResult<H> {
  /** The shared part of the answer (status, headers, a complete body…). Treat as read-only. */
  head: H;
  /** A body that arrives over time; each waiter gets its own replaying iterator of it. */
  stream?: AsyncIterable<Uint8Array>;
}

export interface CoalescedResult<H> {
  head: H;
  stream?: AsyncIterable<Uint8Array>;
  /** False for the caller that made the upstream call, true for callers that shared it. */
  coalesced: boolean;
}

export interface CoalescerOptions {
  /** Chunks the upstream may run ahead of the fastest reader before it is paused (default 256). */
  highWaterChunks?: number;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
}

class Flight<H> {
  readonly controller = new AbortController();
  waiters = 0;
  settled = false;
  result: Promise<FlightResult<H>> | null = null;
  // Broadcast buffer
  chunks: Uint8Array[] = [];
  ended = false;
  error: unknown = null;
  failed = false;
  readers = new Set<{ pos: number }>();
  #wakeReaders: Array<() => void> = [];
  #wakePump: (() => void) | null = null;
  readonly highWater: number;
  readonly onIdle: () => void;

  constructor(highWater: number, onIdle: () => void) {
    this.highWater = highWater;
    this.onIdle = onIdle;
  }

  join(): void { this.waiters++; }

  leave(): void {
    this.waiters--;
    if (this.waiters === 0 && !this.settled) {
      this.settled = true;
      this.controller.abort(Object.assign(new Error('Every caller waiting for this upstream call has gone'), { name: 'AbortError' }));
      this.onIdle();
    }
    this.wakePump();
  }

  finish(): void {
    if (!this.settled) { this.settled = true; this.onIdle(); }
  }

  notifyReaders(): void {
    const w = this.#wakeReaders;
    this.#wakeReaders = [];
    for (const f of w) f();
  }

  waitForData(): Promise<void> {
    return new Promise((resolve) => this.#wakeReaders.push(resolve));
  }

  wakePump(): void {
    const w = this.#wakePump;
    this.#wakePump = null;
    w?.();
  }

  /** The pump waits while every reader is far behind the tip (paced by the fastest reader). */
  async pump(stream: AsyncIterable<Uint8Array>): Promise<void> {
    try {
      for await (const chunk of stream) {
        this.chunks.push(chunk);
        this.notifyReaders();
        while (!this.controller.signal.aborted && this.readers.size > 0 && this.#lead() >= this.highWater) {
          await new Promise<void>((resolve) => { this.#wakePump = resolve; });
        }
        if (this.controller.signal.aborted) break;
      }
      this.ended = true;
    } catch (err) {
      this.failed = true;
      this.error = err;
    } finally {
      this.ended = true;
      this.finish();
      this.notifyReaders();
    }
  }

  #lead(): number {
    let best = Infinity;
    for (const r of this.readers) best = Math.min(best, this.chunks.length - r.pos);
    return best;
  }
}

export class Coalescer<H = unknown> {
  #flights = new Map<string, Flight<H>>();
  #highWater: number;

  constructor(opts: CoalescerOptions = {}) {
    const hw = opts.highWaterChunks ?? 256;
    if (!Number.isInteger(hw) || hw < 1) throw new RangeError(`Coalescer: highWaterChunks must be a positive integer, got ${hw}`);
    this.#highWater = hw;
  }

  /** Keys with an upstream call under way. */
  get inFlight(): number { return this.#flights.size; }
  has(key: string): boolean { return this.#flights.has(key); }
  /** Callers waiting on (or reading from) a call in flight, over every key. */
  get waiting(): number {
    let n = 0;
    for (const f of this.#flights.values()) n += f.waiters;
    return n;
  }

  /**
   * Share one call of `upstream` among every caller with the same key while it is in flight.
   * `signal` is this caller's: when it aborts, this caller stops waiting (its promise rejects, its
   * stream ends with the abort error); the upstream carries on while others still wait.
   */
  async run(key: string, signal: AbortSignal | undefined, upstream: (signal: AbortSignal) => Promise<FlightResult<H>>): Promise<CoalescedResult<H>> {
    if (signal?.aborted) throw abortError(signal);
    let flight = this.#flights.get(key);
    const coalesced = flight !== undefined;
    if (!flight) {
      const f = new Flight<H>(this.#highWater, () => { if (this.#flights.get(key) === f) this.#flights.delete(key); });
      flight = f;
      this.#flights.set(key, f);
      f.result = Promise.resolve().then(() => upstream(f.controller.signal)).then(
        (res) => {
          if (res.stream) void f.pump(res.stream);
          else f.finish();
          return res;
        },
        (err) => { f.finish(); throw err; },
      );
      f.result.catch(() => {});
    }
    return this.#wait(flight, signal, coalesced);
  }

  async #wait(flight: Flight<H>, signal: AbortSignal | undefined, coalesced: boolean): Promise<CoalescedResult<H>> {
    flight.join();
    let left = false;
    const leave = () => { if (!left) { left = true; flight.leave(); } };
    let onAbort: (() => void) | null = null;
    const aborted = new Promise<never>((_, reject) => {
      if (!signal) return;
      onAbort = () => reject(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => {});
    let res: FlightResult<H>;
    try {
      res = await Promise.race([flight.result!, aborted]);
    } catch (err) {
      if (onAbort) signal!.removeEventListener('abort', onAbort);
      leave();
      throw err;
    }
    if (!res.stream) {
      if (onAbort) signal!.removeEventListener('abort', onAbort);
      leave();
      return { head: res.head, coalesced };
    }
    if (onAbort) signal!.removeEventListener('abort', onAbort);
    return { head: res.head, coalesced, stream: this.#subscribe(flight, signal, leave) };
  }

  #subscribe(flight: Flight<H>, signal: AbortSignal | undefined, leave: () => void): AsyncIterableIterator<Uint8Array> {
    const reader = { pos: 0 };
    flight.readers.add(reader);
    let done = false;
    const close = () => {
      if (done) return;
      done = true;
      flight.readers.delete(reader);
      signal?.removeEventListener('abort', onAbort);
      leave();
    };
    const onAbort = () => { flight.notifyReaders(); };
    signal?.addEventListener('abort', onAbort, { once: true });
    const iterator: AsyncIterableIterator<Uint8Array> = {
      [Symbol.asyncIterator]() { return iterator; },
      async next(): Promise<IteratorResult<Uint8Array>> {
        for (;;) {
          if (done) return { done: true, value: undefined };
          if (signal?.aborted) { close(); throw abortError(signal); }
          if (reader.pos < flight.chunks.length) {
            const value = flight.chunks[reader.pos++];
            flight.wakePump();
            return { done: false, value };
          }
          if (flight.ended) {
            close();
            if (flight.failed) throw flight.error;
            return { done: true, value: undefined };
          }
          await flight.waitForData();
        }
      },
      async return(): Promise<IteratorResult<Uint8Array>> {
        close();
        return { done: true, value: undefined };
      },
    };
    return iterator;
  }
}
