// What OpenAI's chat completions refuse that Sluice's own check of a body lets through. For every provider
// Sluice stays as lenient as vLLM, Ollama or LM Studio are; the simulator, which stands in for OpenAI while
// an app is written, refuses these as OpenAI does (its words, its `param`), so the app's first 400 is not
// met at OpenAI.
import { describeValue } from '../../../shared/describe-value.ts';
import { isObj } from '../../../shared/is-obj.ts';
import { EXPECT_ARRAY, EXPECT_BOOLEAN, EXPECT_INTEGER, EXPECT_OBJECT, EXPECT_STRING, expectRange, invalidField } from '../../api/request-sayings.ts';
import { SluiceError } from '../../errors.ts';
import { badRequest, type Said } from '../../sayings.ts';
import {
  NAME_PATTERN, SIMULATOR_JSON_WORD, SIMULATOR_STREAM_OPTIONS_WITHOUT_STREAM, SIMULATOR_TOOL_CHOICE_WITHOUT_TOOLS, SIMULATOR_TOP_LOGPROBS_NEEDS_LOGPROBS,
  simulatorCustomTool, simulatorEmptyArray, simulatorInvalidValue, simulatorLogitBiasKey, simulatorLogitBiasValue, simulatorMissing, simulatorNamePattern,
  simulatorToolChoiceUnknown,
} from '../provider-sayings.ts';

type Obj = Record<string, unknown>;

/** Content part types by the role of the message that holds them, as OpenAI takes them. */
const PART_TYPES: Record<string, readonly string[]> = {
  user: ['text', 'image_url', 'input_audio', 'file'],
  assistant: ['text', 'refusal'],
  system: ['text'], developer: ['text'], tool: ['text'],
};
const RESPONSE_FORMATS = ['text', 'json_object', 'json_schema'];
const TOOL_CHOICES = ['none', 'auto', 'required'];
const NAME = new RegExp(NAME_PATTERN);

// The codes are OpenAI's, in Sluice's form (SLUICE_INVALID_VALUE reaches the client as invalid_value).
function refuse(s: Said, param: string, code = 'SLUICE_INVALID_VALUE'): never {
  throw badRequest(s, param, code);
}
function missing(param: string): never {
  refuse(simulatorMissing(param), param, 'SLUICE_MISSING_REQUIRED_PARAMETER');
}
function wrongType(param: string, problem: Said): never {
  refuse(invalidField(param, problem), param, 'SLUICE_INVALID_TYPE');
}
function notOneOf(param: string, value: unknown, values: readonly string[]): never {
  refuse(simulatorInvalidValue(param, describeValue(value), values), param);
}
const absent = (v: unknown): v is null | undefined => v === undefined || v === null;

function requireObject(v: unknown, param: string): Obj {
  if (absent(v)) missing(param);
  if (!isObj(v)) wrongType(param, EXPECT_OBJECT);
  return v;
}

function requireName(v: unknown, param: string): string {
  if (absent(v)) missing(param);
  if (typeof v !== 'string') wrongType(param, EXPECT_STRING);
  if (!NAME.test(v)) refuse(simulatorNamePattern(param, describeValue(v)), param);
  return v;
}

function checkMessages(messages: Obj[]): void {
  messages.forEach((m, i) => {
    if (m.role === 'tool') {
      if (absent(m.tool_call_id)) missing(`messages[${i}].tool_call_id`);
      if (typeof m.tool_call_id !== 'string') wrongType(`messages[${i}].tool_call_id`, EXPECT_STRING);
    }
    const allowed = PART_TYPES[m.role as string];
    if (!allowed || !Array.isArray(m.content)) return;
    m.content.forEach((part: unknown, j) => {
      const at = `messages[${i}].content[${j}]`;
      if (!isObj(part)) return;
      if (!allowed.includes(part.type as string)) notOneOf(`${at}.type`, part.type, allowed);
      if (part.type === 'image_url' && typeof requireObject(part.image_url, `${at}.image_url`).url !== 'string') missing(`${at}.image_url.url`);
      if (part.type === 'input_audio') {
        const audio = requireObject(part.input_audio, `${at}.input_audio`);
        if (typeof audio.data !== 'string') missing(`${at}.input_audio.data`);
        if (audio.format !== 'wav' && audio.format !== 'mp3') notOneOf(`${at}.input_audio.format`, audio.format, ['wav', 'mp3']);
      }
      if (part.type === 'file') requireObject(part.file, `${at}.file`);
      if (part.type === 'refusal' && typeof part.refusal !== 'string') missing(`${at}.refusal`);
    });
  });
}

/** Whether any message says "json" (OpenAI's condition for json_object, so the model is told to answer JSON). */
function mentionsJson(messages: Obj[]): boolean {
  return messages.some((m) => {
    const parts = typeof m.content === 'string' ? [m.content] : Array.isArray(m.content) ? (m.content as Obj[]).map((p) => p.text) : [];
    return parts.some((t) => typeof t === 'string' && /json/i.test(t));
  });
}

function checkResponseFormat(body: Obj, messages: Obj[]): void {
  if (absent(body.response_format)) return;
  const rf = requireObject(body.response_format, 'response_format');
  if (absent(rf.type)) missing('response_format.type');
  if (!RESPONSE_FORMATS.includes(rf.type as string)) notOneOf('response_format.type', rf.type, RESPONSE_FORMATS);
  if (rf.type === 'json_object' && !mentionsJson(messages)) refuse(SIMULATOR_JSON_WORD, 'messages');
  if (rf.type !== 'json_schema') return;
  const spec = requireObject(rf.json_schema, 'response_format.json_schema');
  requireName(spec.name, 'response_format.json_schema.name');
  if (spec.schema !== undefined && !isObj(spec.schema)) wrongType('response_format.json_schema.schema', EXPECT_OBJECT);
  if (!absent(spec.strict) && typeof spec.strict !== 'boolean') wrongType('response_format.json_schema.strict', EXPECT_BOOLEAN);
}

