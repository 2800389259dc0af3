// Request validation at the edge: every 400 names the field that is wrong.
import { isObj } from '../../shared/is-obj.ts';
import type { ChatCompletionRequest, EmbeddingsRequest } from '../../shared/openai.ts';
import { BadRequestError } from '../errors.ts';

type Obj = Record<string, unknown>;
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

function fail(param: string, message: string): never {
  throw new BadRequestError(`Invalid '${param}': ${message}`, param, 'SLUICE_INVALID_FIELD');
}

export function requireModel(body: Obj): string {
  if (body.model === undefined) throw new BadRequestError("Missing required field 'model'.", 'model', 'SLUICE_MISSING_FIELD');
  if (typeof body.model !== 'string' || body.model.trim() === '') fail('model', 'expected a non-empty string');
  if (body.model.length > 256) fail('model', 'longer than 256 characters');
  return body.model;
}

function optNumber(body: Obj, key: string, min: number, max: number, integer = false): void {
  const v = body[key];
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(key, 'expected a number');
  if (integer && !Number.isInteger(v)) fail(key, 'expected an integer');
  if (v < min || v > max) fail(key, `expected a value from ${min} to ${max}, got ${v}`);
}

function optBoolean(body: Obj, key: string): void {
  const v = body[key];
  if (v !== undefined && v !== null && typeof v !== 'boolean') fail(key, 'expected a boolean');
}

function validateContent(content: unknown, path: string): void {
  if (content === undefined || content === null || typeof content === 'string') return;
  if (!Array.isArray(content)) fail(path, 'expected a string, an array of content parts, or null');
  content.forEach((part, j) => {
    if (!isObj(part) || typeof part.type !== 'string') fail(`${path}[${j}]`, "expected a content part object with a 'type'");
    if (part.type === 'text' && typeof part.text !== 'string') fail(`${path}[${j}].text`, 'expected a string');
  });
}

export function validateChatRequest(body: Obj): ChatCompletionRequest {
  requireModel(body);
  if (body.messages === undefined) throw new BadRequestError("Missing required field 'messages'.", 'messages', 'SLUICE_MISSING_FIELD');
  if (!Array.isArray(body.messages)) fail('messages', 'expected an array of messages');
  if (body.messages.length === 0) fail('messages', 'expected at least one message');
  body.messages.forEach((m, i) => {
    if (!isObj(m)) fail(`messages[${i}]`, 'expected an object');
    if (typeof m.role !== 'string' || !ROLES.has(m.role)) fail(`messages[${i}].role`, `expected one of ${[...ROLES].join(', ')}`);
    validateContent(m.content, `messages[${i}].content`);
    if (m.tool_calls !== undefined && !Array.isArray(m.tool_calls)) fail(`messages[${i}].tool_calls`, 'expected an array');
  });
  optBoolean(body, 'stream');
  if (body.stream_options !== undefined && body.stream_options !== null && !isObj(body.stream_options)) fail('stream_options', 'expected an object');
  optNumber(body, 'temperature', 0, 2);
  optNumber(body, 'top_p', 0, 1);
  optNumber(body, 'n', 1, 128, true);
  optNumber(body, 'max_tokens', 1, 10_000_000, true);
  optNumber(body, 'max_completion_tokens', 1, 10_000_000, true);
  optNumber(body, 'presence_penalty', -2, 2);
  optNumber(body, 'frequency_penalty', -2, 2);
  optNumber(body, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true);
  if (body.stop !== undefined && body.stop !== null) {
    const ok = typeof body.stop === 'string' || (Array.isArray(body.stop) && body.stop.length <= 4 && body.stop.every((s) => typeof s === 'string'));
    if (!ok) fail('stop', 'expected a string or an array of up to 4 strings');
  }
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) fail('tools', 'expected an array');
    body.tools.forEach((t, i) => { if (!isObj(t)) fail(`tools[${i}]`, 'expected an object'); });
  }
  if (body.user !== undefined && typeof body.user !== 'string') fail('user', 'expected a string');
  if (body.metadata !== undefined && body.metadata !== null && !isObj(body.metadata)) fail('metadata', 'expected an object');
  return body as ChatCompletionRequest;
}

export function validateEmbeddingsRequest(body: Obj): EmbeddingsRequest {
  requireModel(body);
  const input = body.input;
  if (input === undefined) throw new BadRequestError("Missing required field 'input'.", 'input', 'SLUICE_MISSING_FIELD');
  if (typeof input === 'string') {
    if (input.length === 0) fail('input', 'expected a non-empty string');
  } else if (Array.isArray(input)) {
    if (input.length === 0) fail('input', 'expected at least one input');
    if (input.length > 2048) fail('input', 'at most 2048 inputs per request');
    const allStrings = input.every((x) => typeof x === 'string');
    const allTokens = input.every((x) => Number.isInteger(x));
    const allTokenLists = input.every((x) => Array.isArray(x) && x.length > 0 && x.every((t) => Number.isInteger(t)));
    if (!allStrings && !allTokens && !allTokenLists) fail('input', 'expected a string, an array of strings, or token arrays');
    if (allStrings) input.forEach((s, i) => { if ((s as string).length === 0) fail(`input[${i}]`, 'expected a non-empty string'); });
  } else {
    fail('input', 'expected a string or an array');
  }
  if (body.encoding_format !== undefined && body.encoding_format !== 'float' && body.encoding_format !== 'base64') {
    fail('encoding_format', "expected 'float' or 'base64'");
  }
  optNumber(body, 'dimensions', 1, 65_536, true);
  if (body.user !== undefined && typeof body.user !== 'string') fail('user', 'expected a string');
  return body as EmbeddingsRequest;
}
