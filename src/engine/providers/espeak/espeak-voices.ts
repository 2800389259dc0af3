// espeak-ng's voice list (`espeak-ng --voices`) as VoiceInfo, plus the names that lead to a voice:
// the voices' other language codes (zh → cmn) and configured aliases (OpenAI's `alloy` → en-us).
import type { VoiceInfo } from '../provider.ts';

export interface EspeakVoice extends VoiceInfo {
  /** What to pass to `espeak-ng -v`. */
  espeakName: string;
}

const LINE = /^\s*(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/;

/** Parse `espeak-ng --voices` output. MBROLA voices (mb/…) are left out: they need separate databases. */
export function parseEspeakVoices(output: string): EspeakVoice[] {
  const voices: EspeakVoice[] = [];
  const seen = new Set<string>();
  const others: Array<[string, EspeakVoice]> = [];
  for (const line of output.split('\n').slice(1)) {
    const m = LINE.exec(line);
    if (!m) continue;
    const [, , language, ageGender, name, file, rest] = m;
    if (file.startsWith('mb/') || seen.has(language)) continue;
    const g = ageGender.split('/')[1];
    const voice: EspeakVoice = {
      id: language, espeakName: language, name: name.replaceAll('_', ' '), language,
      ...(g === 'M' ? { gender: 'male' } : g === 'F' ? { gender: 'female' } : {}),
    };
    seen.add(language);
    voices.push(voice);
    for (const [, code] of rest.matchAll(/\(([^\s)]+)\s+\d+\)/g)) others.push([code, voice]);
  }
  for (const [code, voice] of others) {
    if (seen.has(code)) continue;
    seen.add(code);
    voices.push({ ...voice, id: code, name: `${voice.name} (as ${code})` });
  }
  return voices;
}

/** OpenAI's voice names, spoken by espeak-ng's American English voice unless configured otherwise. */
export const DEFAULT_ESPEAK_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse'].map((v) => [v, 'en-us']),
);

/** espeak-ng's Mandarin voice, for Chinese text asked of an OpenAI voice name. */
export const MANDARIN_VOICE = 'cmn';

/**
 * Text espeak-ng should speak as Mandarin: Han characters at least as many as the other letters, and no
 * Japanese kana. Its English voice reads each Han character as "Chinese letter"; its Mandarin voice reads
 * Latin words as English, so text that is mostly Chinese with a few English words goes to Mandarin.
 */
export function isChineseText(text: string): boolean {
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return false;
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  return han > 0 && han >= letters - han;
}

/** Add alias entries pointing at existing voices (aliases naming an unknown voice are skipped). */
export function withAliases(voices: readonly EspeakVoice[], aliases: Readonly<Record<string, string>>): EspeakVoice[] {
  const byId = new Map(voices.map((v) => [v.id, v]));
  const out = [...voices];
  for (const [alias, target] of Object.entries(aliases)) {
    const voice = byId.get(target);
    if (!voice || byId.has(alias)) continue;
    const entry = { ...voice, id: alias, name: `${alias} → ${voice.name}` };
    byId.set(alias, entry);
    out.push(entry);
  }
  return out;
}

/** espeak's words per minute for OpenAI's speed (1 → espeak's default 175), within espeak's 80–700. */
export function espeakWordsPerMinute(speed: number): number {
  if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`speed must be a positive number, got ${speed}`);
  return Math.min(700, Math.max(80, Math.round(175 * speed)));
}
