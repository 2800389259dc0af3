import { describe, expect, it } from 'vitest';
import { LimitDetector } from './limit-detector.ts';

describe('LimitDetector', () => {
  it('opens after three samples in a row above the limit, whatever came before', () => {
    const d = new LimitDetector({ limit: 0.2 });
    expect([d.observe(0.29), d.observe(0.29)]).toEqual([null, null]);
    expect(d.observe(0.29)).toEqual({ type: 'opened', value: 0.29, limit: 0.2 });
    for (let i = 0; i < 100; i++) expect(d.observe(0.29)).toBeNull(); // a lasting rate is not learnt as normal
    expect(d.active).toBe(true);
    const fresh = new LimitDetector({ limit: 0.2 });
    expect([0.25, 0.3, 0.19, 0.25, 0.21].map((v) => fresh.observe(v))).toEqual([null, null, null, null, null]);
    expect(fresh.observe(0.22)).toEqual({ type: 'opened', value: 0.22, limit: 0.2 });
  });

  it('ignores missing samples, and ends after ten in a row at or below the limit', () => {
    const d = new LimitDetector({ limit: 0.2 });
    for (const v of [0.3, null, 0.3]) expect(d.observe(v)).toBeNull();
    expect(d.observe(0.3)?.type).toBe('opened');
    for (let i = 0; i < 9; i++) expect(d.observe(i === 4 ? null : 0.2)).toBeNull();
    expect(d.observe(0.25)).toBeNull(); // one more above: the calm run starts again
    for (let i = 0; i < 9; i++) expect(d.observe(0.01)).toBeNull();
    expect(d.observe(0.01)).toEqual({ type: 'resolved', value: 0.01, limit: 0.2 });
    expect(d.active).toBe(false);
  });

  it('refuses bad options', () => {
    expect(() => new LimitDetector({ limit: Number.NaN })).toThrow(/limit/);
    expect(() => new LimitDetector({ limit: 0.2, openSamples: 0 })).toThrow(/openSamples/);
  });
});
