import { describe, it, expect } from 'vitest';
import { RunawayDetector, type RunawayEvent } from './runaway-detector.ts';

describe('RunawayDetector', () => {
  it('flags one client repeating one prompt far above its usual rate, then clears', () => {
    const det = new RunawayDetector();
    const events: RunawayEvent[] = [];
    let t = 0;
    // 5 minutes of normal use: each prompt at most twice, several clients
    for (; t < 300_000; t += 100) {
      const e = det.observe(`c${t % 3}`, `p${Math.floor(t / 200)}`, t);
      if (e) events.push(e);
      if (t % 1000 === 0) events.push(...det.sweep(t));
    }
    expect(events).toEqual([]);
    const onset = t;
    // c1 loops on one prompt at 10/s for 30 s
    for (; t < onset + 30_000; t += 100) {
      const e = det.observe('c1', 'loop', t) ?? det.observe('c0', `n${t}`, t);
      if (e) events.push(e);
      if (t % 1000 === 0) events.push(...det.sweep(t));
    }
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'opened', client: 'c1', fingerprint: 'loop' });
    expect(events[0].count).toBeGreaterThanOrEqual(30);
    for (let end = t + 20_000; t < end; t += 1000) events.push(...det.sweep(t));
    expect(events.map((e) => e.type)).toEqual(['opened', 'resolved']);
  });

  it('does not flag a client whose usual traffic repeats prompts a lot', () => {
    const det = new RunawayDetector({ minRepeats: 10, factor: 5 });
    let flagged = 0;
    for (let t = 0; t < 600_000; t += 100) {
      if (det.observe('batch-job', `p${Math.floor(t / 3000)}`, t) && t > 10_000) flagged++;
      if (t % 1000 === 0) det.sweep(t);
    }
    // 30 repeats per 3 s is this client's normal: its very first bursts may be flagged, then it is learnt
    expect(flagged).toBe(0);
  });

  it('keeps memory bounded', () => {
    const det = new RunawayDetector({ maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) det.observe('c', `p${i}`, i);
    expect(det.trackedPairs).toBeLessThanOrEqual(100);
  });

  it('validates its options', () => {
    expect(() => new RunawayDetector({ minRepeats: 1 })).toThrow(/minRepeats/);
    expect(() => new RunawayDetector({ windowMs: Number.NaN })).toThrow(/windowMs/);
  });
});
