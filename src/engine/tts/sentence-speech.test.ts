import { describe, it, expect } from 'vitest';
import { UpstreamHttpError } from '../errors.ts';
import { concatMp3, Mp3FormatError, mp3AudioFrames, readMp3Frame } from './mp3-frames.ts';
import { collectSentenceSpeech, planSentenceSpeech, sentenceRequest, streamSentenceSpeech, type SynthesizeSentence } from './sentence-speech.ts';
import { buildWavHeader, parseWav, WAV_UNKNOWN_SIZE } from './wav.ts';

const FMT = { audioFormat: 1, channels: 1, sampleRate: 16000, bitsPerSample: 16 };
const clip = (fill: number, samples: number, fmt = FMT) => {
  const data = Buffer.alloc(samples * 2, fill);
  return Buffer.concat([buildWavHeader(fmt, data.length), data]);
};

/** A synthesizer whose calls the test completes by hand, in any order. */
function manual() {
  const calls: Array<{ sentence: string; index: number; signal: AbortSignal; resolve: (b: Buffer) => void; reject: (e: unknown) => void }> = [];
  const synthesize: SynthesizeSentence = (sentence, index, signal) => new Promise((resolve, reject) => calls.push({ sentence, index, signal, resolve, reject }));
  return { calls, synthesize };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('streamSentenceSpeech', () => {
  it('streams in sentence order when sentences finish out of order, and starts at the first one', async () => {
    const m = manual();
    const it = streamSentenceSpeech({ sentences: ['a', 'b', 'c'], format: 'pcm', synthesize: m.synthesize, concurrency: 3 });
    const first = it.next();
    await tick();
    expect(m.calls.map((c) => c.sentence)).toEqual(['a', 'b', 'c']);
    m.calls[2].resolve(Buffer.from('C'));
    m.calls[1].resolve(Buffer.from('B'));
    await tick();
    let firstDone = false;
    void first.then(() => { firstDone = true; });
    await tick();
    expect(firstDone).toBe(false); // b and c are ready, but a comes first
    m.calls[0].resolve(Buffer.from('A'));
    expect((await first).value?.toString()).toBe('A');
    expect((await it.next()).value?.toString()).toBe('B');
    expect((await it.next()).value?.toString()).toBe('C');
    expect((await it.next()).done).toBe(true);
  });

  it('keeps at most `concurrency` sentences in flight', async () => {
    const m = manual();
    const out = collectSentenceSpeech({ sentences: ['1', '2', '3', '4', '5'], format: 'pcm', synthesize: m.synthesize, concurrency: 2 });
    await tick();
    expect(m.calls.length).toBe(2);
    m.calls[1].resolve(Buffer.from('2'));
    await tick();
    expect(m.calls.length).toBe(3);
    m.calls[0].resolve(Buffer.from('1'));
    await tick();
    expect(m.calls.length).toBe(4);
    m.calls[2].resolve(Buffer.from('3'));
    m.calls[3].resolve(Buffer.from('4'));
    await tick();
    m.calls[4].resolve(Buffer.from('5'));
    expect((await out).toString()).toBe('12345');
  });

  it('streams WAV as one header of unknown size then the samples of each sentence', async () => {
    const m = manual();
    const parts: Buffer[] = [];
    const done = (async () => { for await (const p of streamSentenceSpeech({ sentences: ['x', 'y'], format: 'wav', synthesize: m.synthesize })) parts.push(p); })();
    await tick();
    m.calls[0].resolve(clip(1, 10));
    await tick();
    m.calls[1].resolve(clip(2, 20));
    await done;
    const body = Buffer.concat(parts);
    expect(body.readUInt32LE(40)).toBe(WAV_UNKNOWN_SIZE);
    expect(body.length).toBe(44 + 60);
    expect(parseWav(body)).toMatchObject({ sampleRate: 16000, dataLength: 60 });
    expect(body.indexOf('RIFF', 1)).toBe(-1); // no second header inside the audio
  });

  it('writes exact WAV sizes when every sentence is ready at once (cache hits), and when collected', async () => {
    const ready: SynthesizeSentence = async (s) => clip(s.charCodeAt(0), 5);
    const parts: Buffer[] = [];
    for await (const p of streamSentenceSpeech({ sentences: ['a', 'b', 'c'], format: 'wav', synthesize: ready })) parts.push(p);
    const streamed = Buffer.concat(parts);
    expect(streamed.readUInt32LE(40)).toBe(30);
    const m = manual();
    const collected = collectSentenceSpeech({ sentences: ['a', 'b'], format: 'wav', synthesize: m.synthesize });
    await tick();
    m.calls[0].resolve(clip(7, 3));
    await tick();
    m.calls[1].resolve(clip(8, 4));
    const whole = await collected;
    expect(whole.readUInt32LE(40)).toBe(14);
    expect(whole.readUInt32LE(4)).toBe(whole.length - 8);
  });

  it('fails the stream when a sentence fails midway, stops the others, and never ends normally', async () => {
    const m = manual();
    const parts: Buffer[] = [];
    const run = (async () => { for await (const p of streamSentenceSpeech({ sentences: ['a', 'b', 'c', 'd'], format: 'pcm', synthesize: m.synthesize, concurrency: 2 })) parts.push(p); })();
    await tick();
    m.calls[0].resolve(Buffer.from('A'));
    await tick();
    const upstream = new UpstreamHttpError('p', 500, '{"error":{"message":"boom"}}');
    m.calls[2].reject(upstream);
    await expect(run).rejects.toBe(upstream);
    expect(parts.map(String)).toEqual(['A']);
    expect(m.calls[1].signal.aborted).toBe(true);
    expect(m.calls.length).toBe(3); // 'd' was never started
  });

  it('stops running sentences when the listener goes away', async () => {
    const m = manual();
    const it = streamSentenceSpeech({ sentences: ['a', 'b', 'c'], format: 'pcm', synthesize: m.synthesize, concurrency: 3 });
    const first = it.next();
    await tick();
    m.calls[0].resolve(Buffer.from('A'));
    await first;
    await it.return(undefined);
    expect(m.calls[1].signal.aborted).toBe(true);
    expect(m.calls[2].signal.aborted).toBe(true);
  });

  it('rejects sentences of different WAV formats rather than joining noise', async () => {
    const s: SynthesizeSentence = async (x) => (x === 'a' ? clip(1, 4) : clip(1, 4, { ...FMT, sampleRate: 22050 }));
    await expect(collectSentenceSpeech({ sentences: ['a', 'b'], format: 'wav', synthesize: s })).rejects.toMatchObject({ code: 'SLUICE_AUDIO_JOIN' });
  });

  it('refuses audio not in the format asked for, or none, as the join error wav gives, never an empty file', async () => {
    const notAudio: SynthesizeSentence = async (x) => Buffer.from(`AUDIO:${x}`);
    for (const format of ['mp3', 'wav'] as const) {
      await expect(collectSentenceSpeech({ sentences: ['a', 'b'], format, synthesize: notAudio })).rejects.toMatchObject({
        code: 'SLUICE_AUDIO_JOIN', detail: expect.stringMatching(`^sentence 1 is not ${format.toUpperCase()} audio`),
      });
    }
    const wavForMp3: SynthesizeSentence = async () => clip(1, 400);
    await expect(collectSentenceSpeech({ sentences: ['a', 'b'], format: 'mp3', synthesize: wavForMp3 })).rejects.toMatchObject({
      code: 'SLUICE_AUDIO_JOIN', detail: 'sentence 1 is not MP3 audio (it is a RIFF/WAVE file)',
    });
    const nothing: SynthesizeSentence = async (x) => Buffer.from(x === 'a' ? 'A' : '');
    await expect(collectSentenceSpeech({ sentences: ['a', 'b'], format: 'pcm', synthesize: nothing })).rejects.toMatchObject({
      code: 'SLUICE_AUDIO_JOIN', detail: 'sentence 2 has no audio (0 bytes)',
    });
  });

  it('fails at once on a sentence not in the format, before the sentences ahead of it are in', async () => {
    const m = manual();
    const it = streamSentenceSpeech({ sentences: ['a', 'b'], format: 'mp3', synthesize: m.synthesize, concurrency: 2 });
    const first = it.next();
    await tick();
    m.calls[1].resolve(clip(1, 400));
    await expect(first).rejects.toMatchObject({ code: 'SLUICE_AUDIO_JOIN', detail: expect.stringContaining('sentence 2 is not MP3 audio') });
    expect(m.calls[0].signal.aborted).toBe(true);
  });
});

/** An MPEG-1 Layer III frame at 128 kbps, 44.1 kHz: 417 bytes. */
function frame(fill: number, tag = ''): Buffer {
  const f = Buffer.alloc(417, fill);
  f[0] = 0xff; f[1] = 0xfb; f[2] = 0x90; f[3] = 0x64;
  if (tag) f.write(tag, 36, 'latin1');
  return f;
}
const id3v2 = (n: number) => Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, n]), Buffer.alloc(n, 0x20)]);
const id3v1 = () => Buffer.concat([Buffer.from('TAG'), Buffer.alloc(125, 0x20)]);

