import { describe, it, expect } from 'vitest';
import { synthesizeSimulatedWav } from './simulated-wav.ts';
import { parseWav, wavDurationMs } from './wav.ts';

describe('synthesizeSimulatedWav', () => {
  it('gives a valid 16-bit mono WAV with a 44-byte header at the asked rate', () => {
    const w = synthesizeSimulatedWav('Hello there.', { sampleRate: 24_000, speed: 1 });
    expect(parseWav(w)).toMatchObject({ sampleRate: 24_000, channels: 1, bitsPerSample: 16, dataOffset: 44, dataLength: w.length - 44, sizeUnknown: false });
  });

  it('lasts in proportion to the text and inversely to the speed', () => {
    const short = wavDurationMs(synthesizeSimulatedWav('Hello there, how are you?', { sampleRate: 16_000, speed: 1 }));
    const long = wavDurationMs(synthesizeSimulatedWav('Hello there, how are you? '.repeat(4).trim(), { sampleRate: 16_000, speed: 1 }));
    const fast = wavDurationMs(synthesizeSimulatedWav('Hello there, how are you?', { sampleRate: 16_000, speed: 2 }));
    expect(long / short).toBeGreaterThan(3.8);
    expect(long / short).toBeLessThan(4.2);
    expect(fast).toBeCloseTo(short / 2, 0);
    expect(wavDurationMs(synthesizeSimulatedWav('你好，世界。', { sampleRate: 16_000, speed: 1 }))).toBeGreaterThan(wavDurationMs(synthesizeSimulatedWav('hi, all', { sampleRate: 16_000, speed: 1 })));
  });

  it('is deterministic per text and differs between texts', () => {
    const a = synthesizeSimulatedWav('same text', { sampleRate: 8000, speed: 1 });
    expect(synthesizeSimulatedWav('same text', { sampleRate: 8000, speed: 1 }).equals(a)).toBe(true);
    const b = synthesizeSimulatedWav('sane text', { sampleRate: 8000, speed: 1 });
    expect(b.length).toBe(a.length);
    expect(b.equals(a)).toBe(false);
    expect(a.subarray(44).some((x) => x !== 0)).toBe(true);
  });

  it('rejects impossible options', () => {
    expect(() => synthesizeSimulatedWav('x', { sampleRate: 0, speed: 1 })).toThrow(/sampleRate/);
    expect(() => synthesizeSimulatedWav('x', { sampleRate: 8000, speed: 9 })).toThrow(/speed/);
  });
});
