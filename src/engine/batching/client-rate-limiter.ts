// Per-client request and token limits as token buckets refilled continuously from the injected
// clock. A request takes one request and its estimated tokens up front; once its usage is known
// the estimate is settled (refunded or charged). Refusals say when capacity returns (Retry-After).
import { describeValue } from '../../shared/describe-value.ts';
import type { ClientLimit, ClientLimitsConfig } from '../../shared/scheduling.ts';
import type { Clock } from '../clock.ts';
import { RateLimitedError } from '../errors.ts';

class Bucket {
  readonly capacity: number;
  readonly perMs: number;
  level: number;
  at: number;

  constructor(perMinute: number, now: number) {
    this.capacity = perMinute;
    this.perMs = perMinute / 60_000;
    this.level = perMinute;
    this.at = now;
  }

  refill(now: number): void {
    if (now > this.at) this.level = Math.min(this.capacity, this.level + (now - this.at) * this.perMs);
    this.at = now;
  }

  /** Ms until `amount` can be taken (an amount over capacity needs a full bucket). */
  waitFor(amount: number): number {
    const need = Math.min(amount, this.capacity);
    return this.level >= need ? 0 : (need - this.level) / this.perMs;
  }

  full(): boolean { return this.level >= this.capacity; }
}

interface ClientBuckets { requests: Bucket | null; tokens: Bucket | null }

/** What one admitted request holds; settle it with the real token count when known. */
export interface RateLimitTicket {
  readonly client: string;
  /** Charge the actual tokens instead of the estimate (may push the bucket below zero). Idempotent. */
  settle(actualTokens: number): void;
}

export interface ClientRateLimiterOptions {
  clock: Clock;
  limits: ClientLimitsConfig;
  /** Clients remembered before idle, full ones are forgotten (default 10 000). */
  maxClients?: number;
}

function validLimit(where: string, l: ClientLimit): void {
  for (const k of ['requestsPerMinute', 'tokensPerMinute'] as const) {
    const v = l[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)) {
      throw new RangeError(`ClientRateLimiter: ${where}.${k} must be a positive number, got ${describeValue(v)}.`);
    }
  }
}

function globToRegExp(glob: string): RegExp {
  return new RegExp('^' + glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

export class ClientRateLimiter {
  #clock: Clock;
  #maxClients: number;
  #config!: ClientLimitsConfig;
  #rules: Array<{ match: RegExp; limit: ClientLimit }> = [];
  #clients = new Map<string, ClientBuckets>();

  constructor(opts: ClientRateLimiterOptions) {
    if (!opts || !opts.clock) throw new TypeError("ClientRateLimiter: 'clock' is required.");
    this.#clock = opts.clock;
    this.#maxClients = opts.maxClients ?? 10_000;
    if (!Number.isInteger(this.#maxClients) || this.#maxClients < 1) throw new RangeError(`ClientRateLimiter: 'maxClients' must be a positive integer, got ${this.#maxClients}.`);
    this.setLimits(opts.limits);
  }

  /** Replace the limits (buckets start afresh). */
  setLimits(limits: ClientLimitsConfig): void {
    if (!limits || typeof limits !== 'object' || !Array.isArray(limits.rules)) throw new TypeError("ClientRateLimiter: 'limits' must be { enabled, default, rules[] }.");
    validLimit('default', limits.default ?? {});
    limits.rules.forEach((r, i) => {
      if (typeof r.client !== 'string' || r.client === '') throw new TypeError(`ClientRateLimiter: rules[${i}].client must be a non-empty string.`);
      validLimit(`rules[${i}]`, r);
    });
    this.#config = limits;
    this.#rules = limits.rules.map((r) => ({ match: globToRegExp(r.client), limit: r }));
    this.#clients.clear();
  }

  /** The limit that applies to `client`. */
  limitFor(client: string): ClientLimit {
    return this.#rules.find((r) => r.match.test(client))?.limit ?? this.#config.default ?? {};
  }

  /**
   * Admit one request of `client` estimated at `estimatedTokens` (or what the function says, asked only under a token limit), or throw RateLimitedError with
   * Retry-After set to when both its request and token capacity will be back. Nothing is taken on refusal.
   */
  admit(client: string, estimatedTokens: number | (() => number) = 0): RateLimitTicket {
    const noop: RateLimitTicket = { client, settle() {} };
    if (!this.#config.enabled) return noop;
    const b = this.#bucketsOf(client);
    if (!b) return noop;
    const now = this.#clock.monotonic();
    // estimated only when a token limit applies: it reads the whole prompt
    const tokens = b.tokens ? Math.max(0, typeof estimatedTokens === 'function' ? estimatedTokens() : estimatedTokens) : 0;
    b.requests?.refill(now);
    b.tokens?.refill(now);
    const waitReq = b.requests?.waitFor(1) ?? 0;
    const waitTok = tokens > 0 ? (b.tokens?.waitFor(tokens) ?? 0) : 0;
    const wait = Math.max(waitReq, waitTok);
    if (wait > 0) {
      const what = waitReq >= waitTok ? `${b.requests!.capacity} requests per minute` : `${b.tokens!.capacity} tokens per minute`;
      throw new RateLimitedError(`Client '${client}' is over its limit of ${what}; capacity returns in ${Math.ceil(wait / 1000)} s.`, wait / 1000, 'SLUICE_CLIENT_RATE_LIMITED');
    }
    if (b.requests) b.requests.level -= 1;
    if (b.tokens) b.tokens.level -= tokens;
    let settled = false;
    return {
      client,
      settle: (actual: number) => {
        if (settled || !b.tokens || !Number.isFinite(actual)) return;
        settled = true;
        b.tokens.refill(this.#clock.monotonic());
        b.tokens.level = Math.min(b.tokens.capacity, b.tokens.level + tokens - Math.max(0, actual));
      },
    };
  }

  #bucketsOf(client: string): ClientBuckets | null {
    const found = this.#clients.get(client);
    if (found) return found;
    const limit = this.limitFor(client);
    if (limit.requestsPerMinute === undefined && limit.tokensPerMinute === undefined) return null;
    if (this.#clients.size >= this.#maxClients) this.#forgetIdle();
    const now = this.#clock.monotonic();
    const b: ClientBuckets = {
      requests: limit.requestsPerMinute !== undefined ? new Bucket(limit.requestsPerMinute, now) : null,
      tokens: limit.tokensPerMinute !== undefined ? new Bucket(limit.tokensPerMinute, now) : null,
    };
    this.#clients.set(client, b);
    return b;
  }

  /** Drop clients whose buckets have refilled: forgetting them changes nothing. */
  #forgetIdle(): void {
    const now = this.#clock.monotonic();
    for (const [c, b] of this.#clients) {
      b.requests?.refill(now);
      b.tokens?.refill(now);
      if ((b.requests?.full() ?? true) && (b.tokens?.full() ?? true)) this.#clients.delete(c);
    }
  }
}
