// The simulator's speech: a valid 16-bit mono WAV whose length follows the text and whose sound
// (a sequence of tones with a little noise) is a pure function of the text. No randomness, no clock.
import { buildWavHeader } from './wav.ts';

export interface SimulatedWavOptions {
  sampleRate: number;
  /** OpenAI's speed, 0.25–4: 2 halves the duration. */
  speed: number;
}

/** Milliseconds of simulated speech per "unit": a Latin character is one unit, a CJK character three. */
export const SIMULATED_MS_PER_UNIT = 60;
const MIN_MS = 200;
const SEGMENT_MS = 90;

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;

/** Length units of a text: its speakable duration at speed 1 is `units * SIMULATED_MS_PER_UNIT`. */
export function speechUnits(text: string): number {
  let units = 0;
  for (const ch of text) units += CJK.test(ch) ? 3 : /\s/.test(ch) ? 0.5 : 1;
  return units;
}

export function simulatedDurationMs(text: string, speed: number): number {
  return Math.max(MIN_MS, (speechUnits(text) * SIMULATED_MS_PER_UNIT) / speed);
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) { h ^= b; h = Math.imul(h, 0x01000193) >>> 0; }
  return h;
}

/** mulberry32: a small seeded generator, so the same text always sounds the same. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function synthesizeSimulatedWav(text: string, opts: SimulatedWavOptions): Buffer {
  const { sampleRate, speed } = opts;
  if (!Number.isInteger(sampleRate) || sampleRate < 4000 || sampleRate > 192_000) throw new RangeError(`sampleRate must be an integer from 4000 to 192000, got ${sampleRate}`);
  if (!(speed >= 0.25 && speed <= 4)) throw new RangeError(`speed must be from 0.25 to 4, got ${speed}`);
  const samples = Math.round((simulatedDurationMs(text, speed) / 1000) * sampleRate);
  const out = Buffer.alloc(44 + samples * 2);
  buildWavHeader({ audioFormat: 1, channels: 1, sampleRate, bitsPerSample: 16 }, samples * 2).copy(out, 0);
  const rnd = generator(fnv1a(text));
  const segment = Math.max(1, Math.round((SEGMENT_MS / 1000 / speed) * sampleRate));
  let freq = 0;
  let phase = 0;
  for (let i = 0; i < samples; i++) {
    const pos = i % segment;
    if (pos === 0) freq = 140 + rnd() * 360;
    const envelope = Math.sin((Math.PI * pos) / segment); // each "syllable" fades in and out: no clicks
    phase += (2 * Math.PI * freq) / sampleRate;
    const value = envelope * (0.45 * Math.sin(phase) + 0.15 * Math.sin(2 * phase)) + (rnd() - 0.5) * 0.04;
    out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(value * 32767))), 44 + i * 2);
  }
  return out;
}
