// Process CPU, memory and event-loop delay. The sources are injectable so tests give fixed figures;
// by default they are process.cpuUsage, process.memoryUsage and perf_hooks.monitorEventLoopDelay.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ProcessStats } from '../../shared/metrics.ts';
import type { Clock } from '../clock.ts';

export interface ProcessStatsSources {
  cpuUsage(): { user: number; system: number };
  memoryUsage(): { rss: number; heapUsed: number; heapTotal: number };
  /** Event-loop delay since the last reset, in ms. */
  eventLoopDelay(): { meanMs: number; p50Ms: number; p99Ms: number; maxMs: number };
  resetEventLoopDelay(): void;
  close(): void;
}

/** The part of perf_hooks' event-loop delay histogram the sources read. */
export type DelayHistogram = Pick<ReturnType<typeof monitorEventLoopDelay>, 'count' | 'mean' | 'max' | 'percentile' | 'enable' | 'disable' | 'reset'>;

/**
 * Node's sources. The histogram times the loop's timer from one run to the next, so every sample
 * includes the timer's own `resolutionMs`: an idle loop read as 20 ms of delay, and health's 200 ms
 * limit acted at 180. What is reported is the lateness beyond it.
 */
export function nodeProcessSources(resolutionMs = 20, histogram: (o: { resolution: number }) => DelayHistogram = monitorEventLoopDelay): ProcessStatsSources {
  const h = histogram({ resolution: resolutionMs });
  h.enable();
  const late = (ns: number) => (Number.isFinite(ns) ? Math.max(0, ns / 1e6 - resolutionMs) : 0);
  return {
    cpuUsage: () => process.cpuUsage(),
    memoryUsage: () => process.memoryUsage(),
    eventLoopDelay: () => (h.count === 0
      ? { meanMs: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 }
      : { meanMs: late(h.mean), p50Ms: late(h.percentile(50)), p99Ms: late(h.percentile(99)), maxMs: late(h.max) }),
    resetEventLoopDelay: () => h.reset(),
    close: () => h.disable(),
  };
}

export interface ProcessStatsSamplerOptions {
  clock: Clock;
  sources?: ProcessStatsSources;
}

/** Each `sample()` covers the time since the previous one (CPU share, event-loop delay). */
export class ProcessStatsSampler {
  readonly #clock: Clock;
  readonly #sources: ProcessStatsSources;
  #lastCpu: { user: number; system: number };
  #lastAt: number;
  #latest: ProcessStats | null = null;

  constructor(opts: ProcessStatsSamplerOptions) {
    if (!opts?.clock) throw new TypeError('ProcessStatsSampler: options.clock is required');
    this.#clock = opts.clock;
    this.#sources = opts.sources ?? nodeProcessSources();
    this.#lastCpu = this.#sources.cpuUsage();
    this.#lastAt = this.#clock.monotonic();
  }

  /** The last sample taken, or null before the first. */
  get latest(): ProcessStats | null { return this.#latest; }

  sample(): ProcessStats {
    const now = this.#clock.monotonic();
    const cpu = this.#sources.cpuUsage();
    const elapsedUs = (now - this.#lastAt) * 1000;
    const usedUs = (cpu.user - this.#lastCpu.user) + (cpu.system - this.#lastCpu.system);
    this.#lastCpu = cpu;
    this.#lastAt = now;
    const mem = this.#sources.memoryUsage();
    const eld = this.#sources.eventLoopDelay();
    this.#sources.resetEventLoopDelay();
    this.#latest = {
      cpuPercent: elapsedUs > 0 ? Math.max(0, (usedUs / elapsedUs) * 100) : 0,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      heapTotalBytes: mem.heapTotal,
      eventLoopDelay: eld,
    };
    return this.#latest;
  }

  close(): void { this.#sources.close(); }
}
