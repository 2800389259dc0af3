// OpenAI chat shape ⇄ Anthropic Messages API: requests one way, complete answers the other.
// (Streams are translated in anthropic-stream.ts.)
import type { ChatCompletion, ChatCompletionRequest, ChatMessage, ContentPart, ToolCall, Usage } from '../../../shared/openai.ts';

export type AnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'image'; source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string } }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; tool_use_id: string; content: string | AnthropicBlock[]; is_error?: boolean }
  | { type: 'thinking'; thinking: string; signature?: string }
  | { type: string; [k: string]: unknown };

export interface AnthropicMessage { role: 'user' | 'assistant'; content: AnthropicBlock[] }

export interface AnthropicRequest {
  model: string;
  messages: AnthropicMessage[];
  max_tokens: number;
  system?: string;
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
  tools?: Array<{ name: string; description?: string; input_schema: unknown }>;
  tool_choice?: { type: 'auto' | 'any' | 'none' } | { type: 'tool'; name: string } | { type: string; disable_parallel_tool_use?: boolean; name?: string };
  metadata?: { user_id?: string };
  thinking?: unknown;
}

export interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

export interface AnthropicResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicBlock[];
  stop_reason: string | null;
  stop_sequence?: string | null;
  usage?: AnthropicUsage;
}

export interface TranslateOptions {
  /** max_tokens when the client gave none (Anthropic requires it). */
  defaultMaxTokens: number;
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function partToBlock(p: ContentPart): AnthropicBlock | null {
  if (p.type === 'text' && typeof (p as { text?: unknown }).text === 'string') return { type: 'text', text: (p as { text: string }).text };
  if (p.type === 'image_url') {
    const url = (p as { image_url?: { url?: string } }).image_url?.url ?? '';
    const m = DATA_URL.exec(url);
    if (m) return { type: 'image', source: { type: 'base64', media_type: m[1], data: m[2] } };
    if (url) return { type: 'image', source: { type: 'url', url } };
  }
  return null;
}

function contentBlocks(c: ChatMessage['content']): AnthropicBlock[] {
  if (typeof c === 'string') return c ? [{ type: 'text', text: c }] : [];
  if (!Array.isArray(c)) return [];
  const out: AnthropicBlock[] = [];
  for (const p of c) {
    const b = p && partToBlock(p);
    if (b) out.push(b);
  }
  return out;
}

function textOf(c: ChatMessage['content']): string {
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) return '';
  return c.map((p) => (p?.type === 'text' ? String((p as { text?: unknown }).text ?? '') : '')).filter(Boolean).join('\n');
}

function parseArgs(args: string | undefined): unknown {
  if (!args) return {};
  try { return JSON.parse(args); } catch { return { _raw: args }; }
}

function push(out: AnthropicMessage[], role: 'user' | 'assistant', blocks: AnthropicBlock[]): void {
  if (blocks.length === 0) return;
  const last = out[out.length - 1];
  if (last && last.role === role) last.content.push(...blocks);
  else out.push({ role, content: blocks });
}

