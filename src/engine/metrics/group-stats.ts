// Everything counted for one group of requests (overall, one provider, one model) over one window.
// Recording is a handful of additions and two histogram increments; groups merge by addition.
import type { CacheTierCounts, LatencySummary, MetricsGroup } from '../../shared/metrics.ts';
import { LogHistogram } from './log-histogram.ts';
import { isFailure, type RecordedRequest } from './recorded-request.ts';

export function summarise(h: LogHistogram): LatencySummary {
  return {
    count: h.count,
    meanMs: h.mean,
    p50Ms: h.quantile(0.5),
    p90Ms: h.quantile(0.9),
    p95Ms: h.quantile(0.95),
    p99Ms: h.quantile(0.99),
    maxMs: h.max,
  };
}

export class GroupStats {
  requests = 0;
  errors = 0;
  readonly cache: CacheTierCounts = { memory: 0, disk: 0, semantic: 0, stale: 0, miss: 0, coalesced: 0, bypass: 0, refresh: 0 };
  batched = 0;
  promptTokens = 0;
  completionTokens = 0;
  costUsd = 0;
  /** Requests that cost something: spend arrives in these lumps (the spend-rate detector needs enough of them). */
  priced = 0;
  savedUsd = 0;
  readonly latency = new LogHistogram();
  readonly firstByte = new LogHistogram();

  /** `latencyIndex`/`firstByteIndex`: bucket indexes when the caller already computed them for another group. */
  add(r: RecordedRequest, latencyIndex = this.latency.indexOf(r.latencyMs), firstByteIndex = r.firstByteMs === null ? 0 : this.firstByte.indexOf(r.firstByteMs)): void {
    this.requests++;
    if (isFailure(r.status)) this.errors++;
    switch (r.cache) {
      case 'hit-memory': this.cache.memory++; break;
      case 'hit-disk': this.cache.disk++; break;
      case 'hit-semantic': this.cache.semantic++; break;
      case 'stale': this.cache.stale++; break;
      case 'miss': this.cache.miss++; break;
      case 'coalesced': this.cache.coalesced++; break;
      case 'bypass': this.cache.bypass++; break;
      case 'refresh': this.cache.refresh++; break;
    }
    if (r.batched) this.batched++;
    this.promptTokens += r.promptTokens;
    this.completionTokens += r.completionTokens;
    this.costUsd += r.costUsd;
    if (r.costUsd > 0) this.priced++;
    if (r.savedUsd) this.savedUsd += r.savedUsd;
    this.latency.recordAt(latencyIndex, r.latencyMs);
    if (r.stream && r.firstByteMs !== null) this.firstByte.recordAt(firstByteIndex, r.firstByteMs);
  }

  get hits(): number { return this.cache.memory + this.cache.disk + this.cache.semantic + this.cache.stale; }

  /** Hits over hits + misses; null when nothing was looked up. */
  get hitRate(): number | null {
    const h = this.hits;
    const denom = h + this.cache.miss;
    return denom === 0 ? null : h / denom;
  }

  merge(o: GroupStats): this {
    this.requests += o.requests;
    this.errors += o.errors;
    for (const k of Object.keys(this.cache) as Array<keyof CacheTierCounts>) this.cache[k] += o.cache[k];
    this.batched += o.batched;
    this.promptTokens += o.promptTokens;
    this.completionTokens += o.completionTokens;
    this.costUsd += o.costUsd;
    this.priced += o.priced;
    this.savedUsd += o.savedUsd;
    this.latency.merge(o.latency);
    this.firstByte.merge(o.firstByte);
    return this;
  }

  reset(): void {
    this.requests = 0;
    this.errors = 0;
    for (const k of Object.keys(this.cache) as Array<keyof CacheTierCounts>) this.cache[k] = 0;
    this.batched = 0;
    this.promptTokens = 0;
    this.completionTokens = 0;
    this.costUsd = 0;
    this.priced = 0;
    this.savedUsd = 0;
    this.latency.reset();
    this.firstByte.reset();
  }

  toGroup(windowMs: number): MetricsGroup {
    return {
      requests: this.requests,
      requestsPerSecond: windowMs > 0 ? this.requests / (windowMs / 1000) : 0,
      errors: this.errors,
      errorRate: this.requests === 0 ? 0 : this.errors / this.requests,
      latency: summarise(this.latency),
      firstByte: summarise(this.firstByte),
      cache: { ...this.cache },
      hitRate: this.hitRate,
      coalesced: this.cache.coalesced,
      batched: this.batched,
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      costUsd: this.costUsd,
      savedUsd: this.savedUsd,
    };
  }
}
