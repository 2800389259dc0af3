import { describe, it, expect } from 'vitest';
import { buildWavHeader, concatWav, finalizeWav, parseWav, wavDurationMs, WavFormatError, WAV_UNKNOWN_SIZE } from './wav.ts';

const MONO16 = { audioFormat: 1, channels: 1, sampleRate: 22050, bitsPerSample: 16 };

function wav(samples: number[], format = MONO16): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
  return Buffer.concat([buildWavHeader(format, data.length), data]);
}

describe('wav', () => {
  it('parses the header it builds', () => {
    const w = wav([1, 2, 3, 4]);
    const info = parseWav(w);
    expect(info).toMatchObject({ channels: 1, sampleRate: 22050, bitsPerSample: 16, dataOffset: 44, dataLength: 8, sizeUnknown: false, byteRate: 44100 });
    expect(w.readUInt32LE(4)).toBe(w.length - 8);
  });

  it('measures duration from the samples present', () => {
    expect(wavDurationMs(wav(new Array(22050).fill(0)))).toBeCloseTo(1000, 6);
    expect(wavDurationMs(wav(new Array(8820).fill(0), { ...MONO16, channels: 2 }))).toBeCloseTo(200, 6);
  });

  it("clamps espeak-style streaming sizes (0x7FFFF000) to the bytes present and finalizes them", () => {
    const w = wav([5, 6, 7]);
    w.writeUInt32LE(0x7ffff000, 40);
    w.writeUInt32LE(0x7ffff024, 4);
    const info = parseWav(w);
    expect(info.sizeUnknown).toBe(true);
    expect(info.dataLength).toBe(6);
    const fixed = finalizeWav(w);
    expect(fixed.readUInt32LE(40)).toBe(6);
    expect(fixed.readUInt32LE(4)).toBe(fixed.length - 8);
    expect(fixed.subarray(44)).toEqual(w.subarray(44));
  });

  it('skips chunks before data (LIST) and drops a half sample at the end', () => {
    const base = wav([9, 10]);
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.from([0])]);
    const odd = Buffer.concat([base.subarray(0, 36), list, base.subarray(36), Buffer.from([0xff])]);
    odd.writeUInt32LE(5, 36 + list.length + 4);
    const info = parseWav(odd);
    expect(info.dataOffset).toBe(36 + list.length + 8);
    expect(info.dataLength).toBe(4);
  });

  it('builds a streamed header with unknown sizes', () => {
    const h = buildWavHeader(MONO16);
    expect(h.readUInt32LE(4)).toBe(WAV_UNKNOWN_SIZE);
    expect(h.readUInt32LE(40)).toBe(WAV_UNKNOWN_SIZE);
    const streamed = Buffer.concat([h, Buffer.alloc(100)]);
    expect(parseWav(streamed)).toMatchObject({ dataLength: 100, sizeUnknown: true });
  });

  it('concatenates clips under one correct header', () => {
    const joined = concatWav([wav([1, 2]), wav([3]), wav([4, 5, 6])]);
    const info = parseWav(joined);
    expect(info.dataLength).toBe(12);
    expect(info.sizeUnknown).toBe(false);
    expect([0, 1, 2, 3, 4, 5].map((i) => joined.readInt16LE(44 + i * 2))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses to join clips of different formats', () => {
    expect(() => concatWav([wav([1]), wav([1], { ...MONO16, sampleRate: 24000 })])).toThrow(/24000 Hz/);
  });

  it('rejects what is not WAV', () => {
    expect(() => parseWav(Buffer.from('ID3 this is an mp3'))).toThrow(WavFormatError);
    expect(() => parseWav(wav([1]).subarray(0, 30))).toThrow(WavFormatError);
  });
});
