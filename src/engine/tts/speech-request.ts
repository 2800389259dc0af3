// Validation of speech requests: OpenAI's `POST /v1/audio/speech` body, and the `/tts/synthesize`
// body `{ text, voice, format }` mapped to OpenAI's shape. Each problem is a 400 naming the field.
import { describeValue } from '../../shared/describe-value.ts';
import type { SpeechFormat, SpeechRequest, Usage } from '../../shared/openai.ts';
import { BODY_NOT_OBJECT, EMPTY_TEXT, EXPECT_MODEL_NAME, EXPECT_SPEECH_TEXT, EXPECT_STRING, EXPECT_VOICE_NAME, expectNumberFrom, invalidFieldSentence, MISSING_VOICE, missingSpeechInput, notOneOf, textTooLong } from '../api/request-sayings.ts';
import { BadRequestError } from '../errors.ts';
import { badRequest, type Said } from '../sayings.ts';

export const SPEECH_FORMATS: readonly SpeechFormat[] = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'];

const CONTENT_TYPES: Record<SpeechFormat, string> = {
  mp3: 'audio/mpeg', opus: 'audio/ogg; codecs=opus', aac: 'audio/aac', flac: 'audio/flac', wav: 'audio/wav', pcm: 'audio/pcm',
};

export function audioContentType(format: SpeechFormat): string {
  return CONTENT_TYPES[format];
}

export interface SpeechLimits {
  /** Longest input, in characters (Unicode code points). OpenAI's limit is 4096. */
  maxInputChars: number;
  /** Voices the chosen provider offers; omitted: not checked here. */
  voices?: readonly string[];
  /** Formats the chosen voice can be given in; omitted: all of OpenAI's formats. */
  formats?: readonly string[] | ((voice: string) => readonly string[]);
  /** Used when the body names no model (the `/tts/synthesize` shape has none). Default 'tts-1'. */
  defaultModel?: string;
  /**
   * Used when `/tts/synthesize` names no format. Default 'wav'. (OpenAI's body naming none is left
   * without one: the target that answers picks mp3, or wav when it cannot make mp3.)
   */
  defaultFormat?: SpeechFormat;
}

function fail(message: string, param: string, code: string): never {
  throw new BadRequestError(message, param, code);
}

/** A refusal whose sentence the panel can word (request-sayings.ts). */
function refuse(s: Said, param: string, code: string): never {
  throw badRequest(s, param, code);
}

function invalid(param: string, problem: Said, code = 'SLUICE_INVALID_FIELD'): never {
  refuse(invalidFieldSentence(param, problem), param, code);
}

/**
 * The text as it is spoken and keyed in the cache: line ends unified, runs of spaces and tabs
 * collapsed to one space, each line trimmed, blank lines dropped, the whole trimmed. Line breaks are
 * kept (they end a sentence), so texts that differ only in spacing share one cache entry.
 */
export function normalizeSpeechText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/gu, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/**
 * What a speech request is counted as, since audio answers carry no usage: its input characters, as
 * prompt tokens (OpenAI prices tts-1 per million characters; Sluice's speech prices are per million
 * characters too). An input that is not a string counts nothing.
 */
export function speechUsage(body: unknown): Usage {
  const input = (body as { input?: unknown } | null)?.input;
  const chars = typeof input === 'string' ? [...input].length : 0;
  return { prompt_tokens: chars, completion_tokens: 0, total_tokens: chars };
}

/** `/tts/synthesize` `{ text, voice, format, speed? }` → OpenAI's speech body. Other fields are kept. */
export function fromSynthesizeBody(raw: Record<string, unknown>): Record<string, unknown> {
  const { text, format, ...rest } = raw;
  const out: Record<string, unknown> = { ...rest, input: text };
  if (format !== undefined) out.response_format = format;
  return out;
}

export const STREAM_FORMATS = ['audio', 'sse'] as const;

/**
 * OpenAI's `stream_format`: 'audio' (its default, raw audio bytes) is what Sluice answers; 'sse'
 * (audio as base64 `speech.audio.delta` events) is refused here, before any upstream call. Passed on,
 * the upstream's event stream was rejected as a protocol error and counted against a healthy upstream
 * (its breaker, alerts, health), and the caller paid for it; Sluice's cache, sentence mode and its own
 * providers deal in audio bytes, and nothing they keep would let it rebuild the events' token usage.
 */
