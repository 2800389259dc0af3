// Labels of the timings the engine records per request (src/engine/pipeline/context.ts `Timings`).
import type { Translate } from '../i18n/translate.ts';

export const TIMING_KEYS = ['queueMs', 'upstreamMs', 'firstByteMs', 'totalMs'] as const;
type TimingKey = (typeof TIMING_KEYS)[number];

const isTimingKey = (key: string): key is TimingKey => (TIMING_KEYS as readonly string[]).includes(key);

/** The reader's label of a timing ("First byte"); a key the panel does not know is shown as it is. */
export function timingLabel(t: Translate, key: string): string {
  return isTimingKey(key) ? t(`req.timing.${key}` as const) : key;
}
