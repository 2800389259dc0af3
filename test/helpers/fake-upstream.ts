// A fake OpenAI-compatible server for tests: real HTTP on port 0, scripted answers, and a log of
// what it received. Behaviours per path can be swapped mid-test.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { synthesizeSimulatedWav } from '../../src/engine/tts/simulated-wav.ts';

export interface ReceivedRequest { method: string; path: string; headers: IncomingMessage['headers']; body: any }

export type Behaviour = (req: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

export function chatCompletion(model: string, content: string, usage = { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 }) {
  return {
    id: 'chatcmpl-fake', object: 'chat.completion', created: 1_700_000_000, model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }], usage,
  };
}

export function sseChunks(model: string, pieces: string[], usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number }): string[] {
  const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model };
  const out = [
    { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
    ...pieces.map((p) => ({ ...base, choices: [{ index: 0, delta: { content: p }, finish_reason: null }] })),
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
  ].map((c) => `data: ${JSON.stringify(c)}\n\n`);
  if (usage) out.push(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
  out.push('data: [DONE]\n\n');
  return out;
}

/** A speech answer: a valid WAV of the request's input (16 kHz), as an OpenAI-compatible server sends one. */
export function wavReply(req: ReceivedRequest, res: ServerResponse): void {
  const bytes = synthesizeSimulatedWav(String(req.body.input), { sampleRate: 16_000, speed: 1 });
  res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': bytes.length });
  res.end(bytes);
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Default behaviours: a well-behaved OpenAI. */
export const defaults: Record<string, Behaviour> = {
  'POST /v1/chat/completions': async (req, res) => {
    const model = String(req.body.model);
    const content = `echo: ${JSON.stringify(req.body.messages?.at(-1)?.content ?? '')}`;
    if (req.body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const usage = req.body.stream_options?.include_usage ? { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } : undefined;
      for (const c of sseChunks(model, ['echo', ': ', content.slice(6)], usage)) res.write(c);
      res.end();
      return;
    }
    json(res, 200, chatCompletion(model, content));
  },
  'POST /v1/embeddings': (req, res) => {
    const inputs: string[] = Array.isArray(req.body.input) ? req.body.input : [req.body.input];
    json(res, 200, {
      object: 'list', model: req.body.model,
      data: inputs.map((s, index) => ({ object: 'embedding', index, embedding: [s.length, index, 0.5] })),
      usage: { prompt_tokens: inputs.length * 2, total_tokens: inputs.length * 2 },
    });
  },
  'POST /v1/audio/speech': (req, res) => {
    const bytes = Buffer.from(`AUDIO:${req.body.voice}:${req.body.input}`);
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': bytes.length });
    res.end(bytes);
  },
  'GET /v1/models': (_req, res) => json(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'fake' }] }),
};

export class FakeUpstream {
  readonly received: ReceivedRequest[] = [];
  behaviours: Record<string, Behaviour> = { ...defaults };
  #server: Server;
  #open = new Set<import('node:net').Socket>();
  url = '';

  constructor() {
    this.#server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: any = raw;
      try { body = raw ? JSON.parse(raw) : undefined; } catch { /* keep text */ }
      const path = (req.url ?? '/').split('?')[0];
      const rec: ReceivedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body };
      this.received.push(rec);
      const b = this.behaviours[`${rec.method} ${path}`];
      if (!b) return json(res, 404, { error: { message: `fake: no route ${rec.method} ${path}`, type: 'invalid_request_error' } });
      try {
        await b(rec, res);
      } catch {
        res.destroy();
      }
    });
    this.#server.on('connection', (s) => { this.#open.add(s); s.on('close', () => this.#open.delete(s)); });
  }

  on(route: string, behaviour: Behaviour): this {
    this.behaviours[route] = behaviour;
    return this;
  }

  calls(route: string): ReceivedRequest[] {
    const [method, path] = route.split(' ');
    return this.received.filter((r) => r.method === method && r.path === path);
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/v1`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.#open) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
