// Replays a cached ChatCompletion as OpenAI chat SSE, chunked the way OpenAI streams: a role chunk,
// the reasoning, content in several deltas, tool calls (name first, then argument pieces), a finish
// chunk, a usage chunk when the client asked for one, then `data: [DONE]`. The openai SDK's stream
// helpers reassemble exactly the cached message.
import type { ChatChunkChoice, ChatCompletion, ChatCompletionChunk, ChatMessage } from '../../shared/openai.ts';

export interface ReplayOptions {
  /** stream_options.include_usage: send the usage chunk (and `usage: null` on the others). */
  includeUsage?: boolean;
  /** Characters per content/reasoning/arguments delta (default 24). */
  chunkChars?: number;
}

const CORE = new Set(['role', 'content', 'reasoning_content', 'refusal', 'tool_calls']);

/** Split on code points, so no surrogate pair is cut in half. */
function pieces(text: string, size: number): string[] {
  const cps = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += size) out.push(cps.slice(i, i + size).join(''));
  return out;
}

export function replayChunks(completion: ChatCompletion, opts: ReplayOptions = {}): ChatCompletionChunk[] {
  const size = opts.chunkChars ?? 24;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`replayChunks: chunkChars must be a positive integer, got ${size}`);
  const base = {
    id: completion.id, object: 'chat.completion.chunk' as const, created: completion.created, model: completion.model,
    ...(completion.system_fingerprint !== undefined ? { system_fingerprint: completion.system_fingerprint } : {}),
    ...(completion.service_tier !== undefined ? { service_tier: completion.service_tier } : {}),
  };
  const chunks: ChatCompletionChunk[] = [];
  const emit = (choice: ChatChunkChoice): void => {
    chunks.push({ ...base, choices: [choice], ...(opts.includeUsage ? { usage: null } : {}) });
  };
  for (const choice of completion.choices) {
    const m = choice.message as ChatMessage & { refusal?: string | null };
    const index = choice.index;
    const first: Partial<ChatMessage> & { refusal?: string | null } = { role: m.role ?? 'assistant', content: '' };
    for (const [k, v] of Object.entries(m)) if (!CORE.has(k) && v !== undefined) (first as Record<string, unknown>)[k] = v;
    if (choice.logprobs !== undefined) emit({ index, delta: first, finish_reason: null, logprobs: null });
    else emit({ index, delta: first, finish_reason: null });
    const lp = choice.logprobs === undefined ? {} : { logprobs: null };
    // reasoning_content is not an OpenAI field: the openai SDK keeps the last value of unknown delta
    // fields instead of appending, so it goes out in one delta (right for appending clients too).
    if (typeof m.reasoning_content === 'string') emit({ index, delta: { reasoning_content: m.reasoning_content }, finish_reason: null, ...lp });
    if (typeof m.content === 'string') {
      for (const p of pieces(m.content, size)) emit({ index, delta: { content: p }, finish_reason: null, ...lp });
    }
    if (typeof m.refusal === 'string') {
      for (const p of pieces(m.refusal, size)) emit({ index, delta: { refusal: p } as Partial<ChatMessage>, finish_reason: null, ...lp });
    }
    (m.tool_calls ?? []).forEach((tc, i) => {
      const args = tc.function?.arguments ?? '';
      emit({ index, delta: { tool_calls: [{ index: i, id: tc.id, type: tc.type ?? 'function', function: { name: tc.function?.name ?? '', arguments: '' } }] }, finish_reason: null, ...lp });
      for (const p of pieces(args, size)) emit({ index, delta: { tool_calls: [{ index: i, function: { arguments: p } }] }, finish_reason: null, ...lp });
    });
    emit({ index, delta: {}, finish_reason: choice.finish_reason, ...(choice.logprobs !== undefined ? { logprobs: choice.logprobs } : {}) });
  }
  if (opts.includeUsage && completion.usage) chunks.push({ ...base, choices: [], usage: completion.usage });
  return chunks;
}

/** One Buffer per SSE event, ending with `data: [DONE]`. */
export function replaySse(completion: ChatCompletion, opts: ReplayOptions = {}): Buffer[] {
  const out = replayChunks(completion, opts).map((c) => Buffer.from(`data: ${JSON.stringify(c)}\n\n`));
  out.push(Buffer.from('data: [DONE]\n\n'));
  return out;
}

/** The same events as an async stream, for a ProxyResult's `stream`. */
export async function* replayStream(completion: ChatCompletion, opts: ReplayOptions = {}): AsyncGenerator<Uint8Array> {
  for (const b of replaySse(completion, opts)) yield b;
}
