// The context a semantic hit must share exactly: everything in the request but the wording of the
// last user message. Same target, system prompt, earlier turns, parameters and tenant → same key.
import { createHash } from 'node:crypto';
import type { ChatCompletionRequest, ChatMessage } from '../../../shared/openai.ts';
import type { Target } from '../../../shared/targets.ts';

export interface SemanticQuery {
  /** Hash of the canonical request with the last user message's text removed. */
  contextKey: string;
  /** The last user message's text: what is compared for similarity. */
  text: string;
}

export interface SemanticScope {
  target: Target;
  /** Hash of the client's credential scope ('' when anonymous): entries never cross tenants. */
  tenant: string;
  /** The cache namespace (x-sluice-cache-namespace); '' for the default one. */
  namespace?: string;
}

/** Fields that change how the answer is delivered, not what it says. */
const TRANSPORT_FIELDS = new Set(['stream', 'stream_options', 'model']);

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** Text of a message when it is only text (a string, or text parts); null when it carries anything else. */
function textOf(message: ChatMessage): string | null {
  const c = message.content;
  if (typeof c === 'string') return c;
  if (!Array.isArray(c) || c.length === 0) return null;
  const texts: string[] = [];
  for (const part of c) {
    if (part.type !== 'text' || typeof (part as { text?: unknown }).text !== 'string') return null;
    texts.push((part as { text: string }).text);
  }
  return texts.join('\n');
}

/**
 * The semantic query of a chat request, or null when semantic matching does not apply
 * (the last message is not a text-only user message, or it is empty).
 */
export function semanticQueryOf(body: ChatCompletionRequest, scope: SemanticScope): SemanticQuery | null {
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'user') return null;
  const text = textOf(last);
  if (text === null || text.trim() === '') return null;
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (!TRANSPORT_FIELDS.has(k)) rest[k] = v;
  const { content: _content, ...lastWithoutText } = last;
  rest.messages = [...messages.slice(0, -1), { ...lastWithoutText, content: null }];
  const payload = canonical({
    v: 1, target: `${scope.target.provider}/${scope.target.model}`, tenant: scope.tenant, namespace: scope.namespace || undefined, request: rest,
  });
  return { contextKey: createHash('sha256').update(payload).digest('hex').slice(0, 32), text };
}
