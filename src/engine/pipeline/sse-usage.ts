// Pull the `usage` object out of OpenAI SSE bytes as they pass, without parsing every chunk:
// only lines that mention "usage" are parsed. Lines split across chunks are stitched together.
import type { Usage } from '../../shared/openai.ts';

const MARK = Buffer.from('"usage"');
const NL = 10;
const MAX_CARRY = 1 << 20;

/**
 * A chunk's bytes and where its last line ends. A chunk with no line end is added to `carry` (the bytes
 * after the last line end so far, bounded at 1 MB) and `lastBreak` is -1.
 */
export function sseChunk(chunk: Uint8Array, carry: Buffer): { buf: Buffer; lastBreak: number; carry: Buffer } {
  const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const lastBreak = buf.lastIndexOf(NL);
  if (lastBreak >= 0) return { buf, lastBreak, carry };
  return { buf, lastBreak, carry: carry.length < MAX_CARRY ? Buffer.concat([carry, buf]) : Buffer.alloc(0) };
}

export class SseUsageWatcher {
  #carry: Buffer = Buffer.alloc(0);
  usage: Usage | null = null;

  observe(chunk: Uint8Array): void {
    const { buf, lastBreak, carry } = sseChunk(chunk, this.#carry);
    if (lastBreak < 0) { this.#carry = carry; return; }
    const head = buf.subarray(0, lastBreak);
    if (head.indexOf(MARK) >= 0 || (this.#carry.length > 0 && this.#carry.indexOf(MARK) >= 0) || (this.#carry.length > 0 && head.indexOf(NL) < 0 && buf.indexOf(MARK) >= 0)) {
      this.#scan(Buffer.concat([this.#carry, head]).toString('utf8'));
    } else if (this.#carry.length > 0) {
      const firstBreak = head.indexOf(NL);
      const firstLine = Buffer.concat([this.#carry, firstBreak < 0 ? head : head.subarray(0, firstBreak)]);
      if (firstLine.indexOf(MARK) >= 0) this.#scan(firstLine.toString('utf8'));
    }
    this.#carry = Buffer.from(buf.subarray(lastBreak + 1));
  }

  #scan(text: string): void {
    for (const line of text.split('\n')) {
      if (!line.startsWith('data:') || !line.includes('"usage"')) continue;
      try {
        const parsed = JSON.parse(line.slice(5).trim()) as { usage?: Usage | null };
        if (parsed.usage && typeof parsed.usage.prompt_tokens === 'number') this.usage = parsed.usage;
      } catch { /* a partial or foreign line */ }
    }
  }
}
