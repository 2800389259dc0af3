// The load generator behind the Load test page and `sluice bench`, against a real engine: its repeat
// ratio alone decides how many requests the cache can answer, run after run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadTest } from '../src/engine/loadtest/load-test.ts';
import type { LoadTestSpec } from '../src/shared/loadtest.ts';
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
