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
    expect(events[0]).toMatchObject({ type: 'opened', client: 'c1', fingerprint: 'loop', prompts: 1 });
    expect(events[0].count).toBeGreaterThanOrEqual(30);
    for (let end = t + 20_000; t < end; t += 1000) events.push(...det.sweep(t));
    expect(events.map((e) => e.type)).toEqual(['opened', 'resolved']);
    expect(events[1]).toMatchObject({ client: 'c1', prompts: 0 });
  });

  it('reports a client looping through many prompts as one runaway, updated per prompt, resolved when all calm down', () => {
    const det = new RunawayDetector({ minRepeats: 5 });
    const events: RunawayEvent[] = [];
    let t = 0;
    // one burst: 40 different prompts, each sent 6 times, plus a well-behaved client
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 40; i++, t += 10) {
        const e = det.observe('ip:127.0.0.1', `prompt-${i}`, t) ?? det.observe('other', `q${t}`, t);
        if (e) events.push(e);
      }
    }
    expect(events.every((e) => e.client === 'ip:127.0.0.1')).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['opened', ...Array<string>(39).fill('updated')]);
    expect(events.map((e) => e.prompts)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(events[39]).toMatchObject({ count: 5 });
    // a few more repeats of one prompt make it the most repeated
    for (let k = 0; k < 4; k++, t += 10) det.observe('ip:127.0.0.1', 'prompt-7', t);
    expect(det.observe('ip:127.0.0.1', 'prompt-7', t)).toBeNull(); // already looping: no new event
    for (let end = t + 30_000; t < end; t += 1000) events.push(...det.sweep(t));
    const after = events.slice(40);
    expect(after.map((e) => [e.type, e.client, e.prompts])).toEqual([['resolved', 'ip:127.0.0.1', 0]]);
  });

  it('keeps a new client that starts out looping flagged until it stops, not only until its usual rate is learnt', () => {
    const det = new RunawayDetector();
    const events: Array<[number, string]> = [];
    for (let t = 0; t < 90_000; t += 100) {
      const e = t < 60_000 ? det.observe('new-client', 'same', t) : null;
      if (e) events.push([t, e.type]);
      if (t % 1000 === 0) for (const x of det.sweep(t)) events.push([t, x.type]);
    }
    expect(events.map(([, type]) => type)).toEqual(['opened', 'resolved']);
    expect(events[0][0]).toBeLessThan(5000);
    expect(events[1][0]).toBeGreaterThanOrEqual(60_000); // the loop ran for a minute
    expect(events[1][0]).toBeLessThanOrEqual(70_000);
  });

  it('names the most repeated prompt of a looping client', () => {
    const det = new RunawayDetector({ minRepeats: 5 });
    const events: RunawayEvent[] = [];
    const send = (fingerprint: string, times: number, t: number) => {
      for (let i = 0; i < times; i++) { const e = det.observe('c', fingerprint, t + i); if (e) events.push(e); }
    };
    send('often', 9, 0);
    send('less', 5, 100);
    expect(events.map((e) => [e.type, e.fingerprint, e.count, e.prompts])).toEqual([['opened', 'often', 5, 1], ['updated', 'often', 9, 2]]);
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
