// Whether an OpenAI chat stream reached its end, watched as the bytes pass: `data: [DONE]`, or a
// finish_reason for every choice (some OpenAI-compatible servers never send [DONE]). A stream the
// upstream closes before either was cut short, however cleanly the connection ended. An error event
// ends it too: the client has been told. Only lines that can matter are parsed.

const DONE = Buffer.from('[DONE]');
const FINISH = Buffer.from('"finish_reason"');
const ERROR = Buffer.from('"error"');
const FINISHED = /"finish_reason"\s*:\s*"/;
const LF = 10;
const EMPTY = Buffer.alloc(0);

const DONE_LINES = [Buffer.from('data: [DONE]'), Buffer.from('data:[DONE]')];

/** Whether a line of these bytes is `data: [DONE]` (or `data:[DONE]`), ignoring trailing spaces or CR. */
function doneLine(bytes: Buffer): boolean {
  for (const marker of DONE_LINES) {
    for (let at = bytes.indexOf(marker); at >= 0; at = bytes.indexOf(marker, at + 1)) {
      if (at > 0 && bytes[at - 1] !== LF) continue; // inside a line: text that happens to say it
      let i = at + marker.length;
      while (bytes[i] === 32 || bytes[i] === 13) i++;
      if (i >= bytes.length || bytes[i] === LF) return true;
    }
  }
  return false;
}

/** Whether some "finish_reason" in these bytes has a string value (not null), whitespace allowed around the colon. */
function finishesSomething(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(FINISH); at >= 0; at = bytes.indexOf(FINISH, at + FINISH.length)) {
    let i = at + FINISH.length;
    while (bytes[i] === 32 || bytes[i] === 9) i++;
    if (bytes[i++] !== 58 /* : */) continue;
    while (bytes[i] === 32 || bytes[i] === 9) i++;
    if (bytes[i] === 34 /* " */) return true;
  }
  return false;
}
/** A line longer than this without a line break is not kept whole (1 MB, as the usage watch). */
const MAX_CARRY = 1 << 20;

export class ChatStreamEnd {
  readonly #choices: number;
  #carry: Buffer = EMPTY;
  #done = false;
  #failed = false;
  #finished = new Set<number>();

  /** `choices`: how many the request asked for (`n`, 1 by default). */
  constructor(choices = 1) {
    this.#choices = Number.isInteger(choices) && choices > 0 ? choices : 1;
  }

  /** The stream said it is over: [DONE], a finish_reason for every choice, or an error. */
  get complete(): boolean {
    return this.#done || this.#failed || this.#finished.size >= this.#choices;
  }

  observe(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lastBreak = buf.lastIndexOf(LF);
    if (lastBreak < 0) {
      this.#carry = this.#carry.length < MAX_CARRY ? Buffer.concat([this.#carry, buf]) : Buffer.alloc(0);
      return;
    }
    const lines = this.#carry.length ? Buffer.concat([this.#carry, buf.subarray(0, lastBreak)]) : buf.subarray(0, lastBreak);
    this.#carry = lastBreak + 1 < buf.length ? Buffer.from(buf.subarray(lastBreak + 1)) : EMPTY;
    if (this.#done) return;
    // [DONE] on a line of its own settles it without decoding anything
    if (doneLine(lines)) { this.#done = true; return; }
    // every chunk carries "finish_reason": null; only a string value is worth decoding the lines for
    if (lines.indexOf(DONE) >= 0 || finishesSomething(lines) || lines.indexOf(ERROR) >= 0) this.#scan(lines.toString('utf8'));
  }

  /** The end of the stream: a last line without its line break counts too. */
  end(): void {
    if (this.#carry.length) this.#scan(this.#carry.toString('utf8'));
    this.#carry = EMPTY;
  }

  #scan(text: string): void {
    for (const raw of text.split('\n')) {
      if (!raw.startsWith('data:')) continue;
      const data = raw.slice(5).trim();
      if (data === '[DONE]') { this.#done = true; continue; }
      if (!FINISHED.test(data) && !data.includes('"error"')) continue;
      let parsed: { error?: unknown; choices?: Array<{ index?: unknown; finish_reason?: unknown }> };
      try { parsed = JSON.parse(data); } catch { continue; }
      if (parsed?.error) { this.#failed = true; continue; }
      for (const c of Array.isArray(parsed?.choices) ? parsed.choices : []) {
        if (typeof c?.finish_reason === 'string' && c.finish_reason) this.#finished.add(typeof c.index === 'number' ? c.index : 0);
      }
    }
  }
}
