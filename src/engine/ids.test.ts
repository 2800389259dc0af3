import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './ids.ts';

describe('timeOrderedId', () => {
  it('is 24 hex characters that sort by time', () => {
    const t = Date.UTC(2026, 11, 3, 7, 0, 0);
    const earlier = timeOrderedId(t);
    const later = timeOrderedId(t + 1);
    expect(earlier).toMatch(/^[0-9a-f]{24}$/);
    expect(earlier < later).toBe(true);
    expect(earlier.slice(0, 11)).toBe(t.toString(16).padStart(11, '0'));
  });

  it('differs within the same millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => timeOrderedId(1_000)));
    expect(ids.size).toBe(10_000);
  });
});
