// The wire protocol of Microsoft Edge's read-aloud voices (the consumer endpoint Edge uses, no key):
// a WebSocket to speech.platform.bing.com with a TrustedClientToken and a time-based Sec-MS-GEC
// token; the client sends a `speech.config` text message and an `ssml` text message; the server
// answers with text messages (turn.start, audio.metadata, response, turn.end) and binary messages
// whose first two bytes (big-endian) give the length of a text header block ("Path:audio"),
// followed by audio bytes. `Path:turn.end` closes the turn.
import { createHash } from 'node:crypto';

export const EDGE_TRUSTED_CLIENT_TOKEN = '6A5AA1D4EAFF4E9FB37E23D68491D6F4';
export const EDGE_ENDPOINT = 'wss://speech.platform.bing.com/consumer/speech/synthesize/readaloud/edge/v1';
export const EDGE_CHROMIUM_VERSION = '143.0.3650.75';
export const EDGE_ORIGIN = 'chrome-extension://jdiccldimpdaibmpdkjnbmckianbfold';

/** Seconds between the Windows file-time epoch (1601-01-01) and the Unix epoch. */
const WIN_EPOCH_SECONDS = 11_644_473_600;

/**
 * Sec-MS-GEC: SHA-256 (upper-case hex) of the Windows file time (100 ns ticks), rounded down to
 * five minutes, followed by the trusted client token.
 */
export function secMsGec(nowMs: number, token = EDGE_TRUSTED_CLIENT_TOKEN): string {
  let seconds = Math.floor(nowMs / 1000) + WIN_EPOCH_SECONDS;
  seconds -= seconds % 300;
  const ticks = BigInt(seconds) * 10_000_000n;
  return createHash('sha256').update(`${ticks}${token}`, 'ascii').digest('hex').toUpperCase();
}

export interface EdgeUrlOptions {
  endpoint: string;
  token: string;
  chromiumVersion: string;
  connectionId: string;
  nowMs: number;
}

export function edgeUrl(o: EdgeUrlOptions): string {
  const url = new URL(o.endpoint);
  url.searchParams.set('TrustedClientToken', o.token);
  url.searchParams.set('Sec-MS-GEC', secMsGec(o.nowMs, o.token));
  url.searchParams.set('Sec-MS-GEC-Version', `1-${o.chromiumVersion}`);
  url.searchParams.set('ConnectionId', o.connectionId);
  return url.toString();
}

export function edgeHeaders(chromiumVersion: string): Record<string, string> {
  const major = chromiumVersion.split('.')[0];
  return {
    'User-Agent': `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36 Edg/${major}.0.0.0`,
    Origin: EDGE_ORIGIN,
    Pragma: 'no-cache',
    'Cache-Control': 'no-cache',
    'Accept-Language': 'en-US,en;q=0.9',
  };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The JavaScript-style date the service expects in X-Timestamp, in UTC. */
export function edgeTimestamp(nowMs: number): string {
  const d = new Date(nowMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${d.getUTCFullYear()} `
    + `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} GMT+0000 (Coordinated Universal Time)`;
}

export function speechConfigMessage(outputFormat: string, nowMs: number): string {
  const config = {
    context: { synthesis: { audio: { metadataoptions: { sentenceBoundaryEnabled: 'false', wordBoundaryEnabled: 'false' }, outputFormat } } },
  };
  return `X-Timestamp:${edgeTimestamp(nowMs)}\r\nContent-Type:application/json; charset=utf-8\r\nPath:speech.config\r\n\r\n${JSON.stringify(config)}\r\n`;
}

/** Text safe inside SSML: XML-escaped, with control characters the service rejects turned into spaces. */
export function escapeSsml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ' ')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** OpenAI's speed (1 = normal) as an SSML prosody rate: 1.5 → '+50%', 0.5 → '-50%'. */
export function prosodyRate(speed: number): string {
  const pct = Math.round((speed - 1) * 100);
  return `${pct >= 0 ? '+' : ''}${pct}%`;
}

export interface SsmlOptions {
  requestId: string;
  voice: string;
  text: string;
  speed: number;
  nowMs: number;
}

export function ssmlMessage(o: SsmlOptions): string {
  const lang = /^[a-z]{2,3}-[A-Z]{2}/.exec(o.voice)?.[0] ?? 'en-US';
  const ssml = `<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang='${lang}'>`
    + `<voice name='${escapeSsml(o.voice)}'><prosody pitch='+0Hz' rate='${prosodyRate(o.speed)}' volume='+0%'>`
    + `${escapeSsml(o.text)}</prosody></voice></speak>`;
  return `X-RequestId:${o.requestId}\r\nContent-Type:application/ssml+xml\r\nX-Timestamp:${edgeTimestamp(o.nowMs)}Z\r\nPath:ssml\r\n\r\n${ssml}`;
}

export interface EdgeMessage {
  headers: Record<string, string>;
  body: Buffer;
}

function parseHeaderBlock(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** A text message: header lines, a blank line, then the body. */
export function parseTextMessage(text: string): EdgeMessage {
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  return { headers: parseHeaderBlock(head), body: Buffer.from(split < 0 ? '' : text.slice(split + 4), 'utf8') };
}

/** A binary message: 2-byte big-endian header length, the header block, then audio. Null when malformed. */
export function parseBinaryMessage(data: Uint8Array): EdgeMessage | null {
  if (data.length < 2) return null;
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const headerLength = buf.readUInt16BE(0);
  if (2 + headerLength > buf.length) return null;
  return { headers: parseHeaderBlock(buf.toString('utf8', 2, 2 + headerLength)), body: buf.subarray(2 + headerLength) };
}

/** Build a binary audio message (what the service sends; used by the fake server in tests). */
export function binaryAudioMessage(requestId: string, audio: Uint8Array, contentType = 'audio/mpeg'): Buffer {
  const head = Buffer.from(`X-RequestId:${requestId}\r\nContent-Type:${contentType}\r\nPath:audio\r\n`, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(head.length, 0);
  return Buffer.concat([len, head, audio]);
}
