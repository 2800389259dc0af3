// `GET /metrics`: the Prometheus text format (version 0.0.4). A pure function of what the recorder
// counted plus the gauges other parts of the engine own (cache tiers, breakers, queue).
import type { ProcessStats } from '../../shared/metrics.ts';
import type { CumulativeCounters } from './cumulative-counters.ts';
import { LATENCY_BUCKETS_SECONDS } from './cumulative-counters.ts';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface CacheTierStats {
  tier: 'memory' | 'disk' | 'semantic' | (string & {});
  hits: number;
  misses: number;
  evictions: number;
  entries?: number;
  bytes?: number;
}

export interface BreakerStat {
  target: string;
  state: 'closed' | 'open' | 'half-open';
}

export interface PrometheusInput {
  counters: CumulativeCounters;
  /** From the cache stores. Without it, per-tier hits and misses are derived from request cache results. */
  cacheTiers?: CacheTierStats[];
  breakers?: BreakerStat[];
  queueDepth?: number;
  inFlight?: number;
  process?: ProcessStats | null;
  openAlerts?: number;
}

type Labels = Record<string, string>;

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

class Writer {
  readonly lines: string[] = [];
  family(name: string, type: 'counter' | 'gauge' | 'histogram', help: string): void {
    this.lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
  }
  sample(name: string, labels: Labels, value: number): void {
    this.lines.push(`${name}${labelText(labels)} ${num(value)}`);
  }
}

const BREAKER_STATES: BreakerStat['state'][] = ['closed', 'open', 'half-open'];

