// Uses the real espeak-ng (installed by the CI script). Timeouts are driven by a ManualClock.
import { describe, it, expect, afterAll } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, systemClock } from '../../clock.ts';
import { defaultDeps } from '../../deps.ts';
import { silentLogger } from '../../logger.ts';
import { splitSentences } from '../../tts/sentence-splitter.ts';
import { collectSentenceSpeech } from '../../tts/sentence-speech.ts';
import { resamplePcm16 } from '../../tts/pcm-resample.ts';
import { parseWav, wavDurationMs } from '../../tts/wav.ts';
import { EspeakAdapter, espeakFactory } from './espeak-adapter.ts';
import { espeakWordsPerMinute, isChineseText, parseEspeakVoices } from './espeak-voices.ts';
import { findExecutable } from './find-executable.ts';
import { runProcess } from './run-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-espeak-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const deps = defaultDeps(dir, { logger: silentLogger, clock: systemClock });
const ctx = () => ({ signal: new AbortController().signal, requestId: 'r1' });
const adapter = (options: Record<string, unknown> = {}) => espeakFactory({ id: 'espeak', type: 'espeak', options: { ffmpegPath: false, ...options } }, deps) as EspeakAdapter;
const audio = (r: Awaited<ReturnType<EspeakAdapter['speech']>>) => {
  if (r.body.kind !== 'audio') throw new Error('expected audio');
  return r.body;
};

