// Rebuilds a ChatCompletion from OpenAI chat SSE bytes as they pass, so a streamed answer can be
// cached and served later as a plain response. Bytes may be split anywhere (inside a line, inside a
// UTF-8 sequence, between CR and LF). The result counts as complete only if `data: [DONE]` arrived,
// nothing reported an error, and every choice has a finish_reason.
import type { ChatChoice, ChatCompletion, ChatCompletionChunk, ChatMessage, ToolCall, Usage } from '../../shared/openai.ts';

export type AssembledStream =
  | { complete: true; completion: ChatCompletion }
  | { complete: false; reason: string };

interface ChoiceState {
  index: number;
  role: string | null;
  content: string | null;
  reasoning: string | null;
  refusal: string | null;
  toolCalls: Map<number, { id?: string; type?: 'function'; name: string; arguments: string }>;
  extra: Record<string, unknown>;
  finishReason: string | null;
  logprobs: { seen: boolean; content: unknown[] | null; refusal: unknown[] | null };
}

const LF = 10;
const KNOWN_DELTA = new Set(['role', 'content', 'reasoning_content', 'refusal', 'tool_calls']);

export class StreamAssembler {
  #carry: Buffer = Buffer.alloc(0);
  #dataLines: string[] = [];
  #done = false;
  #error: string | null = null;
  #id = '';
  #created = 0;
  #model = '';
  #fingerprint: string | null | undefined = undefined;
  #serviceTier: unknown = undefined;
  #usage: Usage | null = null;
  #choices = new Map<number, ChoiceState>();
  #ended = false;

