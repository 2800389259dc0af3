import { describe, expect, it } from 'vitest';
import { resamplePcm16 } from './pcm-resample.ts';

const pcm = (samples: number[]) => {
  const b = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => b.writeInt16LE(s, i * 2));
  return b;
};
const samples = (b: Buffer) => Array.from({ length: b.length / 2 }, (_, i) => b.readInt16LE(i * 2));

describe('resamplePcm16', () => {
  it('keeps the duration: 22,050 Hz to 24,000 Hz gives 24,000 samples a second', () => {
    const second = pcm(Array.from({ length: 22_050 }, (_, i) => Math.round(10_000 * Math.sin((2 * Math.PI * 440 * i) / 22_050))));
    const out = resamplePcm16(second, 22_050, 24_000);
    expect(out.length).toBe(48_000);
    // the same 440 Hz tone: sample j of the output is the input at time j / 24000
    for (const j of [100, 5_000, 23_999]) expect(Math.abs(samples(out)[j] - 10_000 * Math.sin((2 * Math.PI * 440 * j) / 24_000))).toBeLessThan(200);
  });

  it('interpolates between neighbours and holds the last sample at the end', () => {
    expect(samples(resamplePcm16(pcm([0, 100, -100, 32767]), 1, 2))).toEqual([0, 50, 100, 0, -100, 16334, 32767, 32767]);
  });

  it('passes audio at the same rate through, drops a stray odd byte, and refuses a bad rate', () => {
    expect(samples(resamplePcm16(pcm([1, 2, 3]), 24_000, 24_000))).toEqual([1, 2, 3]);
    expect(resamplePcm16(Buffer.from([1, 0, 7]), 24_000, 24_000)).toEqual(Buffer.from([1, 0]));
    expect(resamplePcm16(Buffer.alloc(0), 22_050, 24_000).length).toBe(0);
    expect(() => resamplePcm16(Buffer.alloc(2), 0, 24_000)).toThrow(/fromRate/);
  });
});
