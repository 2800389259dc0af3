import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CumulativeCounters } from './cumulative-counters.ts';
import { renderPrometheus } from './prometheus-exposition.ts';
import { recordedRequest as req } from '../../../test/helpers/test-requests.ts';

function sampleText(): string {
  const c = new CumulativeCounters();
  c.add(req({ latencyMs: 3 }));
  c.add(req({ latencyMs: 700, status: 502, cache: 'miss', model: 'we"ird\\model\nname' }));
  c.add(req({ latencyMs: 40, cache: 'hit-disk', savedUsd: 0.01, costUsd: 0 }));
  c.add(req({ endpoint: 'other', path: '/nope/123', latencyMs: 1 }));
  return renderPrometheus({
    counters: c,
    breakers: [{ target: 'openai/gpt-4o', state: 'open' }],
    queueDepth: 4,
    inFlight: 2,
    openAlerts: 1,
    process: { cpuPercent: 12, rssBytes: 1e8, heapUsedBytes: 5e7, heapTotalBytes: 8e7, eventLoopDelay: { meanMs: 1, p50Ms: 1, p99Ms: 9, maxMs: 20 } },
  });
}

function promtool(): string | null {
  const r = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  return r.error ? null : 'promtool';
}

describe('renderPrometheus', () => {
  it('exposes cumulative latency buckets, counters per label set and gauges', () => {
    const text = sampleText();
    const line = (prefix: string) => text.split('\n').find((l) => l.startsWith(prefix));
    expect(line('sluice_request_duration_seconds_bucket{route="/v1/chat/completions",provider="openai",model="gpt-4o-mini",status="200",cache="miss",le="0.005"}')).toMatch(/ 1$/);
    expect(line('sluice_request_duration_seconds_bucket{route="/v1/chat/completions",provider="openai",model="gpt-4o-mini",status="200",cache="miss",le="+Inf"}')).toMatch(/ 1$/);
    expect(text).toContain('model="we\\"ird\\\\model\\nname",status="502"');
    expect(text).toContain('route="other"');
    expect(line('sluice_breaker_state{target="openai/gpt-4o",state="open"}')).toMatch(/ 1$/);
    expect(line('sluice_breaker_state{target="openai/gpt-4o",state="closed"}')).toMatch(/ 0$/);
    expect(line('sluice_cache_hits_total{tier="disk"}')).toMatch(/ 1$/);
    expect(line('sluice_cache_misses_total{tier="memory"}')).toMatch(/ 4$/);
    expect(line('sluice_spend_saved_usd_total')).toMatch(/ 0.01$/);
    expect(line('sluice_queue_depth')).toBe('sluice_queue_depth 4');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('passes promtool check metrics', () => {
    const tool = promtool();
    if (!tool) {
      // Absent locally is tolerated; in CI the check is mandatory.
      expect(process.env.CI !== 'true', 'promtool is required under CI=true (apt-get install prometheus)').toBe(true);
      return;
    }
    const r = spawnSync(tool, ['check', 'metrics'], { input: sampleText(), encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