function checkStreamFormat(value: unknown): void {
  if (value === undefined || value === null || value === 'audio') return;
  if (value === 'sse') {
    fail("stream_format 'sse' is not supported by Sluice; leave stream_format out or send 'audio' (the audio streams as it is made either way).", 'stream_format', 'SLUICE_UNSUPPORTED_STREAM_FORMAT');
  }
  invalid('stream_format', notOneOf(describeValue(value), STREAM_FORMATS));
}

/**
 * Check a speech body and return it in OpenAI's shape. A body with `text` and no `input`, or any body
 * without `input` sent to `/tts/synthesize` (`shape`), is the `/tts/synthesize` shape; errors then
 * name its fields (`text`, `format`).
 */
export function validateSpeechRequest(body: unknown, limits: SpeechLimits, shape: 'openai' | 'synthesize' = 'openai'): SpeechRequest {
  if (!Number.isInteger(limits.maxInputChars) || limits.maxInputChars < 1) throw new RangeError(`maxInputChars must be a positive integer, got ${limits.maxInputChars}`);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) refuse(BODY_NOT_OBJECT, 'body', 'SLUICE_INVALID_BODY');
  const raw = body as Record<string, unknown>;
  const legacy = !('input' in raw) && ('text' in raw || shape === 'synthesize');
  const inputName = legacy ? 'text' : 'input';
  const formatName = legacy ? 'format' : 'response_format';
  const b = legacy ? fromSynthesizeBody(raw) : { ...raw };

  const model = b.model ?? limits.defaultModel ?? 'tts-1';
  if (typeof model !== 'string' || model.trim() === '') invalid('model', EXPECT_MODEL_NAME);

  const input = b.input;
  if (input === undefined) refuse(missingSpeechInput(inputName), inputName, 'SLUICE_MISSING_FIELD');
  if (typeof input !== 'string') invalid(inputName, EXPECT_SPEECH_TEXT);
  const text = normalizeSpeechText(input);
  if (text === '') invalid(inputName, EMPTY_TEXT, 'SLUICE_EMPTY_INPUT');
  const chars = [...text].length;
  if (chars > limits.maxInputChars) invalid(inputName, textTooLong(chars, limits.maxInputChars), 'SLUICE_INPUT_TOO_LONG');

  const voice = b.voice;
  if (voice === undefined) refuse(MISSING_VOICE, 'voice', 'SLUICE_MISSING_FIELD');
  if (typeof voice !== 'string' || voice.trim() === '') invalid('voice', EXPECT_VOICE_NAME);
  if (limits.voices && !limits.voices.includes(voice)) {
    const some = limits.voices.slice(0, 8).join(', ');
    fail(`Unknown voice '${voice}'. Voices include: ${some}${limits.voices.length > 8 ? ', …' : ''}.`, 'voice', 'SLUICE_UNKNOWN_VOICE');
  }

  // no format named in OpenAI's shape: left unset, for the target that answers to choose (speech-format-stage.ts)
  const format = b.response_format ?? (legacy ? limits.defaultFormat ?? 'wav' : undefined);
  if (format !== undefined && (typeof format !== 'string' || !SPEECH_FORMATS.includes(format as SpeechFormat))) {
    invalid(formatName, notOneOf(describeValue(format), SPEECH_FORMATS));
  }
  const allowed = typeof limits.formats === 'function' ? limits.formats(voice) : limits.formats;
  if (format !== undefined && allowed && !allowed.includes(format)) {
    fail(`Voice '${voice}' cannot give '${format}' audio; it can give ${allowed.join(', ') || 'no format'}.`, formatName, 'SLUICE_UNSUPPORTED_FORMAT');
  }

  if (b.speed !== undefined && (typeof b.speed !== 'number' || !(b.speed >= 0.25 && b.speed <= 4))) {
    invalid('speed', expectNumberFrom(0.25, 4));
  }
  if (b.instructions !== undefined && typeof b.instructions !== 'string') invalid('instructions', EXPECT_STRING);
  checkStreamFormat(b.stream_format);
  const out = { ...b, model, input: text, voice, response_format: format as SpeechFormat | undefined } as SpeechRequest;
  if (format === undefined) delete out.response_format;
  // 'audio' is what every answer is anyway: dropped, so it shares cache entries with bodies that leave it out
  delete (out as { stream_format?: unknown }).stream_format;
  return out;
}

/** `POST /tts/synthesize`: the `{ text, voice, format }` body, where voice defaults to 'alloy' as it always has. */
export function validateSynthesizeRequest(body: unknown, limits: SpeechLimits): SpeechRequest {
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && !('voice' in body)) body = { ...body, voice: 'alloy' };
  return validateSpeechRequest(body, limits, 'synthesize');
}
