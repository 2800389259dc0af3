// The Settings form's numbers, checked in the units the form shows (MiB, seconds, rows) before they
// go to the engine, so a mistake is named in the reader's language and unit rather than in bytes.
import type { GeneralSettings } from '../../../shared/admin/core-routes.ts';

export const MIB = 1024 * 1024;

type NumberSetting = 'cacheTtlSeconds' | 'cacheMemoryMaxBytes' | 'cacheDiskMaxBytes' | 'logMaxRows';

/** Each number's range as the engine takes it, and the unit the form shows it in. */
export const SETTING_RANGES: Record<NumberSetting, { min: number; max: number; scale: number }> = {
  cacheTtlSeconds: { min: 0, max: 10 * 365 * 86400, scale: 1 },
  cacheMemoryMaxBytes: { min: 0, max: 64 * 1024 ** 3, scale: MIB },
  cacheDiskMaxBytes: { min: 0, max: 1024 ** 4, scale: MIB },
  logMaxRows: { min: 100, max: 100_000_000, scale: 1 },
};

export interface SettingProblem { field: NumberSetting; min: number; max: number }

/** The numbers out of range, with their bounds in the form's units. */
export function settingsProblems(s: GeneralSettings): SettingProblem[] {
  const out: SettingProblem[] = [];
  for (const [field, r] of Object.entries(SETTING_RANGES) as Array<[NumberSetting, (typeof SETTING_RANGES)[NumberSetting]]>) {
    const v = s[field];
    if (!Number.isFinite(v) || v < r.min || v > r.max) out.push({ field, min: r.min / r.scale, max: r.max / r.scale });
  }
  return out;
}