describe('espeak-ng adapter (real espeak-ng)', () => {
  it('is found on PATH', () => {
    expect(findExecutable('espeak-ng')).toMatch(/espeak-ng$/);
    expect(adapter().available).toBe(true);
  });

  it('speaks English as a WAV with exact sizes and a sensible duration', async () => {
    const body = audio(await adapter().speech({ model: 'espeak-ng', input: 'Hello there, this is a test.', voice: 'en-us', response_format: 'wav' }, ctx()));
    expect(body.contentType).toBe('audio/wav');
    const info = parseWav(body.bytes);
    expect(info).toMatchObject({ sampleRate: 22050, channels: 1, bitsPerSample: 16, sizeUnknown: false });
    expect(body.bytes.readUInt32LE(4)).toBe(body.bytes.length - 8);
    const ms = wavDurationMs(body.bytes);
    expect(ms).toBeGreaterThan(800);
    expect(ms).toBeLessThan(5000);
  });

  it('speaks Chinese through the zh alias, and faster at a higher speed', async () => {
    const a = adapter();
    const slow = audio(await a.speech({ model: 'espeak-ng', input: '你好，今天天气很好。', voice: 'zh', response_format: 'wav' }, ctx()));
    const fast = audio(await a.speech({ model: 'espeak-ng', input: '你好，今天天气很好。', voice: 'cmn', response_format: 'wav', speed: 2 }, ctx()));
    expect(wavDurationMs(slow.bytes)).toBeGreaterThan(1000);
    expect(wavDurationMs(fast.bytes)).toBeLessThan(wavDurationMs(slow.bytes) * 0.7);
  });

  it('speaks Chinese text asked of an OpenAI voice name with the Mandarin voice, not "Chinese letter"', async () => {
    const a = adapter();
    const say = async (voice: string, input: string, x = a) => audio(await x.speech({ model: 'espeak-ng', input, voice, response_format: 'wav' }, ctx())).bytes;
    const chinese = '你好。明天见！今天天气很好。';
    expect((await say('alloy', chinese)).equals(await say('cmn', chinese))).toBe(true);
    expect((await say('nova+f3', chinese)).equals(await say('cmn+f3', chinese))).toBe(true);
    expect((await say('alloy', 'Good morning.')).equals(await say('en-us', 'Good morning.'))).toBe(true);
    // a name the user mapped is their choice
    const mapped = adapter({ voiceAliases: { alloy: 'en-us' } });
    expect((await say('alloy', chinese, mapped)).equals(await say('en-us', chinese))).toBe(true);
  });

  it('tells Chinese text from other text', () => {
    expect(isChineseText('你好。')).toBe(true);
    expect(isChineseText('我每天用 Python 写代码。')).toBe(true);
    expect(isChineseText('Hello 你')).toBe(false);
    expect(isChineseText('こんにちは、世界。')).toBe(false);
    expect(isChineseText('12345')).toBe(false);
  });

  it('gives raw PCM without a header at OpenAI\'s 24 kHz: the WAV\'s samples resampled, the same duration', async () => {
    const a = adapter();
    const req = { model: 'espeak-ng', input: 'Same words.', voice: 'alloy' };
    const wav = audio(await a.speech({ ...req, response_format: 'wav' }, ctx()));
    const pcm = audio(await a.speech({ ...req, response_format: 'pcm' }, ctx()));
    expect(pcm.contentType).toBe('audio/pcm');
    const info = parseWav(wav.bytes);
    expect(info.sampleRate).toBe(22050);
    expect(pcm.bytes.equals(resamplePcm16(wav.bytes.subarray(info.dataOffset), 22050, 24000))).toBe(true);
    // played at 24 kHz, 16-bit mono, it lasts as long as the WAV does
    expect(Math.abs(pcm.bytes.length / 2 / 24000 - wavDurationMs(wav.bytes) / 1000)).toBeLessThan(0.001);
  });

  it('answers 400 for a format that needs ffmpeg when there is none, naming the formats it can give', async () => {
    const a = adapter();
    expect(a.speechFormats()).toEqual(['wav', 'pcm']);
    await expect(a.speech({ model: 'espeak-ng', input: 'hi', voice: 'en-us', response_format: 'mp3' }, ctx()))
      .rejects.toMatchObject({ status: 400, param: 'response_format', code: 'SLUICE_UNSUPPORTED_FORMAT', message: expect.stringContaining('wav, pcm') });
  });

  it('transcodes through ffmpeg when one is configured', async () => {
    // A stand-in ffmpeg: checks it was asked for mp3 on stdout and answers with marked bytes.
    const fake = join(dir, 'ffmpeg');
    writeFileSync(fake, `#!${process.execPath}\nconst a=process.argv.slice(2);let n=0;process.stdin.on('data',d=>n+=d.length).on('end',()=>process.stdout.write(a.includes('libmp3lame')&&a.at(-1)==='pipe:1'?'MP3 of '+n:'bad args'));\n`);
    chmodSync(fake, 0o755);
    const a = adapter({ ffmpegPath: fake });
    expect(a.speechFormats()).toContain('mp3');
    const body = audio(await a.speech({ model: 'espeak-ng', input: 'hi', voice: 'en-us', response_format: 'mp3' }, ctx()));
    expect(body.contentType).toBe('audio/mpeg');
    expect(body.bytes.toString()).toMatch(/^MP3 of \d{4,}$/);
  });

  it('rejects an unknown voice with a 400 naming it', async () => {
    await expect(adapter().speech({ model: 'espeak-ng', input: 'hi', voice: 'klingon', response_format: 'wav' }, ctx()))
      .rejects.toMatchObject({ status: 400, param: 'voice', code: 'SLUICE_UNKNOWN_VOICE', message: expect.stringContaining("'klingon'") });
  });

  it('lists voices including Chinese, the zh alias and OpenAI names', async () => {
    const ids = (await adapter().listVoices()).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['en-us', 'cmn', 'zh', 'fr', 'alloy']));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses output over the size limit', async () => {
    await expect(adapter({ maxOutputBytes: 1000 }).speech({ model: 'espeak-ng', input: 'A long enough sentence to pass a thousand bytes.', voice: 'en', response_format: 'wav' }, ctx()))
      .rejects.toMatchObject({ code: 'SLUICE_UPSTREAM_PROTOCOL', message: expect.stringContaining('1000 bytes') });
  });

  it('joins real sentences into one playable WAV in sentence mode', async () => {
    const a = adapter();
    const text = 'Sure! Let me check. 好的。';
    const sentences = splitSentences(text);
    const voiceOf = (s: string) => (/[\u4e00-\u9fff]/.test(s) ? 'cmn' : 'en-us');
    const joined = await collectSentenceSpeech({
      sentences, format: 'wav',
      synthesize: async (s, _i, signal) => audio(await a.speech({ model: 'espeak-ng', input: s, voice: voiceOf(s), response_format: 'wav' }, { signal, requestId: 'x' })).bytes,
    });
    const each = await Promise.all(sentences.map(async (s) => wavDurationMs(audio(await a.speech({ model: 'espeak-ng', input: s, voice: voiceOf(s), response_format: 'wav' }, ctx())).bytes)));
    expect(wavDurationMs(joined)).toBeCloseTo(each.reduce((x, y) => x + y, 0), 3);
  });
});

