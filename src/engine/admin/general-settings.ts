// The general settings of PUT /admin/api/settings, as keys of the config file (`cacheTtlSeconds` is the
// file's `cache.ttlSeconds`). Only the keys set through the API are saved, so the config file keeps
// controlling the others: a saved key wins over the file on every start, and the start names the keys
// where it does so with a value other than the file's. `null` forgets a saved key: the file's value
// applies again.
//
// An older build saved all eight keys on any PUT. Such a saved object is kept as it is (it holds what the
// person saw and may have meant); the start's line names the keys where it now differs from the file.
import type { GeneralSettings, GeneralSettingsInput } from '../../shared/admin/core-routes.ts';
import type { SluiceConfig } from '../../shared/config.ts';

/** Each setting's section and key in the config file. */
export const GENERAL_SETTING_KEYS = {
  logBodies: ['log', 'bodies'],
  logMaxRows: ['log', 'maxRows'],
  cacheEnabled: ['cache', 'enabled'],
  cacheTtlSeconds: ['cache', 'ttlSeconds'],
  cacheMode: ['cache', 'mode'],
  cacheMemoryMaxBytes: ['cache', 'memoryMaxBytes'],
  cacheDiskMaxBytes: ['cache', 'diskMaxBytes'],
  serveStale: ['cache', 'serveStale'],
} as const satisfies Record<keyof GeneralSettings, readonly ['log' | 'cache', string]>;

type Key = keyof GeneralSettings;
const KEYS = Object.keys(GENERAL_SETTING_KEYS) as Key[];

const sectionOf = (cfg: SluiceConfig, k: Key) => cfg[GENERAL_SETTING_KEYS[k][0]] as unknown as Record<string, unknown>;

/** The settings as the config holds them now. */
export function generalSettings(cfg: SluiceConfig): GeneralSettings {
  return Object.fromEntries(KEYS.map((k) => [k, sectionOf(cfg, k)[GENERAL_SETTING_KEYS[k][1]]])) as unknown as GeneralSettings;
}

/** Sets the given settings in `cfg`; the keys `settings` leaves out keep their value. */
export function applyGeneral(cfg: SluiceConfig, settings: Partial<GeneralSettings>): void {
  for (const k of KEYS) if (settings[k] !== undefined) sectionOf(cfg, k)[GENERAL_SETTING_KEYS[k][1]] = settings[k];
}

/** What is saved after a PUT: what was saved before, with the keys sent set, and those sent as null forgotten. */
export function mergeSaved(saved: Partial<GeneralSettings>, changes: GeneralSettingsInput): Partial<GeneralSettings> {
  const next: Record<string, unknown> = { ...saved };
  for (const k of KEYS) {
    if (changes[k] === null) delete next[k];
    else if (changes[k] !== undefined) next[k] = changes[k];
  }
  return next as Partial<GeneralSettings>;
}

/** The saved keys whose value is not the config file's, each as `cache.ttlSeconds (file 60, saved 604800)`. */
export function overriddenKeys(file: GeneralSettings, saved: Partial<GeneralSettings>): string[] {
  return KEYS.filter((k) => saved[k] !== undefined && saved[k] !== file[k])
    .map((k) => `${GENERAL_SETTING_KEYS[k].join('.')} (file ${JSON.stringify(file[k])}, saved ${JSON.stringify(saved[k])})`);
}
