// The Settings form's numbers, checked in the units the form shows (MiB, seconds, rows) before they
// go to the engine, so a mistake is named in the reader's language and unit rather than in bytes.
import { GENERAL_SETTING_RANGES, type GeneralSettings } from '../../../shared/admin/core-routes.ts';

export const MIB = 1024 * 1024;

type NumberSetting = keyof typeof GENERAL_SETTING_RANGES;

/** The unit each number is shown in on the form: MiB for sizes, as it is for the rest. */
const SCALE: Record<NumberSetting, number> = { cacheTtlSeconds: 1, cacheMemoryMaxBytes: MIB, cacheDiskMaxBytes: MIB, logMaxRows: 1 };

export interface SettingProblem { field: NumberSetting; min: number; max: number }

/** The numbers out of range, with their bounds in the form's units. */
export function settingsProblems(s: GeneralSettings): SettingProblem[] {
  const out: SettingProblem[] = [];
  for (const field of Object.keys(GENERAL_SETTING_RANGES) as NumberSetting[]) {
    const { min, max } = GENERAL_SETTING_RANGES[field];
    const v = s[field];
    if (!Number.isFinite(v) || v < min || v > max) out.push({ field, min: min / SCALE[field], max: max / SCALE[field] });
  }
  return out;
}
