// Counters that only grow, since the process started: what Prometheus scrapes. Label sets are
// capped so a flood of odd paths or model names cannot grow memory; the excess is counted under
// the label value `other`.
import { CACHE_RESULTS, type CacheResult } from '../../shared/targets.ts';
import { isFailure, type RecordedRequest } from './recorded-request.ts';

/** Upper bounds (seconds) of the request latency histogram buckets. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export interface RequestSeries {
  route: string;
  provider: string;
  model: string;
  status: string;
  cache: CacheResult;
  count: number;
  errors: number;
  latencySumSeconds: number;
  /** Non-cumulative counts per bucket of LATENCY_BUCKETS_SECONDS, plus one for +Inf. */
  buckets: Float64Array;
}

export interface UsageSeries {
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  savedUsd: number;
}

export interface CumulativeCountersOptions {
  /** Distinct (route, provider, model, status, cache) sets kept. Default 2000. */
  maxSeries?: number;
}

const KNOWN_ROUTES = new Set(['chat', 'embeddings', 'speech', 'models']);

const CACHE_INDEX = new Map<string, number>(CACHE_RESULTS.map((c, i) => [c, i]));
/** A request refused before the cache looked (or a result this build does not know): labelled `none`, counted in no cache result. */
const NONE = CACHE_INDEX.get('none')!;

// Lookups go through nested maps (route → provider → model → status·cache) rather than one joined
// string key: building and hashing a fresh string per request costs a microsecond, this ~50 ns.
type Level<T> = Map<string, T>;

export class CumulativeCounters {
  readonly #maxSeries: number;
  readonly #tree: Level<Level<Level<Map<number, RequestSeries>>>> = new Map();
  readonly #all: RequestSeries[] = [];
  readonly #usageTree: Level<Level<UsageSeries>> = new Map();
  readonly #usage: UsageSeries[] = [];
  readonly #cacheCounts = new Float64Array(CACHE_RESULTS.length);
  #total = 0;

  constructor(opts: CumulativeCountersOptions = {}) {
    const max = opts.maxSeries ?? 2000;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`CumulativeCounters: maxSeries must be a positive integer, got ${max}`);
    this.#maxSeries = max;
  }

  get total(): number { return this.#total; }

  add(r: RecordedRequest): void {
    this.#total++;
    const cacheIdx = CACHE_INDEX.get(r.cache) ?? NONE;
    const s = this.#series(KNOWN_ROUTES.has(r.endpoint) ? r.path : 'other', r.provider, r.model, r.status, cacheIdx);
    s.count++;
    if (isFailure(r.status)) s.errors++;
    const secs = r.latencyMs / 1000;
    s.latencySumSeconds += secs;
    let b = 0;
    while (b < LATENCY_BUCKETS_SECONDS.length && secs > LATENCY_BUCKETS_SECONDS[b]) b++;
    s.buckets[b]++;
    if (cacheIdx !== NONE) this.#cacheCounts[cacheIdx]++;

    if (r.promptTokens || r.completionTokens || r.costUsd || r.savedUsd) {
      const u = this.#usageOf(r.provider, r.model);
      u.promptTokens += r.promptTokens;
      u.completionTokens += r.completionTokens;
      u.costUsd += r.costUsd;
      u.savedUsd += r.savedUsd ?? 0;
    }
  }

  #series(route: string, provider: string, model: string, status: number, cacheIdx: number): RequestSeries {
    const code = status * 16 + cacheIdx;
    const leaf = this.#tree.get(route)?.get(provider)?.get(model)?.get(code);
    if (leaf) return leaf;
    // Past the cap, new label sets are counted under `other`.
    const capped = this.#all.length >= this.#maxSeries;
    const [ro, pr, mo] = capped ? ['other', 'other', 'other'] : [route, provider, model];
    let a = this.#tree.get(ro); if (!a) { a = new Map(); this.#tree.set(ro, a); }
    let b = a.get(pr); if (!b) { b = new Map(); a.set(pr, b); }
    let c = b.get(mo); if (!c) { c = new Map(); b.set(mo, c); }
    let s = c.get(code);
    if (!s) {
      s = { route: ro, provider: pr, model: mo, status: String(status), cache: CACHE_RESULTS[cacheIdx], count: 0, errors: 0, latencySumSeconds: 0, buckets: new Float64Array(LATENCY_BUCKETS_SECONDS.length + 1) };
      c.set(code, s);
      this.#all.push(s);
    }
    return s;
  }

  #usageOf(provider: string, model: string): UsageSeries {
    const hit = this.#usageTree.get(provider)?.get(model);
    if (hit) return hit;
    const capped = this.#usage.length >= this.#maxSeries;
    const [pr, mo] = capped ? ['other', 'other'] : [provider, model];
    let a = this.#usageTree.get(pr); if (!a) { a = new Map(); this.#usageTree.set(pr, a); }
    let u = a.get(mo);
    if (!u) {
      u = { provider: pr, model: mo, promptTokens: 0, completionTokens: 0, costUsd: 0, savedUsd: 0 };
      a.set(mo, u);
      this.#usage.push(u);
    }
    return u;
  }

  requestSeries(): Iterable<RequestSeries> { return this.#all; }
  usageSeries(): Iterable<UsageSeries> { return this.#usage; }
  cacheResults(): ReadonlyMap<CacheResult, number> {
    const out = new Map<CacheResult, number>();
    CACHE_RESULTS.forEach((c, i) => { if (this.#cacheCounts[i] > 0) out.set(c, this.#cacheCounts[i]); });
    return out;
  }
}
