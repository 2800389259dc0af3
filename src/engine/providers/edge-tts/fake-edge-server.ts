// Test double of Edge's read-aloud service: a WebSocket server on node:http 'upgrade' with just
// enough RFC 6455 (handshake, text/binary/close/ping frames, masked client frames, fragments).
// Used by the adapter's tests; never by the engine.
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { binaryAudioMessage, parseTextMessage } from './edge-protocol.ts';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export class FakeWsConnection {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Text messages received from the client, in order. */
  readonly received: string[] = [];
  #socket: Duplex;

  constructor(url: string, headers: IncomingHttpHeaders, socket: Duplex) {
    this.url = url;
    this.headers = headers;
    this.#socket = socket;
  }

  #frame(opcode: number, payload: Buffer): void {
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x80 | opcode, len])
      : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff])
      : Buffer.concat([Buffer.from([0x80 | opcode, 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(len)); return b; })()]);
    if (!this.#socket.destroyed) this.#socket.write(Buffer.concat([head, payload]));
  }

  sendText(text: string): void { this.#frame(1, Buffer.from(text, 'utf8')); }
  sendBinary(data: Uint8Array): void { this.#frame(2, Buffer.from(data)); }
  close(code = 1000): void {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(code);
    this.#frame(8, b);
    this.#socket.end();
  }
  /** Drop the TCP connection without a close frame. */
  destroy(): void { this.#socket.destroy(); }

  /** Answer like the service: turn.start, the audio in binary messages, turn.end. */
  sendTurn(requestId: string, chunks: readonly Uint8Array[], opts: { end?: boolean } = {}): void {
    this.sendText(`X-RequestId:${requestId}\r\nContent-Type:application/json; charset=utf-8\r\nPath:turn.start\r\n\r\n{}`);
    for (const c of chunks) this.sendBinary(binaryAudioMessage(requestId, c));
    if (opts.end !== false) this.sendText(`X-RequestId:${requestId}\r\nContent-Type:application/json; charset=utf-8\r\nPath:turn.end\r\n\r\n{}`);
  }
}

export interface SsmlTurn {
  requestId: string;
  ssml: string;
  speechConfig: string;
  conn: FakeWsConnection;
}

export class FakeEdgeServer {
  readonly connections: FakeWsConnection[] = [];
  /** What to do when a connection has sent its speech.config and ssml messages. */
  onTurn: (turn: SsmlTurn) => void = (t) => t.conn.sendTurn(t.requestId, [Buffer.from('ID3-fake-mp3-audio')]);
  #server: Server | null = null;
  #sockets = new Set<Duplex>();

  async start(path = '/consumer/speech/synthesize/readaloud/edge/v1'): Promise<string> {
    const server = createServer((_req, res) => { res.statusCode = 426; res.end(); });
    server.on('upgrade', (req, socket, head) => this.#upgrade(req.url ?? '/', req.headers, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    return `ws://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  }

  async stop(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  #upgrade(url: string, headers: IncomingHttpHeaders, socket: Duplex, head: Buffer): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => {});
    const key = headers['sec-websocket-key'];
    if (typeof key !== 'string' || headers.upgrade?.toLowerCase() !== 'websocket') {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(key + GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const conn = new FakeWsConnection(url, headers, socket);
    this.connections.push(conn);
    let pending = Buffer.from(head);
    let fragments: Buffer[] = [];
    let fragmentOpcode = 0;
    let config = '';
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (pending.length < 2) return;
        const fin = (pending[0] & 0x80) !== 0;
        const opcode = pending[0] & 0x0f;
        const masked = (pending[1] & 0x80) !== 0;
        let len = pending[1] & 0x7f;
        let at = 2;
        if (len === 126) { if (pending.length < 4) return; len = pending.readUInt16BE(2); at = 4; }
        else if (len === 127) { if (pending.length < 10) return; len = Number(pending.readBigUInt64BE(2)); at = 10; }
        const need = at + (masked ? 4 : 0) + len;
        if (pending.length < need) return;
        const payload = Buffer.from(pending.subarray(at + (masked ? 4 : 0), need));
        if (masked) { const m = pending.subarray(at, at + 4); for (let i = 0; i < payload.length; i++) payload[i] ^= m[i & 3]; }
        pending = pending.subarray(need);
        if (opcode === 8) { conn.close(1000); return; }
        if (opcode === 9 || opcode === 10) continue; // ping/pong: not used by this protocol
        if (opcode !== 0) fragmentOpcode = opcode;
        fragments.push(payload);
        if (!fin) continue;
        const message = Buffer.concat(fragments);
        fragments = [];
        if (fragmentOpcode !== 1) continue;
        const text = message.toString('utf8');
        conn.received.push(text);
        const parsed = parseTextMessage(text);
        if (parsed.headers.Path === 'speech.config') config = text;
        if (parsed.headers.Path === 'ssml') {
          this.onTurn({ requestId: parsed.headers['X-RequestId'] ?? '', ssml: parsed.body.toString('utf8'), speechConfig: config, conn });
        }
      }
    });
  }
}
