// A fast prompt-token estimate without a tokenizer: about 4 characters per token for Latin text,
// one token per CJK character, plus a small overhead per message. Good enough for routing thresholds
// and budget pre-checks; real counts come from the upstream's usage.
import type { ChatCompletion, ChatMessage, Usage } from '../../shared/openai.ts';

const PER_MESSAGE = 4;
const PER_IMAGE = 85;

function isWide(code: number): boolean {
  return (code >= 0x3040 && code <= 0x30ff) // kana
    || (code >= 0x3400 && code <= 0x4dbf) // CJK ext A
    || (code >= 0x4e00 && code <= 0x9fff) // CJK unified
    || (code >= 0xac00 && code <= 0xd7af) // hangul
    || (code >= 0xf900 && code <= 0xfaff)
    || (code >= 0xff00 && code <= 0xffef); // full-width forms
}

/** A character that may be wide (at or above U+3040); V8 answers at once for one-byte strings, which hold none. */
const MAYBE_WIDE = /[^\u0000-\u303f]/;

export function estimateTextTokens(text: string): number {
  // the characters before the first that may be wide are narrow: counted without looking at each
  const first = text.search(MAYBE_WIDE);
  if (first < 0) return Math.ceil(text.length / 4);
  let wide = 0;
  let narrow = first;
  for (let i = first; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x3040) narrow++;
    else if (isWide(c)) wide++;
    else narrow++;
  }
  return wide + Math.ceil(narrow / 4);
}

export function messageText(m: ChatMessage): string {
  const c = m.content;
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) return '';
  let out = '';
  for (const part of c) if (part && part.type === 'text' && typeof (part as { text?: unknown }).text === 'string') out += (part as { text: string }).text + '\n';
  return out;
}

export function estimatePromptTokens(messages: readonly ChatMessage[] | undefined, tools?: readonly unknown[]): number {
  if (!Array.isArray(messages)) return 0;
  let total = 3;
  for (const m of messages) {
    total += PER_MESSAGE + estimateTextTokens(messageText(m));
    if (Array.isArray(m.content)) for (const p of m.content) if (p?.type === 'image_url') total += PER_IMAGE;
    if (m.tool_calls) for (const t of m.tool_calls) total += estimateTextTokens((t.function?.name ?? '') + (t.function?.arguments ?? ''));
  }
  if (tools?.length) total += estimateTextTokens(JSON.stringify(tools));
  return total;
}

/** Tokens of a chat answer's text: content, reasoning and tool-call arguments, as SseTextCounter counts them in a stream. */
export function estimateCompletionTokens(completion: Pick<ChatCompletion, 'choices'>): number {
  let total = 0;
  for (const choice of Array.isArray(completion.choices) ? completion.choices : []) {
    const m = choice?.message;
    if (!m) continue;
    if (typeof m.content === 'string') total += estimateTextTokens(m.content);
    if (typeof m.reasoning_content === 'string') total += estimateTextTokens(m.reasoning_content);
    for (const t of m.tool_calls ?? []) if (typeof t.function?.arguments === 'string') total += estimateTextTokens(t.function.arguments);
  }
  return total;
}

/** The usage of a chat answer that reported none: the request's prompt estimated, the completion's tokens as counted. */
export function estimateChatUsage(request: unknown, completionTokens: number): Usage {
  const b = (request ?? {}) as { messages?: ChatMessage[]; tools?: unknown[] };
  const prompt = estimatePromptTokens(b.messages, b.tools);
  return { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens, estimated: true };
}

/** Tokens of an embeddings or speech input. */
export function estimateInputTokens(input: unknown): number {
  if (typeof input === 'string') return estimateTextTokens(input);
  if (Array.isArray(input)) {
    let total = 0;
    for (const x of input) total += typeof x === 'string' ? estimateTextTokens(x) : typeof x === 'number' ? 1 : Array.isArray(x) ? x.length : 0;
    return total;
  }
  return 0;
}
