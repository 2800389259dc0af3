// Server-sent events to one client, with a heartbeat so proxies and browsers keep the line open,
// and a bounded backlog: a client that cannot keep up is dropped rather than grow memory.
import type { ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '../clock.ts';

export interface SseWriterOptions {
  clock: Clock;
  heartbeatMs?: number;
  maxBufferedBytes?: number;
}

export class SseWriter {
  #res: ServerResponse;
  #opts: Required<SseWriterOptions>;
  #timer: TimerHandle | null = null;
  #closed = false;

  constructor(res: ServerResponse, opts: SseWriterOptions) {
    this.#res = res;
    this.#opts = { heartbeatMs: 15_000, maxBufferedBytes: 4 * 1024 * 1024, ...opts };
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.write(': sluice\n\n');
    res.on('close', () => this.close());
    this.#beat();
  }

  get closed(): boolean { return this.#closed; }

  #beat(): void {
    this.#timer = this.#opts.clock.setTimeout(() => {
      if (this.#closed) return;
      this.#res.write(': keep-alive\n\n');
      this.#beat();
    }, this.#opts.heartbeatMs);
  }

  send(event: string, data: unknown, id?: string): void {
    if (this.#closed) return;
    if (this.#res.writableLength > this.#opts.maxBufferedBytes) {
      this.#res.destroy();
      this.close();
      return;
    }
    this.#res.write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) this.#opts.clock.clearTimeout(this.#timer);
    if (!this.#res.writableEnded) this.#res.end();
  }
}
