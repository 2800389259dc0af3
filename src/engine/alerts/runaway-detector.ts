// A runaway loop: one client sending the same prompt far above its usual rate. Counts per
// (client, prompt fingerprint) over a sliding window of two half-windows; each client's usual
// repeat count is an average that barely learns while the client is running away (so a client
// that starts out hammering one prompt is flagged at once, and learnt as normal only if it goes
// on doing so with prompt after prompt). Memory is
// bounded: past `maxKeys` pairs, new pairs are not tracked until the window turns.

export interface RunawayDetectorOptions {
  /** Sliding window, ms. Default 10 000. */
  windowMs?: number;
  /** Repeats within the window never flagged below this. Default 30. */
  minRepeats?: number;
  /** Flag at this many times the client's usual repeats of its most repeated prompt. Default 10. */
  factor?: number;
  /** Pairs tracked at once. Default 50 000. */
  maxKeys?: number;
  /** Clients whose usual rate is remembered. Default 10 000. */
  maxClients?: number;
}

export interface RunawayEvent {
  type: 'opened' | 'resolved';
  client: string;
  fingerprint: string;
  /** Repeats within the window. */
  count: number;
  threshold: number;
  usual: number;
  windowMs: number;
}

interface Pair { client: string; fingerprint: string; prev: number; cur: number; active: boolean }
interface ClientState { usual: number; bucketMax: number; running: number }

export class RunawayDetector {
  readonly #windowMs: number;
  readonly #minRepeats: number;
  readonly #factor: number;
  readonly #maxKeys: number;
  readonly #maxClients: number;
  /** client → fingerprint → pair (nested: no string building per request). */
  readonly #pairs = new Map<string, Map<string, Pair>>();
  #pairCount = 0;
  readonly #clients = new Map<string, ClientState>();
  #bucketStart = -Infinity;

  constructor(opts: RunawayDetectorOptions = {}) {
    const check = (name: string, v: number, min: number) => {
      if (!(typeof v === 'number' && Number.isFinite(v) && v >= min)) throw new RangeError(`RunawayDetector: options.${name} must be a number ≥ ${min}, got ${v}`);
      return v;
    };
    this.#windowMs = check('windowMs', opts.windowMs ?? 10_000, 100);
    this.#minRepeats = check('minRepeats', opts.minRepeats ?? 30, 2);
    this.#factor = check('factor', opts.factor ?? 10, 1);
    this.#maxKeys = check('maxKeys', opts.maxKeys ?? 50_000, 1);
    this.#maxClients = check('maxClients', opts.maxClients ?? 10_000, 1);
  }

  get trackedPairs(): number { return this.#pairCount; }

  #client(name: string): ClientState {
    let c = this.#clients.get(name);
    if (!c) {
      if (this.#clients.size >= this.#maxClients) this.#clients.delete(this.#clients.keys().next().value!);
      c = { usual: 0, bucketMax: 0, running: 0 };
      this.#clients.set(name, c);
    }
    return c;
  }

  #threshold(c: ClientState): number {
    return Math.max(this.#minRepeats, Math.ceil(this.#factor * c.usual * 2));
  }

  /** One request at time `now` (ms). Returns 'opened' the moment a pair crosses its threshold. */
  observe(client: string, fingerprint: string, now: number): RunawayEvent | null {
    this.#rotate(now);
    let byFp = this.#pairs.get(client);
    let p = byFp?.get(fingerprint);
    if (!p) {
      if (this.#pairCount >= this.#maxKeys) return null;
      if (!byFp) { byFp = new Map(); this.#pairs.set(client, byFp); }
      p = { client, fingerprint, prev: 0, cur: 0, active: false };
      byFp.set(fingerprint, p);
      this.#pairCount++;
    }
    p.cur++;
    const c = this.#client(client);
    if (p.cur > c.bucketMax) c.bucketMax = p.cur;
    const count = p.prev + p.cur;
    const threshold = this.#threshold(c);
    if (!p.active && count >= threshold) {
      p.active = true;
      c.running++;
      return { type: 'opened', client, fingerprint, count, threshold, usual: c.usual, windowMs: this.#windowMs };
    }
    return null;
  }

  /** Run about once a second: turns the window and reports loops that have calmed down. */
  sweep(now: number): RunawayEvent[] {
    this.#rotate(now);
    const out: RunawayEvent[] = [];
    for (const byFp of this.#pairs.values()) for (const p of byFp.values()) {
      if (!p.active) continue;
      const c = this.#client(p.client);
      const threshold = this.#threshold(c);
      const count = p.prev + p.cur;
      if (count < threshold / 2) {
        p.active = false;
        c.running = Math.max(0, c.running - 1);
        out.push({ type: 'resolved', client: p.client, fingerprint: p.fingerprint, count, threshold, usual: c.usual, windowMs: this.#windowMs });
      }
    }
    return out;
  }

  #rotate(now: number): void {
    const half = this.#windowMs / 2;
    if (now - this.#bucketStart < half) return;
    const turns = this.#bucketStart === -Infinity ? 2 : Math.floor((now - this.#bucketStart) / half);
    this.#bucketStart = now - ((now - (this.#bucketStart === -Infinity ? now : this.#bucketStart)) % half);
    for (const c of this.#clients.values()) {
      // While a loop runs the usual rate learns a hundred times slower, so the loop is not taken as normal.
      const alpha = c.running === 0 ? 0.1 : 0.001;
      c.usual = c.usual === 0 ? c.bucketMax : c.usual * (1 - alpha) + c.bucketMax * alpha;
      c.bucketMax = 0;
    }
    for (const [client, byFp] of this.#pairs) {
      for (const [fp, p] of byFp) {
        p.prev = turns >= 2 ? 0 : p.cur;
        p.cur = 0;
        if (p.prev === 0 && !p.active) { byFp.delete(fp); this.#pairCount--; }
      }
      if (byFp.size === 0) this.#pairs.delete(client);
    }
  }
}