describe('MP3 joining', () => {
  it('reads frame headers', () => {
    expect(readMp3Frame(frame(0), 0)).toMatchObject({ version: 1, layer: 3, bitrateKbps: 128, sampleRate: 44100, frameLength: 417 });
    expect(readMp3Frame(Buffer.from('not audio'), 0)).toBeNull();
  });

  it("keeps the first clip's ID3v2 tag and strips tags and Xing/Info frames from every clip", () => {
    const a = Buffer.concat([id3v2(20), frame(1, 'Info'), frame(2), id3v1()]);
    const b = Buffer.concat([id3v2(15), frame(3, 'Xing'), frame(4), frame(5)]);
    const joined = concatMp3([a, b]);
    expect(joined.subarray(0, 30)).toEqual(id3v2(20));
    expect(joined.length).toBe(30 + 3 * 417);
    for (let at = 30, n = 0; n < 3; n++, at += 417) expect(readMp3Frame(joined, at)).not.toBeNull();
    expect(joined.includes('TAG')).toBe(false);
    expect(joined.includes('Xing')).toBe(false);
    expect(mp3AudioFrames(b)[4]).toBe(4);
  });

  it('finds no frame in bytes that are not MP3, even where they happen to hold a frame header', () => {
    expect(() => concatMp3([Buffer.from('AUDIO:alloy:Hello.')])).toThrow(Mp3FormatError);
    expect(() => concatMp3([frame(1), Buffer.alloc(0)])).toThrow('no bytes');
    expect(() => mp3AudioFrames(clip(0xff, 2000))).toThrow('it is a RIFF/WAVE file');
    // a lone header among other bytes (PCM samples, say) is not a frame: no run of frames follows it
    const stray = Buffer.concat([Buffer.alloc(100, 7), frame(1).subarray(0, 4), Buffer.alloc(900, 7)]);
    expect(() => mp3AudioFrames(stray)).toThrow('no MPEG audio frame');
    // an Info frame and nothing after it: no audio
    expect(() => mp3AudioFrames(frame(0, 'Info'))).toThrow('no MPEG audio frame after its Xing/Info header');
    // junk before a run of frames is skipped, as before
    expect(mp3AudioFrames(Buffer.concat([Buffer.from('junk'), frame(1), frame(2), frame(3)])).length).toBe(3 * 417);
  });

  it('streams MP3 sentences as one continuous frame sequence', async () => {
    const s: SynthesizeSentence = async (x) => Buffer.concat([id3v2(5), frame(x.charCodeAt(0))]);
    const out = await collectSentenceSpeech({ sentences: ['a', 'b'], format: 'mp3', synthesize: s });
    expect(out.length).toBe(15 + 2 * 417);
    expect(out.indexOf('ID3', 1)).toBe(-1);
  });
});

describe('planSentenceSpeech', () => {
  const req = { model: 'tts-1', voice: 'alloy', input: '好的。我来查一下。Sure!' };
  it('splits wav, pcm and mp3 (the default format) but not opus, aac or flac', () => {
    expect(planSentenceSpeech({ ...req, response_format: 'wav' })).toEqual(['好的。', '我来查一下。', 'Sure!']);
    expect(planSentenceSpeech(req)).toHaveLength(3);
    expect(planSentenceSpeech({ ...req, response_format: 'opus' })).toBeNull();
    expect(planSentenceSpeech({ ...req, response_format: 'wav' }, { enabled: false })).toBeNull();
    expect(planSentenceSpeech({ ...req, input: 'One sentence only.' })).toBeNull();
  });
  it('builds per-sentence requests that differ only in input', () => {
    expect(sentenceRequest({ ...req, speed: 1.5, response_format: 'wav' }, 'Sure!')).toEqual({ model: 'tts-1', voice: 'alloy', input: 'Sure!', speed: 1.5, response_format: 'wav' });
  });
});
