// Counts the text a streamed chat answer carries (content, reasoning, tool-call arguments) as it
// passes, for the token estimate of a stream that reports no usage (a client that did not ask for
// stream_options.include_usage). The string values are found by a scan, not by parsing each chunk.
import { estimateTextTokens } from '../routing/token-estimate.ts';
import { sseChunk } from './sse-usage.ts';

const TEXT_VALUE = /"(?:content|reasoning_content|arguments)":\s*"/g;

export class SseTextCounter {
  /** Bytes after the last line break (kept as bytes: a character may be split between chunks). */
  #carry: Buffer = Buffer.alloc(0);
  #tokens = 0;

  /** Tokens of the text seen so far (about 4 characters a token, one per CJK character). */
  get tokens(): number { return this.#tokens; }

  observe(chunk: Uint8Array): void {
    const { buf, lastBreak, carry } = sseChunk(chunk, this.#carry);
    if (lastBreak < 0) { this.#carry = carry; return; }
    const text = (this.#carry.length ? Buffer.concat([this.#carry, buf.subarray(0, lastBreak)]) : buf.subarray(0, lastBreak)).toString('utf8');
    this.#carry = Buffer.from(buf.subarray(lastBreak + 1));
    for (const line of text.split('\n')) if (line.startsWith('data:')) this.#scan(line);
  }

  #scan(line: string): void {
    TEXT_VALUE.lastIndex = 0;
    for (let m = TEXT_VALUE.exec(line); m; m = TEXT_VALUE.exec(line)) {
      const start = TEXT_VALUE.lastIndex;
      let end = start;
      let escaped = false;
      while (end < line.length) {
        const c = line.charCodeAt(end);
        if (c === 92) { escaped = true; end += 2; continue; }
        if (c === 34) break;
        end++;
      }
      const raw = line.slice(start, end);
      let value = raw;
      if (escaped) {
        try { value = JSON.parse(`"${raw}"`) as string; } catch { /* a foreign line: count it as it stands */ }
      }
      this.#tokens += estimateTextTokens(value);
      TEXT_VALUE.lastIndex = end + 1;
    }
  }
}
