// The sizes in a sentence-mode WAV header: exact whenever the whole reply is known before the headers go
// out, and "to the end of the stream" (0xFFFFFFFF) only when it streams, which x-sluice-wav-sizes says.
import { describe, expect, it } from 'vitest';
import { parseWav } from '../src/engine/tts/wav.ts';
import { wavReply } from './helpers/fake-upstream.ts';
import { useSpeechUpstream } from './helpers/speech-upstream.ts';
import { gate } from './helpers/waiting.ts';

const SPEECH = 'POST /v1/audio/speech';
const up = useSpeechUpstream();

const speak = (input: string) => fetch(`${up.sluice.url}/v1/audio/speech`, {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'tts-test', voice: 'alloy', input, response_format: 'wav' }),
});

const STREAMED = 0xffff_ffff;

describe('sentence-mode WAV sizes', () => {
  it('a reply streamed before its last sentence is in has streamed sizes, and says so', async () => {
    up.fake.on(SPEECH, wavReply);
    await (await speak('Already here.')).arrayBuffer();
    const held = gate();
    up.fake.on(SPEECH, async (req, res) => { await held.wait; wavReply(req, res); });
    const res = await speak('Already here. Still to come.');
    expect(res.headers.get('x-sluice-wav-sizes')).toBe('streamed');
    expect(res.headers.get('content-length')).toBeNull();
    held.open();
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.readUInt32LE(4)).toBe(STREAMED);
    expect(parseWav(bytes).sizeUnknown).toBe(true);
  });

  it('a reply whose sentences are all in before the headers has exact sizes and no such header', async () => {
    up.fake.on(SPEECH, wavReply);
    await (await speak('First known.')).arrayBuffer();
    await (await speak('Second known.')).arrayBuffer();
    const res = await speak('First known. Second known.');
    expect(res.headers.get('x-sluice-wav-sizes')).toBeNull();
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    const info = parseWav(bytes);
    expect(info.sizeUnknown).toBe(false);
    expect(info.dataOffset + info.dataLength).toBe(bytes.length);
  });
});
