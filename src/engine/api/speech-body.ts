// Validation of speech requests (OpenAI's shape) and the legacy `/tts/synthesize` body.
import type { SpeechRequest } from '../../shared/openai.ts';
import { BadRequestError } from '../errors.ts';
import { requireModel } from './validate-request.ts';

const FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'];

export function fromLegacySynthesize(raw: Record<string, unknown>): Record<string, unknown> {
  const { text, voice, format, speed, model, ...rest } = raw;
  return { ...rest, model: model ?? 'tts', input: text, voice: voice ?? 'alloy', response_format: format ?? 'wav', ...(speed !== undefined ? { speed } : {}) };
}

export function validateSpeechBody(body: Record<string, unknown>, maxChars: number): SpeechRequest {
  requireModel(body);
  const field = 'input' in body ? 'input' : 'text';
  if (typeof body.input !== 'string') throw new BadRequestError(`Invalid '${field}': expected a string of text to speak.`, field, 'SLUICE_INVALID_FIELD');
  if (body.input.trim() === '') throw new BadRequestError(`Invalid '${field}': the text is empty.`, field, 'SLUICE_INVALID_FIELD');
  if (body.input.length > maxChars) throw new BadRequestError(`Invalid '${field}': ${body.input.length} characters, over the limit of ${maxChars}.`, field, 'SLUICE_INVALID_FIELD');
  if (typeof body.voice !== 'string' || body.voice.trim() === '') throw new BadRequestError("Invalid 'voice': expected a voice name.", 'voice', 'SLUICE_INVALID_FIELD');
  if (body.response_format !== undefined && !FORMATS.includes(body.response_format as string)) {
    throw new BadRequestError(`Invalid 'response_format': expected one of ${FORMATS.join(', ')}.`, 'response_format', 'SLUICE_INVALID_FIELD');
  }
  if (body.speed !== undefined && (typeof body.speed !== 'number' || !(body.speed >= 0.25 && body.speed <= 4))) {
    throw new BadRequestError("Invalid 'speed': expected a number from 0.25 to 4.", 'speed', 'SLUICE_INVALID_FIELD');
  }
  return body as SpeechRequest;
}
