// A cheap fingerprint of what a request asks: the last user message of a chat, the input of
// embeddings and speech. FNV-1a over at most the first and last 512 characters, plus the length:
// enough to tell one client's loop of one prompt from its varied traffic (prompts alike in head,
// tail and length count as one, which only merges their counts), under a microsecond per request.
import type { Endpoint } from '../../shared/targets.ts';

const EDGE = 512;

function textOf(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    let out = '';
    for (const part of content) {
      if (typeof part === 'string') out += part;
      else if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') out += (part as { text: string }).text;
      if (out.length > 2 * EDGE) break;
    }
    return out;
  }
  return null;
}

function lastUserText(messages: unknown): string | null {
  if (!Array.isArray(messages)) return null;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown } | null;
    if (m && m.role === 'user') return textOf(m.content);
  }
  return null;
}

function fnv1a(s: string): string {
  const n = s.length;
  let h = 0x811c9dc5 ^ n;
  // Whole text when short, else its head and tail: two plain loops, one multiply per character.
  const headEnd = n <= 2 * EDGE ? n : EDGE;
  for (let i = 0; i < headEnd; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  for (let i = headEnd < n ? n - EDGE : n; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  // Hash and length (mod 2^16) in one exact integer: String() of a number is cheaper than toString(36).
  return String((h >>> 0) * 65_536 + (n & 0xffff));
}

/** Null when the request carries no text to fingerprint. */
export function promptFingerprint(endpoint: Endpoint | string, body: unknown): string | null {
  const b = body as { messages?: unknown; input?: unknown; model?: unknown } | null;
  if (!b || typeof b !== 'object') return null;
  let text: string | null = null;
  if (endpoint === 'chat') text = lastUserText(b.messages);
  else if (endpoint === 'embeddings' || endpoint === 'speech') {
    text = typeof b.input === 'string' ? b.input : Array.isArray(b.input) ? textOf(b.input) ?? JSON.stringify(b.input).slice(0, 4 * EDGE) : null;
  }
  return text === null ? null : fnv1a(text);
}
