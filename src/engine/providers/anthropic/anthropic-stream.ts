// Anthropic's streamed events → OpenAI chat.completion.chunk server-sent events ending with [DONE].
// message_start → role chunk; text_delta → content; thinking_delta → reasoning_content;
// tool_use start + input_json_delta → tool_calls; message_delta → finish_reason (+ usage); message_stop → [DONE].
import type { ChatCompletionChunk, ChatChunkChoice, Usage } from '../../../shared/openai.ts';
import { UpstreamHttpError, UpstreamProtocolError, UpstreamStreamIncompleteError } from '../../errors.ts';
import { finishReason, toUsage, type AnthropicUsage } from './translate.ts';

export interface StreamTranslateOptions {
  provider: string;
  created: number;
  /** Also send OpenAI's separate usage chunk (stream_options.include_usage). */
  includeUsage: boolean;
  /** The upstream's id for the answer, carried by an error event's error. */
  requestId?: string | null;
}

interface SseEvent { event: string; data: string }

/** Split SSE bytes into events (handles events split across chunks, CRLF, multi-line data). */
export async function* parseSse(source: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buf = '';
  let event = '';
  let data: string[] = [];
  const flush = function* (): Generator<SseEvent> {
    if (data.length) yield { event: event || 'message', data: data.join('\n') };
    event = '';
    data = [];
  };
  const lines = function* (final: boolean): Generator<SseEvent> {
    for (;;) {
      const nl = buf.indexOf('\n');
      if (nl < 0) break;
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      if (line === '') yield* flush();
      else if (line.startsWith(':')) continue;
      else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
    }
    if (final) yield* flush();
  };
  for await (const chunk of source) {
    buf += decoder.decode(chunk, { stream: true });
    yield* lines(false);
  }
  buf += decoder.decode();
  if (buf && !buf.endsWith('\n')) buf += '\n';
  yield* lines(true);
}

export async function* translateAnthropicStream(source: AsyncIterable<Uint8Array>, o: StreamTranslateOptions): AsyncGenerator<Uint8Array> {
  const enc = new TextEncoder();
  let id = 'chatcmpl-anthropic';
  let model = '';
  let input: AnthropicUsage = {};
  let output = 0;
  let finish: string | null = null;
  let finished = false;
  /** Anthropic content-block index → OpenAI tool_calls index. */
  const toolIndex = new Map<number, number>();
  const chunk = (delta: ChunkDelta, finishReason: string | null = null, usage?: Usage): Uint8Array => {
    const choice: ChatChunkChoice = { index: 0, delta, finish_reason: finishReason, logprobs: null };
    const c: ChatCompletionChunk = { id, object: 'chat.completion.chunk', created: o.created, model, choices: [choice] };
    if (usage) c.usage = usage;
    return enc.encode(`data: ${JSON.stringify(c)}\n\n`);
  };

  for await (const ev of parseSse(source)) {
    if (ev.event === 'ping' || !ev.data) continue;
    let d: any;
    try { d = JSON.parse(ev.data); } catch { throw new UpstreamProtocolError(o.provider, `unreadable stream event '${ev.event}'`); }
    switch (d?.type ?? ev.event) {
      case 'message_start':
        id = d.message?.id ?? id;
        model = d.message?.model ?? model;
        input = d.message?.usage ?? {};
        output = d.message?.usage?.output_tokens ?? 0;
        yield chunk({ role: 'assistant', content: '' });
        break;
      case 'content_block_start': {
        const b = d.content_block ?? {};
        if (b.type === 'tool_use') {
          const i = toolIndex.size;
          toolIndex.set(d.index, i);
          yield chunk({ tool_calls: [{ index: i, id: b.id, type: 'function', function: { name: b.name, arguments: '' } }] });
        } else if (b.type === 'text' && b.text) yield chunk({ content: b.text });
        break;
      }
      case 'content_block_delta': {
        const delta = d.delta ?? {};
        if (delta.type === 'text_delta') yield chunk({ content: delta.text ?? '' });
        else if (delta.type === 'thinking_delta') yield chunk({ reasoning_content: delta.thinking ?? '' });
        else if (delta.type === 'input_json_delta') {
          const i = toolIndex.get(d.index) ?? 0;
          yield chunk({ tool_calls: [{ index: i, function: { arguments: delta.partial_json ?? '' } }] });
        }
        break;
      }
      case 'message_delta':
        finish = finishReason(d.delta?.stop_reason) ?? finish;
        if (d.usage?.output_tokens != null) output = d.usage.output_tokens;
        if (d.usage?.input_tokens != null) input = { ...input, input_tokens: d.usage.input_tokens };
        break;
      case 'message_stop': {
        const usage = toUsage({ ...input, output_tokens: output });
        yield chunk({}, finish ?? 'stop', usage);
        if (o.includeUsage) yield enc.encode(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: o.created, model, choices: [], usage })}\n\n`);
        yield enc.encode('data: [DONE]\n\n');
        finished = true;
        break;
      }
      case 'error': {
        const type = d.error?.type ?? 'error';
        const status = type === 'overloaded_error' ? 529 : type === 'rate_limit_error' ? 429 : type === 'invalid_request_error' ? 400 : 500;
        throw new UpstreamHttpError(o.provider, status, JSON.stringify(d), { requestId: o.requestId });
      }
      default:
        break; // content_block_stop, unknown future events
    }
    if (finished) return;
  }
  if (!finished) throw new UpstreamStreamIncompleteError(o.provider, 'no message_stop');
}

type ChunkDelta = ChatChunkChoice['delta'];
