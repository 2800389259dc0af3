import { describe, it, expect } from 'vitest';
import { SentenceGate } from './sentence-gate.ts';

describe('SentenceGate', () => {
  it('lets at most `limit` run, in arrival order', async () => {
    const gate = new SentenceGate({ limit: 2 });
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const runs = [0, 1, 2, 3].map((i) => gate.run(() => new Promise<number>((resolve) => { order.push(i); releases.push(() => resolve(i)); })));
    await Promise.resolve();
    expect(order).toEqual([0, 1]);
    expect(gate.waiting).toBe(2);
    releases[1]();
    await runs[1];
    await Promise.resolve();
    expect(order).toEqual([0, 1, 2]);
    releases[0](); releases[2]();
    await Promise.all([runs[0], runs[2]]);
    await Promise.resolve();
    releases[3]();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(gate.active).toBe(0);
  });

  it('stops waiting when the signal aborts, without taking a slot', async () => {
    const gate = new SentenceGate({ limit: 1 });
    let release!: () => void;
    const held = gate.run(() => new Promise<void>((r) => { release = r; }));
    const ac = new AbortController();
    const waiting = gate.run(async () => 'never', ac.signal);
    ac.abort(new Error('client gone'));
    await expect(waiting).rejects.toThrow('client gone');
    expect(gate.waiting).toBe(0);
    release();
    await held;
    expect(await gate.run(async () => 'next')).toBe('next');
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new SentenceGate({ limit: 0 })).toThrow(/limit/);
  });
});
