import { describe, expect, it } from 'vitest';
import { memoryTierHeapWarning } from './heap-room.ts';

const MB = 2 ** 20;

describe('memoryTierHeapWarning', () => {
  it('is quiet while the memory tier takes at most half the heap limit', () => {
    expect(memoryTierHeapWarning(256 * MB, 2000 * MB)).toBeNull();
    expect(memoryTierHeapWarning(1000 * MB, 2000 * MB)).toBeNull();
  });

  it('says what to set when the tier could take more, with a heap limit that fits it', () => {
    const warning = memoryTierHeapWarning(1500 * MB, 2000 * MB);
    expect(warning).toContain('1500 MB');
    expect(warning).toContain('2000 MB');
    expect(warning).toContain('SLUICE_MAX_HEAP_MB');
    expect(warning).toContain('3072');
  });
});
