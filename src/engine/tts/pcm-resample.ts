// Raw 16-bit little-endian mono PCM from one sample rate to another by linear interpolation. OpenAI's
// `pcm` is 24 kHz, so a voice made at another rate (espeak-ng: 22,050 Hz) is brought to it; otherwise
// a client plays it at the wrong speed and pitch.

/** OpenAI's `pcm`: 24,000 Hz, 16-bit signed, mono, little-endian, no header. */
export const OPENAI_PCM_RATE = 24_000;

export function resamplePcm16(pcm: Uint8Array, fromRate: number, toRate: number): Buffer {
  for (const [name, rate] of [['fromRate', fromRate], ['toRate', toRate]] as const) {
    if (!Number.isInteger(rate) || rate <= 0) throw new RangeError(`resamplePcm16: ${name} must be a positive integer, got ${rate}`);
  }
  const input = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength - (pcm.byteLength % 2));
  const count = input.length / 2;
  if (fromRate === toRate) return Buffer.from(input);
  const outCount = Math.round((count * toRate) / fromRate);
  const out = Buffer.alloc(outCount * 2);
  for (let j = 0; j < outCount; j++) {
    const at = (j * fromRate) / toRate;
    const i = Math.floor(at);
    const a = input.readInt16LE(Math.min(i, count - 1) * 2);
    const b = input.readInt16LE(Math.min(i + 1, count - 1) * 2);
    const v = Math.round(a + (b - a) * (at - i));
    out.writeInt16LE(Math.max(-32768, Math.min(32767, v)), j * 2);
  }
  return out;
}