/** The function names the tools declare (Sluice has checked that tools is an array of objects). */
function checkTools(tools: Obj[]): string[] {
  if (tools.length === 0) refuse(simulatorEmptyArray('tools'), 'tools', 'SLUICE_EMPTY_ARRAY');
  return tools.map((t, i) => {
    const at = `tools[${i}]`;
    if (absent(t.type)) missing(`${at}.type`);
    if (t.type === 'custom') refuse(simulatorCustomTool(at), `${at}.type`, 'SLUICE_UNSUPPORTED_VALUE');
    if (t.type !== 'function') notOneOf(`${at}.type`, t.type, ['function', 'custom']);
    const fn = requireObject(t.function, `${at}.function`);
    const name = requireName(fn.name, `${at}.function.name`);
    if (fn.parameters !== undefined && !isObj(fn.parameters)) wrongType(`${at}.function.parameters`, EXPECT_OBJECT);
    return name;
  });
}

/** A named function of tool_choice (or of its allowed_tools) that the tools declare. */
function checkNamedFunction(choice: Obj, at: string, names: readonly string[]): void {
  if (absent(choice.type)) missing(`${at}.type`);
  if (choice.type === 'custom') refuse(simulatorCustomTool(at), `${at}.type`, 'SLUICE_UNSUPPORTED_VALUE');
  if (choice.type !== 'function') notOneOf(`${at}.type`, choice.type, ['function', 'custom']);
  const name = requireName(requireObject(choice.function, `${at}.function`).name, `${at}.function.name`);
  if (!names.includes(name)) refuse(simulatorToolChoiceUnknown(at, name), at);
}

function checkToolChoice(tc: unknown, names: readonly string[] | null): void {
  if (absent(tc)) return;
  if (!names) refuse(SIMULATOR_TOOL_CHOICE_WITHOUT_TOOLS, 'tool_choice');
  if (typeof tc === 'string') {
    if (!TOOL_CHOICES.includes(tc)) notOneOf('tool_choice', tc, TOOL_CHOICES);
    return;
  }
  if (!isObj(tc)) notOneOf('tool_choice', tc, TOOL_CHOICES);
  if (tc.type !== 'allowed_tools') return checkNamedFunction(tc, 'tool_choice', names);
  const allowed = requireObject(tc.allowed_tools, 'tool_choice.allowed_tools');
  if (allowed.mode !== 'auto' && allowed.mode !== 'required') notOneOf('tool_choice.allowed_tools.mode', allowed.mode, ['auto', 'required']);
  if (absent(allowed.tools)) missing('tool_choice.allowed_tools.tools');
  if (!Array.isArray(allowed.tools)) wrongType('tool_choice.allowed_tools.tools', EXPECT_ARRAY);
  if (allowed.tools.length === 0) refuse(simulatorEmptyArray('tool_choice.allowed_tools.tools'), 'tool_choice.allowed_tools.tools', 'SLUICE_EMPTY_ARRAY');
  allowed.tools.forEach((t, k) => checkNamedFunction(requireObject(t, `tool_choice.allowed_tools.tools[${k}]`), `tool_choice.allowed_tools.tools[${k}]`, names));
}

function checkLogitBias(bias: unknown): void {
  if (absent(bias)) return;
  for (const [key, value] of Object.entries(requireObject(bias, 'logit_bias'))) {
    if (!/^\d{1,9}$/.test(key)) refuse(simulatorLogitBiasKey(describeValue(key)), 'logit_bias');
    if (typeof value !== 'number' || !(value >= -100 && value <= 100)) refuse(simulatorLogitBiasValue(key, describeValue(value)), 'logit_bias');
  }
}

function checkLogprobs(body: Obj): void {
  if (!absent(body.logprobs) && typeof body.logprobs !== 'boolean') wrongType('logprobs', EXPECT_BOOLEAN);
  const top = body.top_logprobs;
  if (absent(top)) return;
  if (typeof top !== 'number' || !Number.isInteger(top)) wrongType('top_logprobs', EXPECT_INTEGER);
  if (top < 0 || top > 20) refuse(invalidField('top_logprobs', expectRange(0, 20, top)), 'top_logprobs');
  if (body.logprobs !== true) refuse(SIMULATOR_TOP_LOGPROBS_NEEDS_LOGPROBS, 'top_logprobs');
}

/**
 * The 400 OpenAI would give this chat body (one Sluice has validated: messages are objects with a role,
 * content parts objects with a string type, tools an array of objects), or null.
 */
export function chatRefusal(body: Obj): SluiceError | null {
  try {
    // explain may ask before the body is validated: what is not the shape checked here is left to that
    const messages = Array.isArray(body.messages) ? body.messages.filter(isObj) : [];
    checkMessages(messages);
    checkResponseFormat(body, messages);
    const names = Array.isArray(body.tools) ? checkTools(body.tools.filter(isObj)) : null;
    checkToolChoice(body.tool_choice, names);
    checkLogitBias(body.logit_bias);
    checkLogprobs(body);
    if (!absent(body.stream_options) && body.stream !== true) refuse(SIMULATOR_STREAM_OPTIONS_WITHOUT_STREAM, 'stream_options');
    return null;
  } catch (err) {
    if (err instanceof SluiceError) return err;
    throw err;
  }
}
