// Realistic synthetic traffic with injectable faults, driven on a ManualClock: for the anomaly
// benchmark and the alert tests. Seeded, so every run is the same.
import type { ManualClock } from '../../src/engine/clock.ts';
import type { RecordedRequest } from '../../src/engine/metrics/recorded-request.ts';

export interface TrafficConditions {
  rps: number;
  hitRate: number;
  errorRate: number;
  /** Multiplies upstream (miss) latency. */
  latencyFactor: number;
  eventLoopP99Ms: number;
  /** Extra requests per second from one client repeating one prompt. */
  loopRps: number;
  /** Share of answered misses that cost money (the rest go to free models). Default 1. */
  pricedShare?: number;
}

export const STEADY: TrafficConditions = { rps: 40, hitRate: 0.7, errorRate: 0.005, latencyFactor: 1, eventLoopP99Ms: 12, loopRps: 0 };

/** Mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class SimulatedTraffic {
  readonly #clock: ManualClock;
  readonly #rand: () => number;
  #seq = 0;

  constructor(clock: ManualClock, seed = 42) {
    this.#clock = clock;
    this.#rand = seededRandom(seed);
  }

  #normal(): number {
    const u = Math.max(1e-12, this.#rand());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.#rand());
  }

  #poisson(mean: number): number {
    // Normal approximation, fine for the rates used here.
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.#normal()));
  }

  /** One second of traffic: each request is recorded at its moment within the second. Returns the event-loop p99 for the second. */
  second(c: TrafficConditions, onRequest: (r: RecordedRequest) => void): number {
    const n = this.#poisson(c.rps);
    const loops = Math.round(c.loopRps);
    const total = n + loops;
    const step = 1000 / (total + 1);
    let spent = 0;
    for (let i = 0; i < total; i++) {
      this.#clock.advance(step);
      spent += step;
      const loop = i >= n;
      const hit = this.#rand() < c.hitRate;
      const failed = !hit && this.#rand() < c.errorRate;
      const latencyMs = hit ? 3 + 2 * this.#rand() : 350 * c.latencyFactor * Math.exp(0.35 * this.#normal());
      const client = loop ? 'loop-bot' : `client-${Math.floor(this.#rand() * 20)}`;
      const promptTokens = 200 + Math.floor(this.#rand() * 300);
      // drawn only when some misses are free, so traffic where all are priced stays as it was
      const priced = (c.pricedShare ?? 1) >= 1 || this.#rand() < (c.pricedShare ?? 1);
      onRequest({
        id: `sim${this.#seq++}`, ts: this.#clock.now(), endpoint: 'chat', path: '/v1/chat/completions', method: 'POST',
        model: this.#rand() < 0.7 ? 'gpt-4o-mini' : 'gpt-4o', requestedModel: 'auto', provider: this.#rand() < 0.8 ? 'openai' : 'local',
        status: failed ? 502 : 200, latencyMs, firstByteMs: null, stream: false,
        cache: hit ? (this.#rand() < 0.85 ? 'hit-memory' : 'hit-disk') : 'miss', attempts: 1,
        promptTokens, completionTokens: failed ? 0 : 150, costUsd: hit || failed || !priced ? 0 : promptTokens * 1.5e-7 + 150 * 6e-7,
        savedUsd: hit ? promptTokens * 1.5e-7 + 150 * 6e-7 : 0, errorCode: failed ? 'SLUICE_UPSTREAM_HTTP' : null, client,
        // Prompts rarely repeat, except the loop's.
        promptFingerprint: loop ? 'same-prompt' : `p${Math.floor(this.#rand() * 1e9)}`,
      });
    }
    this.#clock.advance(1000 - spent);
    return Math.max(1, c.eventLoopP99Ms * (1 + 0.15 * this.#normal()));
  }
}