describe('runProcess', () => {
  it('kills a process that runs past its timeout (ManualClock, no sleeping)', async () => {
    const clock = new ManualClock();
    const p = runProcess({ provider: 'p', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], timeoutMs: 5000, maxOutputBytes: 100, clock });
    clock.advance(5000);
    await expect(p).rejects.toMatchObject({ code: 'SLUICE_UPSTREAM_TIMEOUT' });
  });

  it('reports a missing program as unreachable and a failing one with its message', async () => {
    await expect(runProcess({ provider: 'p', command: join(dir, 'nope'), args: [], timeoutMs: 5000, maxOutputBytes: 100, clock: systemClock }))
      .rejects.toMatchObject({ code: 'SLUICE_UPSTREAM_UNREACHABLE' });
    await expect(runProcess({ provider: 'p', command: process.execPath, args: ['-e', 'console.error("bad voice"); process.exit(3)'], timeoutMs: 5000, maxOutputBytes: 100, clock: systemClock }))
      .rejects.toMatchObject({ message: expect.stringContaining('bad voice') });
  });

  it('passes stdin as data, never through a shell', async () => {
    const out = await runProcess({ provider: 'p', command: process.execPath, args: ['-e', 'process.stdin.pipe(process.stdout)'], stdin: '$(rm -rf /) `x`; "quoted"', timeoutMs: 5000, maxOutputBytes: 100, clock: systemClock });
    expect(out.toString()).toBe('$(rm -rf /) `x`; "quoted"');
  });
});

describe('espeak voices and speed', () => {
  it('maps OpenAI speed to words per minute within espeak-ng range', () => {
    expect(espeakWordsPerMinute(1)).toBe(175);
    expect(espeakWordsPerMinute(2)).toBe(350);
    expect(espeakWordsPerMinute(0.25)).toBe(80);
    expect(espeakWordsPerMinute(4)).toBe(700);
  });

  it('parses the voice table, leaving out MBROLA voices', () => {
    const out = [
      'Pty Language       Age/Gender VoiceName          File                 Other Languages',
      ' 5  cmn             --/M      Chinese_(Mandarin,_latin_as_English) sit/cmn              (zh-cmn 5)(zh 5)',
      ' 5  zh              --/M      chinese-mb-cn1     mb/mb-cn1            ',
      ' 2  en-us           --/F      English_(America)  gmw/en-US            (en 3)',
    ].join('\n');
    const voices = parseEspeakVoices(out);
    expect(voices.map((v) => v.id)).toEqual(['cmn', 'en-us', 'zh-cmn', 'zh', 'en']);
    expect(voices.find((v) => v.id === 'zh')).toMatchObject({ espeakName: 'cmn', language: 'cmn' });
    expect(voices[1]).toMatchObject({ gender: 'female', name: 'English (America)' });
  });

  it('fails fast on bad options', () => {
    expect(() => new EspeakAdapter({ id: 'e', type: 'espeak', options: { timeoutMs: -1 } }, deps)).toThrow(/timeoutMs/);
    expect(() => new EspeakAdapter({ id: 'e', type: 'espeak', options: { espeakPath: '/no/such/espeak' } }, deps)).toThrow(/espeakPath/);
  });
});
