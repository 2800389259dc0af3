// Gathers calls that share a key into one upstream call and splits the answer back, in order.
// The window adapts to traffic: with no call for a key out, requests go at once (all those that
// arrived in the same microtask wave, together); with calls out but a slot free, they wait up to
// `gatherMs` for batch-mates; with every slot taken, until a slot frees, the batch is full (inputs
// or tokens) or `maxWaitMs` passes. When a batched call fails with an error `blame` pins on some
// inputs, the callers are retried apart (the named one alone, or by halves) so only the bad one fails.
import { describeValue } from '../../shared/describe-value.ts';
import type { Clock, TimerHandle } from '../clock.ts';

/** Where one caller's inputs sit in a batched call. */
export interface BatchSlice {
  start: number;
  count: number;
  tokens: number;
}

export interface BatchOutcome<Out> {
  result: Out;
  /** Requests (callers) in the upstream call that produced `result`. */
  batchSize: number;
  /** Inputs in that call. */
  batchInputs: number;
}

/** Which input a failure is about: its index in the batch, 'unknown' (bisect), or null (it concerns everyone). */
export type BlameVerdict = number | 'unknown' | null;

export interface MicroBatcherOptions<In, Res, Out> {
  clock: Clock;
  /** Most inputs per upstream call (a single caller with more still goes, alone). */
  maxBatchSize: number;
  /** Most estimated tokens per upstream call (same exception). */
  maxBatchTokens: number;
  /** Longest a request waits for batch-mates, ms. */
  maxWaitMs: number;
  /** While calls of a key are out and a slot is free, how long a request waits for batch-mates
   *  before taking it, ms (default 0: at once; capped by maxWaitMs). */
  gatherMs?: number;
  /** Calls per key that go at once without gathering (default 1); a function follows a live limit. */
  maxInFlight?: number | ((key: string) => number);
  /** Make the upstream call. `signal` aborts when every caller in the batch has gone. */
  send: (inputs: In[], signal: AbortSignal, key: string) => Promise<Res>;
  /** Cut the answer into one result per slice, in slice order. */
  split: (result: Res, slices: readonly BatchSlice[]) => Out[];
  /** Estimated tokens of one input (default 1). */
  estimateTokens?: (input: In) => number;
  /** Decide whether a failed batch should be retried apart (default: never). */
  blame?: (err: unknown, inputCount: number) => BlameVerdict;
}

export interface SubmitOptions {
  signal?: AbortSignal;
  /** Estimated tokens of these inputs (default: sum of `estimateTokens`). */
  tokens?: number;
}

export interface BatchKeyStats {
  key: string;
  /** Requests waiting for a batch. */
  pending: number;
  pendingInputs: number;
  /** Upstream calls in flight. */
  inFlight: number;
}

interface Entry<In, Out> {
  inputs: In[];
  tokens: number;
  enqueuedAt: number;
  state: 'pending' | 'sent' | 'settled';
  call: Call | null;
  resolve: (v: BatchOutcome<Out>) => void;
  reject: (err: unknown) => void;
  cleanup: () => void;
}

interface Call { controller: AbortController; live: number }

interface KeyState<In, Out> {
  key: string;
  pending: Array<Entry<In, Out>>;
  pendingInputs: number;
  pendingTokens: number;
  inFlight: number;
  timer: TimerHandle | null;
  /** When `timer` fires (monotonic ms), and whether that is the `maxWaitMs` deadline. */
  due: number;
  dueIsMaxWait: boolean;
  /** A pump is queued for the end of the current microtask wave. */
  scheduled: boolean;
}

function positive(name: string, v: unknown, allowZero = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new TypeError(`MicroBatcher: '${name}' must be a ${allowZero ? 'non-negative' : 'positive'} finite number, got ${describeValue(v)}.`);
  }
  return v;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The request was aborted.', 'AbortError');
}

export class MicroBatcher<In, Res, Out> {
  #clock: Clock;
  #maxSize: number;
  #maxTokens: number;
  #maxWait: number;
  /** gatherMs, capped by maxWaitMs. */
  #gather: number;
  #maxInFlight: (key: string) => number;
  #send: MicroBatcherOptions<In, Res, Out>['send'];
  #split: MicroBatcherOptions<In, Res, Out>['split'];
  #estimate: (input: In) => number;
  #blame: (err: unknown, inputCount: number) => BlameVerdict;
  #keys = new Map<string, KeyState<In, Out>>();

