import { describe, it, expect } from 'vitest';
import { readTtsConfig } from './tts-config.ts';

describe('readTtsConfig', () => {
  it('fills the defaults and takes sentenceMode: false as short for enabled: false', () => {
    expect(readTtsConfig(undefined)).toEqual({ maxInputChars: 4096, sentenceMode: { enabled: true, concurrency: 3, maxSentenceChars: 300 } });
    expect(readTtsConfig({ sentenceMode: false }).sentenceMode).toEqual({ enabled: false, concurrency: 3, maxSentenceChars: 300 });
    expect(readTtsConfig({ maxInputChars: 100, sentenceMode: { concurrency: 5 } })).toMatchObject({ maxInputChars: 100, sentenceMode: { enabled: true, concurrency: 5 } });
  });

  it('refuses bad values, naming the field', () => {
    expect(() => readTtsConfig({ maxInputChars: 0 })).toThrow(/tts\.maxInputChars/);
    expect(() => readTtsConfig({ sentenceMode: { concurrency: 1.5 } })).toThrow(/tts\.sentenceMode\.concurrency/);
    expect(() => readTtsConfig({ sentenceMode: { maxSentenceChars: 5 } })).toThrow(/maxSentenceChars/);
    expect(() => readTtsConfig({ sentenceMode: { enabled: 'yes' } })).toThrow(/enabled/);
    expect(() => readTtsConfig('on')).toThrow(/tts: must be an object/);
  });
});
