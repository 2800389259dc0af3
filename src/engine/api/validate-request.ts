// Request validation at the edge: every 400 names the field that is wrong, and carries its sentence as
// data (request-sayings.ts) for the panel.
import { isObj } from '../../shared/is-obj.ts';
import type { ChatCompletionRequest, EmbeddingsRequest } from '../../shared/openai.ts';
import { badRequest, type Said } from '../sayings.ts';
import {
  EXPECT_A_MESSAGE, EXPECT_AN_INPUT, EXPECT_ARRAY, EXPECT_BOOLEAN, EXPECT_CONTENT, EXPECT_CONTENT_PART, EXPECT_INPUT_LIST, EXPECT_INTEGER,
  EXPECT_MESSAGE_LIST, EXPECT_NON_EMPTY_STRING, EXPECT_NUMBER, EXPECT_OBJECT, EXPECT_STOP, EXPECT_STRING, EXPECT_STRING_OR_ARRAY, expectAtMostChars,
  expectAtMostInputs, expectEither, expectOneOf, expectRange, invalidField, missingField,
} from './request-sayings.ts';

type Obj = Record<string, unknown>;
const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];

function fail(param: string, problem: Said): never {
  throw badRequest(invalidField(param, problem), param, 'SLUICE_INVALID_FIELD');
}

function missing(param: string): never {
  throw badRequest(missingField(param), param, 'SLUICE_MISSING_FIELD');
}

export function requireModel(body: Obj): string {
  if (body.model === undefined) missing('model');
  if (typeof body.model !== 'string' || body.model.trim() === '') fail('model', EXPECT_NON_EMPTY_STRING);
  if (body.model.length > 256) fail('model', expectAtMostChars(256));
  return body.model;
}

function optNumber(body: Obj, key: string, min: number, max: number, integer = false): void {
  const v = body[key];
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(key, EXPECT_NUMBER);
  if (integer && !Number.isInteger(v)) fail(key, EXPECT_INTEGER);
  if (v < min || v > max) fail(key, expectRange(min, max, v));
}

function optBoolean(body: Obj, key: string): void {
  const v = body[key];
  if (v !== undefined && v !== null && typeof v !== 'boolean') fail(key, EXPECT_BOOLEAN);
}

function validateContent(content: unknown, path: string): void {
  if (content === undefined || content === null || typeof content === 'string') return;
  if (!Array.isArray(content)) fail(path, EXPECT_CONTENT);
  content.forEach((part, j) => {
    if (!isObj(part) || typeof part.type !== 'string') fail(`${path}[${j}]`, EXPECT_CONTENT_PART);
    if (part.type === 'text' && typeof part.text !== 'string') fail(`${path}[${j}].text`, EXPECT_STRING);
  });
}

export function validateChatRequest(body: Obj): ChatCompletionRequest {
  requireModel(body);
  if (body.messages === undefined) missing('messages');
  if (!Array.isArray(body.messages)) fail('messages', EXPECT_MESSAGE_LIST);
  if (body.messages.length === 0) fail('messages', EXPECT_A_MESSAGE);
  body.messages.forEach((m, i) => {
    if (!isObj(m)) fail(`messages[${i}]`, EXPECT_OBJECT);
    if (typeof m.role !== 'string' || !ROLES.includes(m.role)) fail(`messages[${i}].role`, expectOneOf(ROLES));
    validateContent(m.content, `messages[${i}].content`);
    if (m.tool_calls !== undefined && !Array.isArray(m.tool_calls)) fail(`messages[${i}].tool_calls`, EXPECT_ARRAY);
  });
  optBoolean(body, 'stream');
  if (body.stream_options !== undefined && body.stream_options !== null && !isObj(body.stream_options)) fail('stream_options', EXPECT_OBJECT);
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
    if (!ok) fail('stop', EXPECT_STOP);
  }
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) fail('tools', EXPECT_ARRAY);
    body.tools.forEach((t, i) => { if (!isObj(t)) fail(`tools[${i}]`, EXPECT_OBJECT); });
  }
  if (body.user !== undefined && typeof body.user !== 'string') fail('user', EXPECT_STRING);
  if (body.metadata !== undefined && body.metadata !== null && !isObj(body.metadata)) fail('metadata', EXPECT_OBJECT);
  return body as ChatCompletionRequest;
}

export function validateEmbeddingsRequest(body: Obj): EmbeddingsRequest {
  requireModel(body);
  const input = body.input;
  if (input === undefined) missing('input');
  if (typeof input === 'string') {
    if (input.length === 0) fail('input', EXPECT_NON_EMPTY_STRING);
  } else if (Array.isArray(input)) {
    if (input.length === 0) fail('input', EXPECT_AN_INPUT);
    if (input.length > 2048) fail('input', expectAtMostInputs(2048));
    const allStrings = input.every((x) => typeof x === 'string');
    const allTokens = input.every((x) => Number.isInteger(x));
    const allTokenLists = input.every((x) => Array.isArray(x) && x.length > 0 && x.every((t) => Number.isInteger(t)));
    if (!allStrings && !allTokens && !allTokenLists) fail('input', EXPECT_INPUT_LIST);
    if (allStrings) input.forEach((s, i) => { if ((s as string).length === 0) fail(`input[${i}]`, EXPECT_NON_EMPTY_STRING); });
  } else {
    fail('input', EXPECT_STRING_OR_ARRAY);
  }
  if (body.encoding_format !== undefined && body.encoding_format !== 'float' && body.encoding_format !== 'base64') {
    fail('encoding_format', expectEither('float', 'base64'));
  }
  optNumber(body, 'dimensions', 1, 65_536, true);
  if (body.user !== undefined && typeof body.user !== 'string') fail('user', EXPECT_STRING);
  return body as EmbeddingsRequest;
}
