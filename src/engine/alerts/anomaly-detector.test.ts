import { describe, it, expect } from 'vitest';
import { AnomalyDetector, type AnomalyEvent } from './anomaly-detector.ts';

/** Deterministic noise in [-1, 1). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 31 - 1; };
}

function run(det: AnomalyDetector, values: number[]): Array<AnomalyEvent & { i: number }> {
  const out: Array<AnomalyEvent & { i: number }> = [];
  values.forEach((v, i) => { const e = det.observe(v); if (e) out.push({ ...e, i }); });
  return out;
}

describe('AnomalyDetector', () => {
  it('stays quiet on an hour of noisy steady data', () => {
    const r = noise(1);
    const det = new AnomalyDetector({ direction: 'up', minScale: 5 });
    expect(run(det, Array.from({ length: 3600 }, () => 200 + 20 * r()))).toEqual([]);
  });

  it('opens within seconds of a spike and resolves once it passes', () => {
    const r = noise(2);
    const det = new AnomalyDetector({ direction: 'up', minScale: 5 });
    const values = Array.from({ length: 900 }, (_, i) => (i >= 600 && i < 630 ? 1000 : 200) + 20 * r());
    const events = run(det, values);
    expect(events.map((e) => [e.type, e.reason])).toEqual([['opened', 'spike'], ['resolved', 'spike']]);
    expect(events[0].i - 600).toBeLessThanOrEqual(3);
    expect(events[0].baseline).toBeCloseTo(200, -1);
    expect(events[1].i).toBeGreaterThanOrEqual(630);
  });

  it('ignores a change in the harmless direction', () => {
    const det = new AnomalyDetector({ direction: 'down', minScale: 0.02 });
    const r = noise(3);
    expect(run(det, Array.from({ length: 600 }, (_, i) => (i > 300 ? 0.95 : 0.7) + 0.03 * r()))).toEqual([]);
  });

  it('catches a slow drift the median would follow', () => {
    const r = noise(4);
    const det = new AnomalyDetector({ direction: 'up', minScale: 5 });
    // 20 min steady, then +100 % over 10 min
    const values = Array.from({ length: 1800 }, (_, i) => 200 * (1 + Math.max(0, i - 1200) / 600) + 20 * r());
    const events = run(det, values);
    expect(events[0]?.type).toBe('opened');
    expect(events[0].i - 1200).toBeLessThan(180);
  });

  it('says nothing during warm-up and skips missing samples', () => {
    const det = new AnomalyDetector({ direction: 'up', minScale: 1, warmupSamples: 10, baselineSize: 20 });
    expect(run(det, [1, 1, 1, 1, 1, 100, 100, 100, 100])).toEqual([]);
    expect(det.observe(null)).toBeNull();
    expect(det.warmedUp).toBe(false);
  });

  it('learns a lasting level shift as the new normal', () => {
    const r = noise(5);
    const det = new AnomalyDetector({ direction: 'both', minScale: 1, adaptAfterSamples: 60, baselineEvery: 1, baselineSize: 120 });
    const values = Array.from({ length: 1200 }, (_, i) => (i > 200 ? 100 : 50) + 3 * r());
    const events = run(det, values);
    expect(events.map((e) => e.type)).toEqual(['opened', 'resolved']);
  });

  it('validates its options', () => {
    expect(() => new AnomalyDetector({ direction: 'sideways' as never, minScale: 1 })).toThrow(/direction/);
    expect(() => new AnomalyDetector({ direction: 'up', minScale: 1, spikeSamples: 0 })).toThrow(/spikeSamples/);
    expect(() => new AnomalyDetector({ direction: 'up', minScale: 1, warmupSamples: 700 })).toThrow(/warmupSamples/);
  });
});
