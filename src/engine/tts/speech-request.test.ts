import { describe, it, expect } from 'vitest';
import { BadRequestError } from '../errors.ts';
import { audioContentType, normalizeSpeechText, validateSpeechRequest, validateSynthesizeRequest, type SpeechLimits } from './speech-request.ts';

const limits: SpeechLimits = { maxInputChars: 20, voices: ['alloy', 'zh-CN-XiaoxiaoNeural'] };

function error(body: unknown, l = limits): BadRequestError {
  try { validateSpeechRequest(body, l); } catch (err) { return err as BadRequestError; }
  throw new Error('expected a 400');
}

describe('validateSpeechRequest', () => {
  it("accepts OpenAI's body, leaving a format it does not name for the target to choose", () => {
    expect(validateSpeechRequest({ model: 'tts-1', input: 'Hello.', voice: 'alloy', speed: 1.25 }, limits))
      .toEqual({ model: 'tts-1', input: 'Hello.', voice: 'alloy', speed: 1.25 });
    expect(validateSpeechRequest({ model: 'tts-1', input: 'Hello.', voice: 'alloy', response_format: null }, { ...limits, formats: ['wav'] }))
      .toEqual({ model: 'tts-1', input: 'Hello.', voice: 'alloy' });
    expect(validateSpeechRequest({ model: 'tts-1', input: 'Hello.', voice: 'alloy', response_format: 'mp3' }, limits)).toMatchObject({ response_format: 'mp3' });
  });

  it('maps /tts/synthesize {text, voice, format} to OpenAI\'s shape', () => {
    expect(validateSpeechRequest({ text: '你好。', voice: 'zh-CN-XiaoxiaoNeural', format: 'mp3' }, limits))
      .toEqual({ model: 'tts-1', input: '你好。', voice: 'zh-CN-XiaoxiaoNeural', response_format: 'mp3' });
    expect(validateSpeechRequest({ text: 'hi', voice: 'alloy' }, { ...limits, defaultModel: 'edge-tts' })).toMatchObject({ model: 'edge-tts', response_format: 'wav' });
  });

  it("refuses stream_format 'sse' and drops 'audio', OpenAI's default, so both bodies key alike", () => {
    expect(error({ model: 'm', input: 'Hi', voice: 'alloy', stream_format: 'sse' })).toMatchObject({ status: 400, param: 'stream_format', code: 'SLUICE_UNSUPPORTED_STREAM_FORMAT' });
    expect(error({ model: 'm', input: 'Hi', voice: 'alloy', stream_format: 1 })).toMatchObject({ status: 400, param: 'stream_format' });
    expect(validateSpeechRequest({ model: 'm', input: 'Hi', voice: 'alloy', stream_format: 'audio' }, limits)).toEqual({ model: 'm', input: 'Hi', voice: 'alloy' });
  });

  it('rejects empty text, naming the field the client used', () => {
    expect(error({ model: 'm', input: '  ', voice: 'alloy' })).toMatchObject({ status: 400, param: 'input', code: 'SLUICE_EMPTY_INPUT' });
    const e = error({ text: '', voice: 'alloy' });
    expect(e).toMatchObject({ param: 'text', code: 'SLUICE_EMPTY_INPUT' });
    expect(e.message).toContain("'text'");
    expect(error({ voice: 'alloy' })).toMatchObject({ param: 'input', code: 'SLUICE_MISSING_FIELD' });
    // /tts/synthesize names its own field even when the body has none of them
    let legacy: BadRequestError | null = null;
    try { validateSynthesizeRequest({ voice: 'alloy' }, limits); } catch (err) { legacy = err as BadRequestError; }
    expect(legacy).toMatchObject({ param: 'text', code: 'SLUICE_MISSING_FIELD' });
    expect(legacy!.message).toBe("Missing 'text': the text to speak.");
  });

  it('rejects text over the configured limit, counting characters not bytes', () => {
    expect(validateSpeechRequest({ input: '好'.repeat(20), voice: 'alloy' }, limits).input).toHaveLength(20);
    const e = error({ input: 'x'.repeat(21), voice: 'alloy' });
    expect(e).toMatchObject({ param: 'input', code: 'SLUICE_INPUT_TOO_LONG' });
    expect(e.message).toContain('21 characters, over the limit of 20');
  });

  it('rejects an unknown voice and lists some known ones', () => {
    const e = error({ input: 'hi', voice: 'robot' });
    expect(e).toMatchObject({ param: 'voice', code: 'SLUICE_UNKNOWN_VOICE' });
    expect(e.message).toContain("'robot'");
    expect(e.message).toContain('zh-CN-XiaoxiaoNeural');
  });

  it("rejects a format that is not OpenAI's, and one the voice cannot give, naming what it can", () => {
    expect(error({ input: 'hi', voice: 'alloy', response_format: 'ogg' })).toMatchObject({ param: 'response_format', code: 'SLUICE_INVALID_FIELD' });
    const e = error({ input: 'hi', voice: 'alloy', response_format: 'flac' }, { ...limits, formats: () => ['wav', 'pcm'] });
    expect(e).toMatchObject({ param: 'response_format', code: 'SLUICE_UNSUPPORTED_FORMAT' });
    expect(e.message).toContain('wav, pcm');
    expect(error({ text: 'hi', voice: 'alloy', format: 'aac' }, { ...limits, formats: ['mp3'] })).toMatchObject({ param: 'format' });
  });

  it('rejects bad speed, voice and body shapes', () => {
    expect(error({ input: 'hi', voice: 'alloy', speed: 5 })).toMatchObject({ param: 'speed' });
    expect(error({ input: 'hi', voice: 'alloy', speed: '1' })).toMatchObject({ param: 'speed' });
    expect(error({ input: 'hi', voice: 3 })).toMatchObject({ param: 'voice', code: 'SLUICE_INVALID_FIELD' });
    expect(error(['hi'])).toMatchObject({ code: 'SLUICE_INVALID_BODY' });
  });

  it('gives content types per format', () => {
    expect(audioContentType('mp3')).toBe('audio/mpeg');
    expect(audioContentType('wav')).toBe('audio/wav');
  });
  it('normalises whitespace so equivalent texts share a cache key, keeping line breaks', () => {
    expect(normalizeSpeechText('  Hello \t  world \r\n\n\n second   line  ')).toBe('Hello world\nsecond line');
    expect(validateSpeechRequest({ input: ' a   b ', voice: 'alloy' }, limits).input).toBe('a b');
    expect(validateSynthesizeRequest({ text: 'hi' }, limits)).toMatchObject({ voice: 'alloy', response_format: 'wav' });
  });
});
