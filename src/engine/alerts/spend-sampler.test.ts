import { describe, expect, it } from 'vitest';
import { SpendSampler } from './spend-sampler.ts';

/** Feeds seconds [usd, charges] and returns the samples with the second (1-based) each closed on. */
function feed(s: SpendSampler, seconds: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  seconds.forEach(([usd, charges], i) => { const v = s.push(usd, charges); if (v !== null) out.push([i + 1, v]); });
  return out;
}

describe('SpendSampler', () => {
  it('closes a block once it holds enough priced requests, and not before its shortest length', () => {
    const s = new SpendSampler({ minSeconds: 5, minCharges: 4, maxSeconds: 300 });
    // a priced request of $0.001 every 3 s: the block closes on the 4th, at 10 s, with the mean rate
    const sparse: Array<[number, number]> = Array.from({ length: 10 }, (_, i) => (i % 3 === 0 ? [0.001, 1] : [0, 0]));
    expect(feed(s, sparse)).toEqual([[10, expect.closeTo((0.004 / 10) * 3600, 9)]]);
    // dense: four in the first second, but a block lasts at least 5 s
    expect(feed(s, Array.from({ length: 10 }, (): [number, number] => [0.004, 4]))).toEqual([
      [5, expect.closeTo(0.004 * 3600, 9)], [10, expect.closeTo(0.004 * 3600, 9)],
    ]);
  });

  it('closes a block at its longest length with what it holds, 0 when nothing was spent', () => {
    const s = new SpendSampler({ minSeconds: 5, minCharges: 20, maxSeconds: 60 });
    const out = feed(s, Array.from({ length: 120 }, (_, i): [number, number] => (i === 70 ? [0.01, 1] : [0, 0])));
    expect(out).toEqual([[60, 0], [120, expect.closeTo((0.01 / 60) * 3600, 9)]]);
  });

  it('validates its options', () => {
    expect(() => new SpendSampler({ minCharges: 0 })).toThrow(/minCharges/);
    expect(() => new SpendSampler({ minSeconds: 10, maxSeconds: 5 })).toThrow(/maxSeconds/);
  });
});
