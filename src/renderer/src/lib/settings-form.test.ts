import { describe, expect, it } from 'vitest';
import type { GeneralSettings } from '../../../shared/admin/core-routes.ts';
import { MIB, settingsProblems } from './settings-form.ts';

const ok: GeneralSettings = {
  logBodies: false, logMaxRows: 1000, cacheEnabled: true, cacheTtlSeconds: 3600, cacheMode: 'deterministic',
  cacheMemoryMaxBytes: 256 * MIB, cacheDiskMaxBytes: 2048 * MIB, serveStale: true,
};

describe('settingsProblems', () => {
  it('names each number out of range with its bounds in the units the form shows', () => {
    expect(settingsProblems(ok)).toEqual([]);
    expect(settingsProblems({ ...ok, cacheMemoryMaxBytes: 99_999_999 * MIB, logMaxRows: 5, cacheTtlSeconds: Number.NaN })).toEqual([
      { field: 'cacheTtlSeconds', min: 0, max: 315_360_000 },
      { field: 'cacheMemoryMaxBytes', min: 0, max: 65_536 },
      { field: 'logMaxRows', min: 100, max: 100_000_000 },
    ]);
  });
});