export function renderPrometheus(input: PrometheusInput): string {
  const w = new Writer();
  const series = [...input.counters.requestSeries()];

  w.family('sluice_requests_total', 'counter', 'Finished requests by route, provider, model, HTTP status and cache result.');
  for (const s of series) w.sample('sluice_requests_total', { route: s.route, provider: s.provider, model: s.model, status: s.status, cache: s.cache }, s.count);

  w.family('sluice_request_duration_seconds', 'histogram', 'Request latency from arrival to the last byte, in seconds.');
  for (const s of series) {
    const labels = { route: s.route, provider: s.provider, model: s.model, status: s.status, cache: s.cache };
    let cumulative = 0;
    for (let i = 0; i < LATENCY_BUCKETS_SECONDS.length; i++) {
      cumulative += s.buckets[i];
      w.sample('sluice_request_duration_seconds_bucket', { ...labels, le: num(LATENCY_BUCKETS_SECONDS[i]) }, cumulative);
    }
    w.sample('sluice_request_duration_seconds_bucket', { ...labels, le: '+Inf' }, s.count);
    w.sample('sluice_request_duration_seconds_sum', labels, s.latencySumSeconds);
    w.sample('sluice_request_duration_seconds_count', labels, s.count);
  }

  w.family('sluice_cache_results_total', 'counter', 'Requests by how the cache answered them.');
  for (const [result, n] of input.counters.cacheResults()) w.sample('sluice_cache_results_total', { result }, n);

  const tiers = input.cacheTiers ?? derivedTiers(input.counters);
  w.family('sluice_cache_hits_total', 'counter', 'Cache lookups answered by this tier.');
  for (const t of tiers) w.sample('sluice_cache_hits_total', { tier: t.tier }, t.hits);
  w.family('sluice_cache_misses_total', 'counter', 'Cache lookups this tier could not answer.');
  for (const t of tiers) w.sample('sluice_cache_misses_total', { tier: t.tier }, t.misses);
  w.family('sluice_cache_evictions_total', 'counter', 'Entries evicted from this tier.');
  for (const t of tiers) w.sample('sluice_cache_evictions_total', { tier: t.tier }, t.evictions);
  if (tiers.some((t) => t.entries !== undefined)) {
    w.family('sluice_cache_entries', 'gauge', 'Entries held by this tier.');
    for (const t of tiers) if (t.entries !== undefined) w.sample('sluice_cache_entries', { tier: t.tier }, t.entries);
  }
  if (tiers.some((t) => t.bytes !== undefined)) {
    w.family('sluice_cache_size_bytes', 'gauge', 'Bytes held by this tier.');
    for (const t of tiers) if (t.bytes !== undefined) w.sample('sluice_cache_size_bytes', { tier: t.tier }, t.bytes);
  }

  const usage = [...input.counters.usageSeries()];
  w.family('sluice_tokens_total', 'counter', 'Tokens by provider, model and direction (prompt or completion).');
  for (const u of usage) {
    w.sample('sluice_tokens_total', { provider: u.provider, model: u.model, direction: 'prompt' }, u.promptTokens);
    w.sample('sluice_tokens_total', { provider: u.provider, model: u.model, direction: 'completion' }, u.completionTokens);
  }
  w.family('sluice_spend_usd_total', 'counter', 'Upstream spend in US dollars.');
  for (const u of usage) w.sample('sluice_spend_usd_total', { provider: u.provider, model: u.model }, u.costUsd);
  w.family('sluice_spend_saved_usd_total', 'counter', 'Upstream spend avoided by cache hits, in US dollars.');
  for (const u of usage) w.sample('sluice_spend_saved_usd_total', { provider: u.provider, model: u.model }, u.savedUsd);

  w.family('sluice_breaker_state', 'gauge', 'Circuit breaker state per target: 1 for the current state, 0 for the others.');
  for (const b of input.breakers ?? []) for (const st of BREAKER_STATES) w.sample('sluice_breaker_state', { target: b.target, state: st }, b.state === st ? 1 : 0);

  w.family('sluice_queue_depth', 'gauge', 'Requests waiting in the scheduler queue.');
  w.sample('sluice_queue_depth', {}, input.queueDepth ?? 0);
  w.family('sluice_in_flight_requests', 'gauge', 'Requests being served right now.');
  w.sample('sluice_in_flight_requests', {}, input.inFlight ?? 0);
  if (input.openAlerts !== undefined) {
    w.family('sluice_alerts_open', 'gauge', 'Alerts currently open.');
    w.sample('sluice_alerts_open', {}, input.openAlerts);
  }

  const p = input.process;
  if (p) {
    w.family('sluice_process_cpu_ratio', 'gauge', 'CPU used by the process over the last sample, as a share of one core.');
    w.sample('sluice_process_cpu_ratio', {}, p.cpuPercent / 100);
    w.family('sluice_process_resident_memory_bytes', 'gauge', 'Resident set size.');
    w.sample('sluice_process_resident_memory_bytes', {}, p.rssBytes);
    w.family('sluice_process_heap_used_bytes', 'gauge', 'V8 heap in use.');
    w.sample('sluice_process_heap_used_bytes', {}, p.heapUsedBytes);
    w.family('sluice_event_loop_delay_p50_seconds', 'gauge', 'Median event-loop delay over the last sample.');
    w.sample('sluice_event_loop_delay_p50_seconds', {}, p.eventLoopDelay.p50Ms / 1000);
    w.family('sluice_event_loop_delay_p99_seconds', 'gauge', '99th percentile event-loop delay over the last sample.');
    w.sample('sluice_event_loop_delay_p99_seconds', {}, p.eventLoopDelay.p99Ms / 1000);
  }
  return w.lines.join('\n') + '\n';
}

/** Tiers looked up in order (memory, then disk, then semantic): a tier misses whatever a later one answered or nobody did. */
function derivedTiers(counters: CumulativeCounters): CacheTierStats[] {
  const r = counters.cacheResults();
  const n = (k: Parameters<typeof r.get>[0]) => r.get(k) ?? 0;
  const memory = n('hit-memory'); const disk = n('hit-disk'); const semantic = n('hit-semantic'); const stale = n('stale'); const miss = n('miss');
  return [
    { tier: 'memory', hits: memory, misses: disk + semantic + stale + miss, evictions: 0 },
    { tier: 'disk', hits: disk, misses: semantic + stale + miss, evictions: 0 },
    { tier: 'semantic', hits: semantic, misses: stale + miss, evictions: 0 },
  ];
}
