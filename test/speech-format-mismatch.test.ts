// Sentence mode against an upstream whose audio is not in the format asked for (many OpenAI-compatible
// servers ignore response_format and always send WAV): the reply is never an empty "success". Seen before
// the headers go out, the text is spoken whole, as with sentence mode off; seen once audio is streaming,
// the stream breaks as for a failing sentence. An empty audio answer is never cached.
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { synthesizeSimulatedWav } from '../src/engine/tts/simulated-wav.ts';
import { translator } from '../src/renderer/src/i18n/translate.ts';
import { traceText } from '../src/renderer/src/lib/trace-text.ts';
import { defaults, wavReply, type ReceivedRequest } from './helpers/fake-upstream.ts';
import { useSpeechUpstream } from './helpers/speech-upstream.ts';
import { gate, until } from './helpers/waiting.ts';

const SPEECH = 'POST /v1/audio/speech';

const up = useSpeechUpstream();

async function speak(body: object) {
  const res = await fetch(`${up.sluice.url}/v1/audio/speech`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

type Step = { stage: string; message: string; say?: { id: string } };
interface Logged { status: number; errorCode: string | null; cache: string; detail: { trace: Step[] } }
const logged = async (res: Response) => (await (await up.sluice.admin(`/admin/api/requests/${res.headers.get('x-request-id')}`)).json()) as Logged;

/** MPEG-1 Layer III frames at 128 kbps, 44.1 kHz (417 bytes each), filled with `fill`. */
function mp3Frames(fill: number, n = 3): Buffer {
  const frame = Buffer.alloc(417, fill);
  frame[0] = 0xff; frame[1] = 0xfb; frame[2] = 0x90; frame[3] = 0x64;
  return Buffer.concat(Array.from({ length: n }, () => frame));
}

function mp3Reply(req: ReceivedRequest, res: ServerResponse): void {
  const bytes = mp3Frames(String(req.body.input).length);
  res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': bytes.length });
  res.end(bytes);
}

describe('sentence audio not in the format asked for', () => {
  it('an upstream that always sends WAV, asked for mp3: the whole text is spoken and passed through, and the repeat is a hit', async () => {
    // the second sentence is slow: the first one's audio is what tells (its call is dropped, and never paid for)
    const slow = gate();
    up.fake.on(SPEECH, async (req, res) => {
      if (req.body.input === 'This is a test.') await slow.wait;
      wavReply(req, res);
    });
    const input = 'Hello world. This is a test.';
    const body = { model: 'tts-test', voice: 'alloy', input, response_format: 'mp3' };
    const whole = synthesizeSimulatedWav(input, { sampleRate: 16_000, speed: 1 });

    const first = await speak(body);
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get('content-type')).toBe('audio/wav');
    expect(first.bytes.length).toBeGreaterThan(0);
    expect(first.bytes.equals(whole)).toBe(true);
    expect(first.res.headers.get('x-sluice-sentences')).toBeNull();
    expect(up.fake.calls(SPEECH).map((c) => c.body.input)).toContain(input);

    const row = await logged(first.res);
    expect(row).toMatchObject({ status: 200, errorCode: null });
    const note = row.detail.trace.find((s) => s.say?.id === 'speech.spokenWhole')!;
    expect(note.message).toBe('sentence mode: sentence 1 is not MP3 audio (it is a RIFF/WAVE file); the text is spoken whole instead');
    expect(traceText(translator('en'), note)).toBe(note.message);
    expect(traceText(translator('zh-CN'), note)).toMatch(/[\u4e00-\u9fff]/);

    const second = await speak(body);
    expect(second.res.status).toBe(200);
    expect(second.res.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(second.res.headers.get('content-type')).toBe('audio/wav');
    expect(second.bytes.equals(whole)).toBe(true);
    expect(up.fake.calls(SPEECH).filter((c) => c.body.input === input)).toHaveLength(1);
    expect(up.fake.calls(SPEECH).filter((c) => c.body.input === 'Hello world.')).toHaveLength(1);
    slow.open();
  });

  it('bytes that are no audio at all: mp3 (also when the body names no format) and wav get the whole text', async () => {
    up.fake.on(SPEECH, defaults[SPEECH]); // `AUDIO:<voice>:<input>`, said to be audio/mpeg
    const input = 'Not audio here. Nor here.';
    for (const format of ['mp3', 'wav', undefined]) {
      const { res, bytes } = await speak({ model: 'tts-test', voice: 'echo', input, response_format: format });
      expect(res.status, String(format)).toBe(200);
      expect(bytes.toString(), String(format)).toBe(`AUDIO:echo:${input}`);
      expect(res.headers.get('content-type')).toBe('audio/mpeg');
    }
  });

  it('real MP3 sentences are still joined sentence by sentence', async () => {
    up.fake.on(SPEECH, mp3Reply);
    const { res, bytes } = await speak({ model: 'tts-test', voice: 'nova', input: 'Real frames. Joined well.', response_format: 'mp3' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sluice-sentences')).toBe('2');
    expect(bytes.equals(Buffer.concat([mp3Frames('Real frames.'.length), mp3Frames('Joined well.'.length)]))).toBe(true);
  });

  it('a sentence not in the format, seen once audio is streaming, breaks the stream', async () => {
    const held = gate();
    up.fake.on(SPEECH, async (req, res) => {
      if (!String(req.body.input).startsWith('Later')) return mp3Reply(req, res);
      await held.wait;
      wavReply(req, res);
    });
    const res = await fetch(`${up.sluice.url}/v1/audio/speech`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tts-test', voice: 'onyx', input: 'First is MP3. Later is WAV.', response_format: 'mp3' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sluice-sentences')).toBe('2');
    held.open();
    await expect(res.arrayBuffer()).rejects.toThrow();
    await until(async () => (await logged(res)).errorCode !== undefined, 'the request logged');
    expect((await logged(res)).errorCode).toBe('audio_join');
  });
});

describe('empty audio', () => {
  it('an upstream answering 200 with no bytes is not cached, whole or by sentence; the trace says so', async () => {
    up.fake.on(SPEECH, (_req, res) => { res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': 0 }); res.end(); });
    for (const input of ['Silence.', 'Silence again. And more.']) {
      const body = { model: 'tts-test', voice: 'fable', input, response_format: 'mp3' };
      const first = await speak(body);
      expect(first.res.status).toBe(200);
      const note = (await logged(first.res)).detail.trace.find((s) => s.say?.id === 'cache.notStored.emptyAudio')!;
      expect(note.message).toBe('not stored: the audio is empty');
      expect(traceText(translator('zh-CN'), note)).toMatch(/[\u4e00-\u9fff]/);
      const calls = up.fake.calls(SPEECH).length;
      const second = await speak(body);
      expect(second.res.headers.get('x-sluice-cache'), input).toBe('miss');
      expect(up.fake.calls(SPEECH).length).toBeGreaterThan(calls);
    }
  });
});
