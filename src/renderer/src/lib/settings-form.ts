// The Settings form's numbers, shown and checked in the units the form shows (MiB, seconds, rows) before
// they go to the engine, so a mistake is named in the reader's language and unit rather than in bytes. A
// stored number is shown exactly, so a save of the form as it stands never changes one.
import { GENERAL_SETTING_RANGES, type GeneralSettings } from '../../../shared/admin/core-routes.ts';

export const MIB = 1024 * 1024;

export type NumberSetting = keyof typeof GENERAL_SETTING_RANGES;

/** The unit each number is shown in on the form: MiB for sizes, as it is for the rest. */
const SCALE: Record<NumberSetting, number> = { cacheTtlSeconds: 1, cacheMemoryMaxBytes: MIB, cacheDiskMaxBytes: MIB, logMaxRows: 1 };

/** Whether a field takes a fraction of its unit (a size in MiB: whole bytes are what is stored). */
export const takesFraction = (field: NumberSetting): boolean => SCALE[field] !== 1;

/**
 * What a typed text stands for in the engine's unit: sizes in whole bytes, the rest as typed (a fraction of
 * a second or a row is kept, for the check to refuse). NaN when it is blank or not a number.
 */
export function settingValue(field: NumberSetting, text: string): number {
  const s = text.trim();
  const n = s === '' ? Number.NaN : Number(s);
  if (!Number.isFinite(n)) return Number.NaN;
  return takesFraction(field) ? Math.round(n * SCALE[field]) : n;
}

/**
 * A stored number as the field shows it: exactly, in the fewest decimals that come back to the same value
 * (1572864 bytes → "1.5", not "2"; seven decimals of a MiB tell every byte apart).
 */
export function settingText(field: NumberSetting, value: number): string {
  if (!Number.isFinite(value)) return '';
  if (!takesFraction(field)) return String(value);
  for (let decimals = 0; decimals <= 7; decimals += 1) {
    const fixed = (value / SCALE[field]).toFixed(decimals);
    const text = decimals ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
    if (settingValue(field, text) === value) return text;
  }
  return String(value / SCALE[field]);
}

/** A number out of range, with its bounds in the form's units; `whole` when the field takes whole numbers only. */
export interface SettingProblem { field: NumberSetting; min: number; max: number; whole: boolean }


/**
 * The fields the form changed from what the engine holds: all the form saves. The engine saves only the
 * keys it is sent, and a saved key wins over the config file, so sending the untouched fields too would
 * freeze them against later edits of the file.
 */
export function changedSettings(draft: GeneralSettings, server: GeneralSettings | null): Partial<GeneralSettings> {
  if (!server) return draft;
  return Object.fromEntries(Object.entries(draft).filter(([k, v]) => v !== server[k as keyof GeneralSettings])) as Partial<GeneralSettings>;
}


/** The numbers out of range (or, where the unit is whole, with a fraction), with their bounds in the form's units. */
export function settingsProblems(s: GeneralSettings): SettingProblem[] {
  const out: SettingProblem[] = [];
  for (const field of Object.keys(GENERAL_SETTING_RANGES) as NumberSetting[]) {
    const { min, max } = GENERAL_SETTING_RANGES[field];
    const v = s[field];
    if (!Number.isInteger(v) || v < min || v > max) out.push({ field, min: min / SCALE[field], max: max / SCALE[field], whole: !takesFraction(field) });
  }
  return out;
}