  constructor(opts: MicroBatcherOptions<In, Res, Out>) {
    if (!opts || typeof opts !== 'object') throw new TypeError('MicroBatcher: options object required.');
    if (!opts.clock) throw new TypeError("MicroBatcher: 'clock' is required.");
    if (typeof opts.send !== 'function') throw new TypeError("MicroBatcher: 'send' must be a function.");
    if (typeof opts.split !== 'function') throw new TypeError("MicroBatcher: 'split' must be a function.");
    this.#clock = opts.clock;
    this.#maxSize = positive('maxBatchSize', opts.maxBatchSize);
    this.#maxTokens = positive('maxBatchTokens', opts.maxBatchTokens);
    this.#maxWait = positive('maxWaitMs', opts.maxWaitMs, true);
    this.#gather = Math.min(positive('gatherMs', opts.gatherMs ?? 0, true), this.#maxWait);
    const mif = opts.maxInFlight ?? 1;
    if (typeof mif === 'function') this.#maxInFlight = mif;
    else {
      const n = positive('maxInFlight', mif);
      this.#maxInFlight = () => n;
    }
    this.#send = opts.send;
    this.#split = opts.split;
    this.#estimate = opts.estimateTokens ?? (() => 1);
    this.#blame = opts.blame ?? (() => null);
  }

  /** Queue one caller's inputs under `key`; resolves with its own share of the batched answer. */
  submit(key: string, inputs: In[], opts: SubmitOptions = {}): Promise<BatchOutcome<Out>> {
    if (!Array.isArray(inputs) || inputs.length === 0) return Promise.reject(new TypeError('MicroBatcher.submit: at least one input is required.'));
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    let tokens = opts.tokens;
    if (tokens === undefined) {
      tokens = 0;
      for (const i of inputs) tokens += this.#estimate(i);
    }
    return new Promise<BatchOutcome<Out>>((resolve, reject) => {
      const state = this.#stateOf(key);
      const entry: Entry<In, Out> = {
        inputs, tokens, enqueuedAt: this.#clock.monotonic(), state: 'pending', call: null,
        resolve, reject, cleanup: () => {},
      };
      if (signal) {
        const onAbort = () => this.#abort(state, entry, abortReason(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        entry.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      state.pending.push(entry);
      state.pendingInputs += inputs.length;
      state.pendingTokens += tokens;
      // Decide once the current wave of work is done, so requests arriving together (e.g. callers
      // answered by one batch asking again) leave together; this is a microtask, not a wait.
      if (!state.scheduled) {
        state.scheduled = true;
        queueMicrotask(() => {
          state.scheduled = false;
          this.#pump(state, false);
        });
      }
    });
  }

  stats(): BatchKeyStats[] {
    return [...this.#keys.values()].map((s) => ({ key: s.key, pending: s.pending.length, pendingInputs: s.pendingInputs, inFlight: s.inFlight }));
  }

  #stateOf(key: string): KeyState<In, Out> {
    let s = this.#keys.get(key);
    if (!s) {
      s = { key, pending: [], pendingInputs: 0, pendingTokens: 0, inFlight: 0, timer: null, due: 0, dueIsMaxWait: false, scheduled: false };
      this.#keys.set(key, s);
    }
    return s;
  }

  #settle(entry: Entry<In, Out>, ok: boolean, value: unknown): void {
    if (entry.state === 'settled') return;
    entry.state = 'settled';
    entry.cleanup();
    if (ok) entry.resolve(value as BatchOutcome<Out>);
    else entry.reject(value);
  }

