import { describe, expect, it, vi } from 'vitest';
import { heapLimitMb } from '../scripts/host-node-flags.mjs';

describe('heapLimitMb', () => {
  it('is 2,000 MB unless SLUICE_MAX_HEAP_MB gives a whole number from 256', () => {
    expect(heapLimitMb({})).toBe(2000);
    expect(heapLimitMb({ SLUICE_MAX_HEAP_MB: '4096' })).toBe(4096);
  });

  it('says so, and keeps 2,000, when SLUICE_MAX_HEAP_MB is not such a number', () => {
    const write = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    try {
      expect(heapLimitMb({ SLUICE_MAX_HEAP_MB: '2g' })).toBe(2000);
      expect(heapLimitMb({ SLUICE_MAX_HEAP_MB: '100' })).toBe(2000);
      expect(write).toHaveBeenCalledWith(expect.stringContaining("SLUICE_MAX_HEAP_MB must be a whole number of MB from 256, got '2g'"));
    } finally {
      write.mockRestore();
    }
  });
});
