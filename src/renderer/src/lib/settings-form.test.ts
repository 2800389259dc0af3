import { describe, expect, it } from 'vitest';
import type { GeneralSettings } from '../../../shared/admin/core-routes.ts';
import { changedSettings, MIB, settingsProblems, settingText, settingValue } from './settings-form.ts';

const ok: GeneralSettings = {
  logBodies: false, logMaxRows: 1000, cacheEnabled: true, cacheTtlSeconds: 3600, cacheMode: 'deterministic',
  cacheMemoryMaxBytes: 256 * MIB, cacheDiskMaxBytes: 2048 * MIB, serveStale: true,
};

describe('settingsProblems', () => {
  it('names each number out of range with its bounds in the units the form shows', () => {
    expect(settingsProblems(ok)).toEqual([]);
    expect(settingsProblems({ ...ok, cacheMemoryMaxBytes: 99_999_999 * MIB, logMaxRows: 5, cacheTtlSeconds: Number.NaN })).toEqual([
      { field: 'cacheTtlSeconds', min: 0, max: 315_360_000, whole: true },
      { field: 'cacheMemoryMaxBytes', min: 0, max: 65_536, whole: false },
      { field: 'logMaxRows', min: 100, max: 100_000_000, whole: true },
    ]);
  });

  it('refuses a fraction of a second or of a row instead of rounding it away', () => {
    expect(settingsProblems({ ...ok, cacheTtlSeconds: settingValue('cacheTtlSeconds', '1.5'), logMaxRows: settingValue('logMaxRows', '1000.2') }).map((p) => p.field))
      .toEqual(['cacheTtlSeconds', 'logMaxRows']);
    expect(settingsProblems({ ...ok, cacheMemoryMaxBytes: settingValue('cacheMemoryMaxBytes', '1.5') })).toEqual([]);
  });
});

describe('a size shown in MiB', () => {
  it('shows a stored size exactly, in as few decimals as it takes', () => {
    expect(settingText('cacheMemoryMaxBytes', 1_572_864)).toBe('1.5');
    expect(settingText('cacheMemoryMaxBytes', 256 * MIB)).toBe('256');
    expect(settingText('cacheMemoryMaxBytes', 0)).toBe('0');
    expect(settingText('cacheDiskMaxBytes', 10 * MIB + 1)).toBe('10.000001');
    expect(settingText('cacheMemoryMaxBytes', 1)).toBe('0.000001');
    expect(settingText('cacheMemoryMaxBytes', Number.NaN)).toBe('');
    expect(settingText('cacheTtlSeconds', 3600)).toBe('3600');
  });

  it('comes back to the same bytes for every size, so a save of the form as shown changes nothing', () => {
    const sizes = [1, 2, 3, 511, 1023, 1_572_864, 1_572_865, 123_456_789, 64 * 1024 ** 3 - 1, 1024 ** 4];
    for (let i = 0; i < 2000; i += 1) sizes.push(Math.floor(((i * 2_654_435_761) % 2 ** 32) * 256));
    for (const bytes of sizes) expect(settingValue('cacheDiskMaxBytes', settingText('cacheDiskMaxBytes', bytes)), String(bytes)).toBe(bytes);
  });

  it('reads what is typed in whole bytes; blank or not a number is NaN', () => {
    expect(settingValue('cacheMemoryMaxBytes', ' 1.5 ')).toBe(1_572_864);
    expect(settingValue('cacheMemoryMaxBytes', '')).toBeNaN();
    expect(settingValue('cacheMemoryMaxBytes', 'lots')).toBeNaN();
    expect(settingValue('cacheTtlSeconds', '1.5')).toBe(1.5);
  });
});

describe('changedSettings', () => {
  it('gives only the fields the form changed, so saving does not freeze the others against the config file', () => {
    expect(changedSettings(ok, ok)).toEqual({});
    expect(changedSettings({ ...ok, cacheTtlSeconds: 60, logBodies: true }, ok)).toEqual({ cacheTtlSeconds: 60, logBodies: true });
    expect(changedSettings(ok, null)).toEqual(ok);
  });
});
