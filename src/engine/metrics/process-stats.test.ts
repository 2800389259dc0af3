import { describe, it, expect } from 'vitest';
import { ManualClock } from '../clock.ts';
import { ProcessStatsSampler, nodeProcessSources, type DelayHistogram, type ProcessStatsSources } from './process-stats.ts';

function fakeSources() {
  const state = { user: 0, system: 0, resets: 0, closed: false };
  const sources: ProcessStatsSources = {
    cpuUsage: () => ({ user: state.user, system: state.system }),
    memoryUsage: () => ({ rss: 100e6, heapUsed: 20e6, heapTotal: 40e6 }),
    eventLoopDelay: () => ({ meanMs: 1, p50Ms: 1, p99Ms: 12, maxMs: 30 }),
    resetEventLoopDelay: () => { state.resets++; },
    close: () => { state.closed = true; },
  };
  return { state, sources };
}

describe('ProcessStatsSampler', () => {
  it('reports the CPU share used since the previous sample', () => {
    const clock = new ManualClock();
    const { state, sources } = fakeSources();
    const s = new ProcessStatsSampler({ clock, sources });
    clock.advance(1000);
    state.user += 250_000; state.system += 50_000; // 0.3 s of CPU in 1 s
    const a = s.sample();
    expect(a.cpuPercent).toBeCloseTo(30);
    expect(a.rssBytes).toBe(100e6);
    expect(a.eventLoopDelay.p99Ms).toBe(12);
    expect(state.resets).toBe(1);
    clock.advance(2000);
    expect(s.sample().cpuPercent).toBe(0);
    expect(s.latest?.cpuPercent).toBe(0);
    s.close();
    expect(state.closed).toBe(true);
  });

  it('reads real figures from this process', () => {
    const src = nodeProcessSources();
    try {
      expect(src.memoryUsage().rss).toBeGreaterThan(1e6);
      expect(src.eventLoopDelay().p99Ms).toBeGreaterThanOrEqual(0);
    } finally { src.close(); }
  });

  it("reports the loop's lateness beyond the timer's own interval, which Node's histogram includes", () => {
    // what Node 24 records on an idle loop with a 20 ms resolution: 20.1–22 ms between timer runs
    const idle: DelayHistogram = {
      count: 50, mean: 20.3e6, max: 22.15e6, percentile: (q: number) => (q === 50 ? 20.15e6 : 21.9e6),
      enable: () => true, disable: () => true, reset: () => {},
    };
    const src = nodeProcessSources(20, () => idle);
    const d = src.eventLoopDelay();
    expect(d.p50Ms).toBeCloseTo(0.15, 5);
    expect(d.p99Ms).toBeCloseTo(1.9, 5);
    expect(d.maxMs).toBeCloseTo(2.15, 5);
    // a blocked loop: its timer ran 97 ms after the previous run, 77 ms late
    const blocked: DelayHistogram = { ...idle, max: 97e6, percentile: () => 97e6 };
    expect(nodeProcessSources(20, () => blocked).eventLoopDelay().p99Ms).toBeCloseTo(77, 5);
  });
});
