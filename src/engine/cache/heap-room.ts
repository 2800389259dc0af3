// Whether the memory tier's cap leaves the V8 heap room. Bodies are Buffers, outside the heap, but each
// entry's key, names and request text are on it, so a tier of many small entries fills the heap about as
// fast as its cap says; the host starts with a heap limit of 2,000 MB (scripts/host-node-flags.mjs).
import { getHeapStatistics } from 'node:v8';

/** A warning when a memory tier of `memoryBytes` could take over half of a heap limited to `heapLimitBytes`; else null. */
export function memoryTierHeapWarning(memoryBytes: number, heapLimitBytes: number): string | null {
  if (!(heapLimitBytes > 0) || memoryBytes <= heapLimitBytes / 2) return null;
  const mb = (b: number) => Math.round(b / 2 ** 20);
  return `the memory cache may hold ${mb(memoryBytes)} MB, over half the ${mb(heapLimitBytes)} MB heap Sluice runs with: `
    + `set SLUICE_MAX_HEAP_MB to about twice the memory cache (e.g. ${Math.ceil((mb(memoryBytes) * 2) / 256) * 256}), or lower cache.memoryMaxBytes`;
}

/** This process's heap limit, bytes. */
export const heapLimitBytes = (): number => getHeapStatistics().heap_size_limit;