  #abort(state: KeyState<In, Out>, entry: Entry<In, Out>, reason: unknown): void {
    if (entry.state === 'pending') {
      const i = state.pending.indexOf(entry);
      if (i >= 0) {
        state.pending.splice(i, 1);
        state.pendingInputs -= entry.inputs.length;
        state.pendingTokens -= entry.tokens;
      }
      this.#settle(entry, false, reason);
      this.#pump(state, false);
      return;
    }
    const call = entry.call;
    this.#settle(entry, false, reason);
    if (call && --call.live === 0) call.controller.abort(reason);
  }

  #isFull(s: KeyState<In, Out>): boolean {
    return s.pendingInputs >= this.#maxSize || s.pendingTokens >= this.#maxTokens;
  }

  /** Send what may go now; keep the wait timer in step with what is left. */
  #pump(s: KeyState<In, Out>, force: boolean): void {
    while (s.pending.length > 0 && (force || this.#isFull(s) || (s.inFlight < this.#maxInFlight(s.key) && this.#gathered(s)))) {
      this.#dispatch(s, this.#take(s));
    }
    if (s.pending.length === 0) {
      this.#disarm(s);
      if (s.inFlight === 0 && !s.scheduled) this.#keys.delete(s.key);
      return;
    }
    // The oldest request leaves at the end of its gathering window while a slot is free, else at maxWaitMs.
    const isMaxWait = s.inFlight >= this.#maxInFlight(s.key);
    const due = s.pending[0].enqueuedAt + (isMaxWait ? this.#maxWait : this.#gather);
    if (s.timer !== null && s.due === due && s.dueIsMaxWait === isMaxWait) return;
    this.#disarm(s);
    s.due = due;
    s.dueIsMaxWait = isMaxWait;
    s.timer = this.#clock.setTimeout(() => {
      s.timer = null;
      this.#pump(s, s.dueIsMaxWait);
    }, Math.max(0, due - this.#clock.monotonic()));
  }

  #disarm(s: KeyState<In, Out>): void {
    if (s.timer !== null) { this.#clock.clearTimeout(s.timer); s.timer = null; }
  }

  /** With no call of this key out, a request goes at once (light traffic pays nothing); with calls
   *  out, it waits up to `gatherMs` for the callers those calls are about to answer, who ask again
   *  a moment later — else the first of them to return would take a free slot alone. */
  #gathered(s: KeyState<In, Out>): boolean {
    return s.inFlight === 0 || this.#clock.monotonic() - s.pending[0].enqueuedAt >= this.#gather;
  }

  /** The oldest pending entries that fit the bounds (at least one). */
  #take(s: KeyState<In, Out>): Array<Entry<In, Out>> {
    let n = 0;
    let inputs = 0;
    let tokens = 0;
    for (const e of s.pending) {
      if (n > 0 && (inputs + e.inputs.length > this.#maxSize || tokens + e.tokens > this.#maxTokens)) break;
      n++;
      inputs += e.inputs.length;
      tokens += e.tokens;
    }
    const batch = s.pending.splice(0, n);
    s.pendingInputs -= inputs;
    s.pendingTokens -= tokens;
    this.#disarm(s);
    return batch;
  }

  #dispatch(s: KeyState<In, Out>, batch: Array<Entry<In, Out>>): void {
    s.inFlight++;
    for (const e of batch) e.state = 'sent';
    void this.#run(s.key, batch).finally(() => {
      s.inFlight--;
      this.#pump(s, false);
    });
  }

  async #run(key: string, entries: Array<Entry<In, Out>>): Promise<void> {
    const live = entries.filter((e) => e.state !== 'settled');
    if (live.length === 0) return;
    const inputs: In[] = [];
    const slices: BatchSlice[] = [];
    for (const e of live) {
      slices.push({ start: inputs.length, count: e.inputs.length, tokens: e.tokens });
      for (const i of e.inputs) inputs.push(i);
    }
    const call: Call = { controller: new AbortController(), live: live.length };
    for (const e of live) e.call = call;
    let result: Res;
    try {
      result = await this.#send(inputs, call.controller.signal, key);
    } catch (err) {
      for (const e of live) e.call = null;
      const still = live.filter((e) => e.state !== 'settled');
      if (still.length > 1 && !call.controller.signal.aborted) {
        const groups = this.#regroup(err, live, slices, inputs.length);
        if (groups) {
          await Promise.all(groups.map((g) => this.#run(key, g)));
          return;
        }
      }
      for (const e of live) this.#settle(e, false, err);
      return;
    }
    for (const e of live) e.call = null;
    let parts: Out[];
    try {
      parts = this.#split(result, slices);
      if (parts.length !== live.length) throw new Error(`MicroBatcher: split returned ${parts.length} parts for ${live.length} callers.`);
    } catch (err) {
      for (const e of live) this.#settle(e, false, err);
      return;
    }
    for (let i = 0; i < live.length; i++) {
      this.#settle(live[i], true, { result: parts[i], batchSize: live.length, batchInputs: inputs.length });
    }
  }

  /** Split the callers of a failed batch into groups to retry apart, or null when the error is everyone's. */
  #regroup(err: unknown, live: Array<Entry<In, Out>>, slices: BatchSlice[], inputCount: number): Array<Array<Entry<In, Out>>> | null {
    let verdict: BlameVerdict;
    try { verdict = this.#blame(err, inputCount); } catch { verdict = null; }
    if (verdict === null) return null;
    const alive = live.filter((e) => e.state !== 'settled');
    if (typeof verdict === 'number' && Number.isInteger(verdict) && verdict >= 0 && verdict < inputCount) {
      const culprit = live[slices.findIndex((s) => verdict >= s.start && verdict < s.start + s.count)];
      if (culprit && culprit.state !== 'settled') return [[culprit], alive.filter((e) => e !== culprit)];
      return [alive];
    }
    const half = Math.ceil(alive.length / 2);
    return [alive.slice(0, half), alive.slice(half)];
  }
}