  /** Feed the next bytes of the stream. */
  push(bytes: Uint8Array): void {
    if (this.#ended) throw new Error('StreamAssembler: push after end');
    let buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.#carry.length) buf = Buffer.concat([this.#carry, buf]);
    let start = 0;
    for (let nl = buf.indexOf(LF, start); nl >= 0; nl = buf.indexOf(LF, start)) {
      let end = nl;
      if (end > start && buf[end - 1] === 13) end--;
      this.#line(buf.toString('utf8', start, end));
      start = nl + 1;
    }
    this.#carry = Buffer.from(buf.subarray(start));
  }

  /** The stream has ended (or broke off): what it amounts to. */
  end(): AssembledStream {
    if (!this.#ended) {
      this.#ended = true;
      if (this.#carry.length) {
        let text = this.#carry.toString('utf8');
        if (text.endsWith('\r')) text = text.slice(0, -1);
        this.#line(text);
      }
      this.#dispatch();
    }
    if (this.#error) return { complete: false, reason: this.#error };
    if (!this.#done) return { complete: false, reason: 'the stream ended before data: [DONE]' };
    if (this.#choices.size === 0) return { complete: false, reason: 'the stream carried no choices' };
    for (const c of this.#choices.values()) {
      if (!c.finishReason) return { complete: false, reason: `choice ${c.index} has no finish_reason` };
    }
    return { complete: true, completion: this.#build() };
  }

  #line(line: string): void {
    if (line === '') { this.#dispatch(); return; }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#dataLines.push(value);
    else if (field === 'event' && value === 'error') this.#error ??= 'the stream reported an error event';
  }

  #dispatch(): void {
    if (this.#dataLines.length === 0) return;
    const data = this.#dataLines.join('\n');
    this.#dataLines = [];
    if (data.trim() === '[DONE]') { this.#done = true; return; }
    if (this.#done) return; // nothing counts after [DONE]
    let chunk: ChatCompletionChunk & { error?: unknown };
    try {
      chunk = JSON.parse(data);
    } catch {
      this.#error ??= 'a data line is not valid JSON';
      return;
    }
    if (!chunk || typeof chunk !== 'object') { this.#error ??= 'a data line is not a JSON object'; return; }
    if (chunk.error) { this.#error ??= 'the stream reported an error'; return; }
    this.#chunk(chunk);
  }

  #chunk(chunk: ChatCompletionChunk): void {
    if (chunk.id && !this.#id) this.#id = chunk.id;
    if (typeof chunk.created === 'number' && !this.#created) this.#created = chunk.created;
    if (chunk.model && !this.#model) this.#model = chunk.model;
    if (chunk.system_fingerprint !== undefined) this.#fingerprint = chunk.system_fingerprint;
    if (chunk.service_tier !== undefined) this.#serviceTier = chunk.service_tier;
    if (chunk.usage) this.#usage = chunk.usage;
    for (const ch of Array.isArray(chunk.choices) ? chunk.choices : []) {
      const index = typeof ch.index === 'number' ? ch.index : 0;
      let st = this.#choices.get(index);
      if (!st) {
        st = { index, role: null, content: null, reasoning: null, refusal: null, toolCalls: new Map(), extra: {}, finishReason: null, logprobs: { seen: false, content: null, refusal: null } };
        this.#choices.set(index, st);
      }
      const d = (ch.delta ?? {}) as Partial<ChatMessage> & { refusal?: string | null };
      if (typeof d.role === 'string') st.role = d.role;
      if (typeof d.content === 'string') st.content = (st.content ?? '') + d.content;
      if (typeof d.reasoning_content === 'string') st.reasoning = (st.reasoning ?? '') + d.reasoning_content;
      if (typeof d.refusal === 'string') st.refusal = (st.refusal ?? '') + d.refusal;
      if (Array.isArray(d.tool_calls)) for (const tc of d.tool_calls) this.#toolCall(st, tc);
      for (const [k, v] of Object.entries(d)) {
        if (KNOWN_DELTA.has(k) || v === null || v === undefined) continue;
        st.extra[k] = typeof v === 'string' && typeof st.extra[k] === 'string' ? st.extra[k] + v : v;
      }
      if (ch.finish_reason) st.finishReason = ch.finish_reason;
      if (ch.logprobs !== undefined) {
        st.logprobs.seen = true;
        const lp = ch.logprobs as { content?: unknown[] | null; refusal?: unknown[] | null } | null;
        if (lp?.content) st.logprobs.content = [...(st.logprobs.content ?? []), ...lp.content];
        if (lp?.refusal) st.logprobs.refusal = [...(st.logprobs.refusal ?? []), ...lp.refusal];
      }
    }
  }

  #toolCall(st: ChoiceState, tc: ToolCall): void {
    const index = typeof tc.index === 'number' ? tc.index : st.toolCalls.size;
    let t = st.toolCalls.get(index);
    if (!t) { t = { name: '', arguments: '' }; st.toolCalls.set(index, t); }
    if (tc.id) t.id = tc.id;
    if (tc.type) t.type = tc.type;
    if (tc.function?.name) t.name = tc.function.name;
    if (tc.function?.arguments) t.arguments += tc.function.arguments;
  }

  #build(): ChatCompletion {
    const choices: ChatChoice[] = [...this.#choices.values()].sort((a, b) => a.index - b.index).map((st) => {
      const message: ChatMessage = { role: (st.role ?? 'assistant') as ChatMessage['role'], content: st.content };
      if (st.reasoning !== null) message.reasoning_content = st.reasoning;
      if (st.refusal !== null) message.refusal = st.refusal;
      if (st.toolCalls.size) {
        message.tool_calls = [...st.toolCalls.entries()].sort((a, b) => a[0] - b[0])
          .map(([, t]) => ({ id: t.id, type: t.type ?? 'function', function: { name: t.name, arguments: t.arguments } }));
      }
      Object.assign(message, st.extra);
      const choice: ChatChoice = { index: st.index, message, finish_reason: st.finishReason };
      if (st.logprobs.seen) {
        choice.logprobs = st.logprobs.content || st.logprobs.refusal ? { content: st.logprobs.content, refusal: st.logprobs.refusal } : null;
      }
      return choice;
    });
    const completion: ChatCompletion = { id: this.#id, object: 'chat.completion', created: this.#created, model: this.#model, choices };
    if (this.#usage) completion.usage = this.#usage;
    if (this.#fingerprint !== undefined) completion.system_fingerprint = this.#fingerprint;
    if (this.#serviceTier !== undefined) completion.service_tier = this.#serviceTier;
    return completion;
  }
}

/** Assemble a whole stream of chunks (for tests and for a stream already held in memory). */
export function assembleSse(chunks: Iterable<Uint8Array | string>): AssembledStream {
  const a = new StreamAssembler();
  for (const c of chunks) a.push(typeof c === 'string' ? Buffer.from(c) : c);
  return a.end();
}
