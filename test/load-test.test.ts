// The load generator behind the Load test page and `sluice bench`, against a real engine: its repeat
// ratio alone decides how many requests the cache can answer, run after run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadTest } from '../src/engine/loadtest/load-test.ts';
import type { LoadTestProgress, LoadTestSpec } from '../src/shared/loadtest.ts';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let sluice: TestEngine;
beforeAll(async () => { sluice = await startTestEngine({ providers: [fastSimulator] }); });
afterAll(async () => { await sluice.stop(); });

const spec = (repeatRatio: number): LoadTestSpec => ({ endpoint: 'chat', model: 'sim-chat', concurrency: 1, totalRequests: 30, repeatRatio });
const run = (repeatRatio: number, id: string) => runLoadTest({ baseUrl: sluice.url, spec: spec(repeatRatio), id });

describe('load test prompts', () => {
  it('with no repeats, every request is new to the cache, in a second run with the same prompts too', async () => {
    const first = await run(0, 'first');
    const second = await run(0, 'second');
    expect(first.cacheResults).toEqual({ miss: 30 });
    expect(second.cacheResults).toEqual({ miss: 30 });
    expect(second.succeeded).toBe(30);
  });

  it('repeats come from the repeat ratio, within the run', async () => {
    const all = await run(1, 'all-repeats');
    // the first prompt is new; every later one repeats it
    expect(all.cacheResults).toEqual({ miss: 1, 'hit-memory': 29 });
  });
});

describe('load test progress', () => {
  const watch = async (spec: LoadTestSpec) => {
    const progress: LoadTestProgress[] = [];
    const result = await runLoadTest({ baseUrl: sluice.url, spec, id: 'watched', progressIntervalMs: 0, onProgress: (p) => progress.push(p) });
    return { progress, result };
  };

  it('carries latency percentiles and the hit rate so far, ending where the result ends', async () => {
    const { progress, result } = await watch({ ...spec(1), totalRequests: 20 });
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // the first prompt is new, every later one a memory hit
    expect(progress[0]).toMatchObject({ done: 1, succeeded: 1, failed: 0, hitRate: 0, errors: {} });
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ done: 20, succeeded: 20, failed: 0, errors: {} });
    expect(last.hitRate).toBeCloseTo(19 / 20);
    expect(last.hitRate).toBeCloseTo(result.hitRate, 2);
    expect(last.latencyMs.p50).toBeGreaterThan(0);
    expect(last.latencyMs.p95).toBeGreaterThanOrEqual(last.latencyMs.p50);
    // a log histogram: within its ±2 % (and a rounding) of the exact percentile of the result
    expect(Math.abs(last.latencyMs.p95 - result.latencyMs.p95)).toBeLessThanOrEqual(result.latencyMs.p95 * 0.03 + 0.02);
  });

  it('counts errors by kind as they happen, not only in the result', async () => {
    const { progress, result } = await watch({ endpoint: 'chat', model: 'no-such-model', concurrency: 1, totalRequests: 4, repeatRatio: 0 });
    const kind = Object.keys(result.errors)[0];
    expect(kind).toMatch(/^HTTP 4\d\d$/);
    expect(progress.map((p) => [p.failed, p.errors[kind]])).toEqual([[1, 1], [2, 2], [3, 3], [4, 4]]);
    expect(progress.every((p) => p.succeeded === 0)).toBe(true);
  });
});
