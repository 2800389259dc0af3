// A runaway loop: one client sending the same prompt far above its usual rate. Counts per
// (client, prompt fingerprint) over a sliding window of two half-windows; each client's usual
// repeat count is an average that barely learns while the client is running away (so a client
// that starts out hammering one prompt is flagged at once, and learnt as normal only if it goes
// on doing so with prompt after prompt). Memory is
// bounded: past `maxKeys` pairs, new pairs are not tracked until the window turns.
// Events are per client, not per prompt: a loop that cycles through 40 prompts is one runaway
// client (one alert, updated as each prompt crosses its threshold), not 40 (QA found the Alerts
// page filled with one alert per prompt). The client calms down when none of its prompts is looping
// any more: each repeated less than half the threshold it crossed.

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
  /** 'opened': the client's first looping prompt; 'updated': another of its prompts started looping; 'resolved': none loops any more. */
  type: 'opened' | 'updated' | 'resolved';
  client: string;
  /** The client's most repeated prompt within the window… */
  fingerprint: string;
  /** …and its repeats within the window. */
  count: number;
  /** The client's prompts looping now (over their threshold, not yet calmed down); 0 once resolved. */
  prompts: number;
  threshold: number;
  usual: number;
  windowMs: number;
}

/** `threshold`: the one it crossed (while active). */
interface Pair { client: string; fingerprint: string; prev: number; cur: number; active: boolean; threshold: number }
/** `running`: the client's looping pairs. `top*`: its most repeated prompt, exact at each sweep, raised by each request in between. */
interface ClientState { usual: number; bucketMax: number; running: number; topFingerprint: string; topCount: number }

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
      if (this.#clients.size >= this.#maxClients) this.#clients.delete(this.#evictable());
      c = { usual: 0, bucketMax: 0, running: 0, topFingerprint: '', topCount: 0 };
      this.#clients.set(name, c);
    }
    return c;
  }

  /** The oldest client not looping (forgetting a looping one would lose track of its open alert); the oldest of all if every one is. */
  #evictable(): string {
    for (const [name, c] of this.#clients) if (c.running === 0) return name;
    return this.#clients.keys().next().value!;
  }

  #threshold(c: ClientState): number {
    return Math.max(this.#minRepeats, Math.ceil(this.#factor * c.usual * 2));
  }

  /** One request at time `now` (ms). Returns 'opened' (or 'updated', when the client already loops on another prompt) the moment a prompt crosses its threshold. */
  observe(client: string, fingerprint: string, now: number): RunawayEvent | null {
    this.#rotate(now);
    let byFp = this.#pairs.get(client);
    let p = byFp?.get(fingerprint);
    if (!p) {
      if (this.#pairCount >= this.#maxKeys) return null;
      if (!byFp) { byFp = new Map(); this.#pairs.set(client, byFp); }
      p = { client, fingerprint, prev: 0, cur: 0, active: false, threshold: 0 };
      byFp.set(fingerprint, p);
      this.#pairCount++;
    }
    p.cur++;
    const c = this.#client(client);
    if (p.cur > c.bucketMax) c.bucketMax = p.cur;
    const count = p.prev + p.cur;
    if (count >= c.topCount) { c.topCount = count; c.topFingerprint = fingerprint; }
    const threshold = this.#threshold(c);
    if (!p.active && count >= threshold) {
      p.active = true;
      p.threshold = threshold;
      c.running++;
      return this.#event(c.running === 1 ? 'opened' : 'updated', client, c, threshold);
    }
    return null;
  }

  /** Run about once a second: turns the window and reports clients whose every loop has calmed down. */
  sweep(now: number): RunawayEvent[] {
    this.#rotate(now);
    const out: RunawayEvent[] = [];
    for (const [client, byFp] of this.#pairs) {
      const c = this.#client(client);
      let calmed = false;
      c.topCount = 0;
      for (const p of byFp.values()) {
        const count = p.prev + p.cur;
        if (count > c.topCount) { c.topCount = count; c.topFingerprint = p.fingerprint; }
        // Calm against the threshold it crossed: a new client's usual is its first half-window,
        // the loop itself, and judged against that the loop would "calm down" while still going.
        if (p.active && count < p.threshold / 2) {
          p.active = false;
          c.running = Math.max(0, c.running - 1);
          calmed = true;
        }
      }
      if (calmed && c.running === 0) out.push(this.#event('resolved', client, c, this.#threshold(c)));
    }
    return out;
  }

  #event(type: RunawayEvent['type'], client: string, c: ClientState, threshold: number): RunawayEvent {
    return {
      type, client, fingerprint: c.topFingerprint, count: c.topCount, prompts: c.running, threshold, usual: c.usual, windowMs: this.#windowMs,
    };
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
      c.topCount = 0; // counts just dropped; the next sweep (or request) finds the top again
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
