// The `tts` config section: defaults filled in, every field checked, errors naming the field.
import { isObj } from '../../shared/is-obj.ts';
import type { TtsConfig } from '../../shared/tts.ts';

export const DEFAULT_TTS_CONFIG: Readonly<TtsConfig> = Object.freeze({
  maxInputChars: 4096,
  sentenceMode: Object.freeze({ enabled: true, concurrency: 3, maxSentenceChars: 300 }),
});

function int(v: unknown, path: string, min: number, max: number, def: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new RangeError(`${path}: must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return v;
}

/** `config.tts` with defaults; `sentenceMode: false|true` is short for `{ enabled }`. Throws RangeError naming the field. */
export function readTtsConfig(raw: unknown): TtsConfig {
  if (raw === undefined || raw === null) raw = {};
  if (!isObj(raw)) throw new RangeError('tts: must be an object');
  const sm = raw.sentenceMode;
  const sentence = typeof sm === 'boolean' ? { enabled: sm } : sm === undefined ? {} : sm;
  if (!isObj(sentence)) throw new RangeError('tts.sentenceMode: must be an object or a boolean');
  if (sentence.enabled !== undefined && typeof sentence.enabled !== 'boolean') throw new RangeError('tts.sentenceMode.enabled: must be true or false');
  const d = DEFAULT_TTS_CONFIG;
  return {
    maxInputChars: int(raw.maxInputChars, 'tts.maxInputChars', 1, 1_000_000, d.maxInputChars),
    sentenceMode: {
      enabled: (sentence.enabled as boolean | undefined) ?? d.sentenceMode.enabled,
      concurrency: int(sentence.concurrency, 'tts.sentenceMode.concurrency', 1, 64, d.sentenceMode.concurrency),
      maxSentenceChars: int(sentence.maxSentenceChars, 'tts.sentenceMode.maxSentenceChars', 10, 100_000, d.sentenceMode.maxSentenceChars),
    },
  };
}
