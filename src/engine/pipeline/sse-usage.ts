// Pull the `usage` object out of OpenAI SSE bytes as they pass, without parsing every chunk:
// only lines that mention "usage" are parsed. Lines split across chunks are stitched together.
import type { Usage } from '../../shared/openai.ts';

const MARK = Buffer.from('"usage"');
const NL = 10;

export class SseUsageWatcher {
  #carry: Buffer = Buffer.alloc(0);
  usage: Usage | null = null;

  observe(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lastBreak = buf.lastIndexOf(NL);
    if (lastBreak < 0) {
      this.#carry = this.#carry.length < 1 << 20 ? Buffer.concat([this.#carry, buf]) : Buffer.alloc(0);
      return;
    }
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
