// Whether an OpenAI chat stream reached its end, watched as the bytes pass: `data: [DONE]`, or a
// finish_reason for every choice (some OpenAI-compatible servers never send [DONE]). A stream the
// upstream closes before either was cut short, however cleanly the connection ended. An error event
// ends it too: the client has been told, and the error is kept for the request log. Only lines that
// can matter are parsed.

const DONE = Buffer.from('[DONE]');
const DATA = Buffer.from('data:');
const FINISH = Buffer.from('"finish_reason"');
const ERROR = Buffer.from('"error"');
const EVENT = Buffer.from('event:');
const FINISHED = /"finish_reason"\s*:\s*"/;
const LF = 10;
const EMPTY = Buffer.alloc(0);
/** A line longer than this without a line break is not kept whole (1 MB, as the usage watch). */
const MAX_CARRY = 1 << 20;

const isBlank = (b: number | undefined) => b === 32 || b === 9 || b === 13;

/**
 * Whether a line of these bytes is `data: [DONE]`: `data:`, then [DONE] with nothing but blanks around it,
 * at the start of a line. An answer's text that says `data: [DONE]` is inside a JSON string, never at a line's start.
 */
function doneLine(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(DONE); at >= 0; at = bytes.indexOf(DONE, at + DONE.length)) {
    let after = at + DONE.length;
    while (isBlank(bytes[after])) after++;
    if (after < bytes.length && bytes[after] !== LF) continue;
    let before = at - 1;
    while (before >= 0 && isBlank(bytes[before])) before--;
    const start = before - DATA.length + 1;
    if (start >= 0 && bytes.subarray(start, before + 1).equals(DATA) && (start === 0 || bytes[start - 1] === LF)) return true;
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

/** What an upstream's SSE error event said, as far as it said it. */
export interface StreamErrorEvent { message: string | null; type: string | null; code: string | null }

const textOr = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

export class ChatStreamEnd {
  readonly #choices: number;
  #carry: Buffer = EMPTY;
  #done = false;
  #failure: StreamErrorEvent | null = null;
  #finished = new Set<number>();

  /** `choices`: how many the request asked for (`n`, 1 by default). */
  constructor(choices = 1) {
    this.#choices = Number.isInteger(choices) && choices > 0 ? choices : 1;
  }

  /** The stream said it is over: [DONE], a finish_reason for every choice, or an error. */
  get complete(): boolean {
    return this.#done || this.#failure !== null || this.#finished.size >= this.#choices;
  }

  /** The first error event the stream carried, or null. */
  get failure(): StreamErrorEvent | null { return this.#failure; }

  observe(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lastBreak = buf.lastIndexOf(LF);
    if (lastBreak < 0) {
      this.#carry = this.#carry.length < MAX_CARRY ? Buffer.concat([this.#carry, buf]) : EMPTY;
      return;
    }
    const lines = this.#carry.length ? Buffer.concat([this.#carry, buf.subarray(0, lastBreak)]) : buf.subarray(0, lastBreak);
    this.#carry = lastBreak + 1 < buf.length ? Buffer.from(buf.subarray(lastBreak + 1)) : EMPTY;
    this.#watch(lines);
  }

  /** The end of the stream: a last line without its line break counts too. */
  end(): void {
    if (this.#carry.length) this.#watch(this.#carry);
    this.#carry = EMPTY;
  }

  /** Whole lines: [DONE] settles it without decoding anything, unless an error came before it; every
   * chunk carries "finish_reason": null, so only a string value, or an error, is worth decoding the lines for.
   * An error is a key in the chunk's own JSON (inside an answer's text its quotes are escaped), or an
   * `event: error` line, which some OpenAI-compatible servers send before the error's data. */
  #watch(lines: Buffer): void {
    if (this.#done) return;
    const failing = this.#failure === null && (lines.indexOf(ERROR) >= 0 || lines.indexOf(EVENT) >= 0);
    if (failing) this.#scan(lines.toString('utf8'));
    if (doneLine(lines)) this.#done = true;
    else if (!failing && finishesSomething(lines)) this.#scan(lines.toString('utf8'));
  }

  #scan(text: string): void {
    let errorEvent = false;
    for (const raw of text.split('\n')) {
      if (raw.startsWith('event:')) { errorEvent = raw.slice(6).trim() === 'error'; continue; }
      if (!raw.trim()) { errorEvent = false; continue; }
      if (!raw.startsWith('data:')) continue;
      const data = raw.slice(5).trim();
      if (!errorEvent && !FINISHED.test(data) && !data.includes('"error"')) continue;
      let parsed: { error?: unknown; choices?: Array<{ index?: unknown; finish_reason?: unknown }> };
      try { parsed = JSON.parse(data); } catch {
        if (errorEvent) this.#failure ??= { message: data || null, type: null, code: null };
        continue;
      }
      if (parsed?.error || errorEvent) {
        const e = (parsed?.error ?? parsed) as { message?: unknown; type?: unknown; code?: unknown } | string | null;
        this.#failure ??= e && typeof e === 'object'
          ? { message: textOr(e.message), type: textOr(e.type), code: textOr(e.code) }
          : { message: textOr(e), type: null, code: null };
        continue;
      }
      for (const c of Array.isArray(parsed?.choices) ? parsed.choices : []) {
        if (typeof c?.finish_reason === 'string' && c.finish_reason) this.#finished.add(typeof c.index === 'number' ? c.index : 0);
      }
    }
  }
}
