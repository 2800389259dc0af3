// The live event stream: fetch with the bearer header, parse server-sent events, reconnect with backoff.
import type { EngineEvent } from '../../../shared/events.ts';
import type { FetchLike } from './admin-client.ts';
import { SseParser } from './sse-parser.ts';

export type StreamStatus =
  | { state: 'idle' }
  | { state: 'connecting'; attempt: number }
  | { state: 'open'; since: number }
  | { state: 'retrying'; attempt: number; retryAt: number; error: string }
  | { state: 'unauthorized'; error: string };

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface EventStreamOptions {
  url: string;
  token: string;
  onEvent: (event: EngineEvent) => void;
  onStatus: (status: StreamStatus) => void;
  fetch?: FetchLike;
  timers?: Timers;
  /** Randomness for jitter, 0–1. */
  random?: () => number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

const browserTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Delay before reconnect attempt `attempt` (1-based): exponential, capped, with ±20 % jitter. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export class EventStream {
  #o: Required<EventStreamOptions>;
  #abort: AbortController | null = null;
  #timer: unknown = null;
  #attempt = 0;
  /** Consecutive failures since the stream was last open: drives the backoff. */
  #failures = 0;
  #stopped = true;
  #status: StreamStatus = { state: 'idle' };

  constructor(opts: EventStreamOptions) {
    if (!opts?.url) throw new TypeError('EventStream: url is required');
    if (!opts.token) throw new TypeError('EventStream: token is required');
    if (typeof opts.onEvent !== 'function' || typeof opts.onStatus !== 'function') throw new TypeError('EventStream: onEvent and onStatus must be functions');
    const initialDelayMs = opts.initialDelayMs ?? 500;
    // the engine is on this machine (or this network): a try costs next to nothing, and a panel that
    // waited 15 s to notice a restarted engine looked broken
    const maxDelayMs = opts.maxDelayMs ?? 5_000;
    if (!(initialDelayMs > 0) || !(maxDelayMs >= initialDelayMs)) throw new RangeError('EventStream: need 0 < initialDelayMs <= maxDelayMs');
    this.#o = {
      fetch: (input, init) => globalThis.fetch(input, init), timers: browserTimers, random: Math.random,
      ...opts, initialDelayMs, maxDelayMs,
    };
  }

  get status(): StreamStatus { return this.#status; }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    this.#clearTimer();
    this.#abort?.abort();
    this.#abort = null;
    this.#set({ state: 'idle' });
  }

  /** Reconnect at once (the banner's Retry button). */
  retryNow(): void {
    if (this.#stopped) return;
    if (this.#status.state === 'open' || this.#status.state === 'connecting') return;
    this.#clearTimer();
    this.#connect();
  }

  #set(s: StreamStatus): void {
    this.#status = s;
    this.#o.onStatus(s);
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.#o.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #connect(): void {
    this.#attempt += 1;
    const abort = new AbortController();
    this.#abort = abort;
    this.#set({ state: 'connecting', attempt: this.#attempt });
    this.#run(abort).then(
      () => this.#lost(abort, 'The event stream ended.'),
      (err: Error) => this.#lost(abort, err?.message || String(err)),
    );
  }

  async #run(abort: AbortController): Promise<void> {
    const res = await this.#o.fetch(this.#o.url, {
      headers: { authorization: `Bearer ${this.#o.token}`, accept: 'text/event-stream' },
      signal: abort.signal,
      cache: 'no-store',
    });
    if (res.status === 401 || res.status === 403) throw Object.assign(new Error(`The admin token was refused (HTTP ${res.status}).`), { fatal: true });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    let opened = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (!opened) {
        opened = true;
        this.#attempt = 0;
        this.#failures = 0;
        this.#set({ state: 'open', since: this.#o.timers.now() });
      }
      for (const msg of parser.push(decoder.decode(value, { stream: true }))) {
        let event: EngineEvent;
        try {
          event = JSON.parse(msg.data) as EngineEvent;
        } catch {
          continue;
        }
        if (!event || typeof event !== 'object') continue;
        if (!event.type) (event as { type: string }).type = msg.event;
        try {
          this.#o.onEvent(event);
        } catch {
          // A broken consumer must not bring the stream down.
        }
      }
    }
  }

  #lost(abort: AbortController, error: string): void {
    if (this.#stopped || this.#abort !== abort) return;
    this.#abort = null;
    if (/token was refused/.test(error)) {
      this.#set({ state: 'unauthorized', error });
      return;
    }
    this.#failures += 1;
    const attempt = this.#failures;
    const delay = backoffDelay(attempt, this.#o.initialDelayMs, this.#o.maxDelayMs, this.#o.random);
    this.#set({ state: 'retrying', attempt, retryAt: this.#o.timers.now() + delay, error });
    this.#timer = this.#o.timers.setTimeout(() => {
      this.#timer = null;
      if (!this.#stopped) this.#connect();
    }, delay);
  }
}