export function toAnthropicRequest(req: ChatCompletionRequest, opts: TranslateOptions): AnthropicRequest {
  const system: string[] = [];
  const messages: AnthropicMessage[] = [];
  for (const m of req.messages ?? []) {
    switch (m.role) {
      case 'system':
      case 'developer': {
        const t = textOf(m.content);
        if (t) system.push(t);
        break;
      }
      case 'user':
        push(messages, 'user', contentBlocks(m.content));
        break;
      case 'assistant': {
        const blocks = contentBlocks(m.content);
        for (const tc of m.tool_calls ?? []) {
          blocks.push({ type: 'tool_use', id: tc.id ?? `call_${blocks.length}`, name: tc.function?.name ?? '', input: parseArgs(tc.function?.arguments) });
        }
        push(messages, 'assistant', blocks);
        break;
      }
      case 'tool':
      case 'function':
        push(messages, 'user', [{ type: 'tool_result', tool_use_id: String(m.tool_call_id ?? m.name ?? ''), content: textOf(m.content) }]);
        break;
    }
  }
  const out: AnthropicRequest = {
    model: req.model,
    messages,
    max_tokens: req.max_completion_tokens ?? req.max_tokens ?? opts.defaultMaxTokens,
  };
  if (system.length) out.system = system.join('\n\n');
  if (req.stream) out.stream = true;
  if (req.temperature != null) out.temperature = Math.min(1, Math.max(0, req.temperature));
  if (req.top_p != null) out.top_p = req.top_p;
  if (req.stop != null) out.stop_sequences = (Array.isArray(req.stop) ? req.stop : [req.stop]).filter((s) => typeof s === 'string' && s.length > 0);
  if (Array.isArray(req.tools) && req.tools.length) {
    out.tools = (req.tools as Array<{ type?: string; function?: { name?: string; description?: string; parameters?: unknown } }>)
      .filter((t) => t?.function?.name)
      .map((t) => ({
        name: t.function!.name!,
        ...(t.function!.description ? { description: t.function!.description } : {}),
        input_schema: t.function!.parameters ?? { type: 'object', properties: {} },
      }));
  }
  const choice = translateToolChoice(req.tool_choice);
  if (choice) out.tool_choice = choice;
  if (req.parallel_tool_calls === false && out.tools?.length) {
    out.tool_choice = { ...(out.tool_choice ?? { type: 'auto' }), disable_parallel_tool_use: true };
  }
  if (typeof req.user === 'string' && req.user) out.metadata = { user_id: req.user };
  if (req.thinking !== undefined) out.thinking = req.thinking;
  return out;
}

function translateToolChoice(c: unknown): AnthropicRequest['tool_choice'] | null {
  if (c == null) return null;
  if (c === 'auto') return { type: 'auto' };
  if (c === 'none') return { type: 'none' };
  if (c === 'required') return { type: 'any' };
  const name = (c as { function?: { name?: string } })?.function?.name;
  return name ? { type: 'tool', name } : null;
}

export function finishReason(stop: string | null | undefined): string | null {
  switch (stop) {
    case null: case undefined: return null;
    case 'end_turn': case 'stop_sequence': case 'pause_turn': return 'stop';
    case 'max_tokens': case 'model_context_window_exceeded': return 'length';
    case 'tool_use': return 'tool_calls';
    case 'refusal': return 'content_filter';
    default: return 'stop';
  }
}

export function toUsage(u: AnthropicUsage | undefined): Usage {
  const prompt = (u?.input_tokens ?? 0) + (u?.cache_read_input_tokens ?? 0) + (u?.cache_creation_input_tokens ?? 0);
  const completion = u?.output_tokens ?? 0;
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (u?.cache_read_input_tokens) usage.prompt_tokens_details = { cached_tokens: u.cache_read_input_tokens };
  return usage;
}

export function fromAnthropicResponse(msg: AnthropicResponse, created: number): ChatCompletion {
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  for (const b of msg.content ?? []) {
    if (b.type === 'text') text += (b as { text: string }).text;
    else if (b.type === 'thinking') reasoning += (b as { thinking: string }).thinking;
    else if (b.type === 'tool_use') {
      const t = b as { id: string; name: string; input: unknown };
      toolCalls.push({ id: t.id, type: 'function', function: { name: t.name, arguments: JSON.stringify(t.input ?? {}) } });
    }
  }
  const message: ChatMessage = { role: 'assistant', content: text || (toolCalls.length ? null : '') };
  if (reasoning) message.reasoning_content = reasoning;
  if (toolCalls.length) message.tool_calls = toolCalls;
  return {
    id: msg.id,
    object: 'chat.completion',
    created,
    model: msg.model,
    choices: [{ index: 0, message, finish_reason: finishReason(msg.stop_reason), logprobs: null }],
    usage: toUsage(msg.usage),
  };
}
