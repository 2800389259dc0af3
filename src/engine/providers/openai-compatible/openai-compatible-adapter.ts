// Any server that speaks OpenAI's API: OpenAI, DeepSeek, Ollama, LM Studio, vLLM, …
// Requests are forwarded as they came (with the model name swapped for the target's), answers are
// passed through byte for byte; streams are handed on chunk by chunk as they arrive.
import { Agent, request, type Dispatcher } from 'undici';
import type { ProviderConfig } from '../../../shared/config.ts';
import type { ChatCompletionRequest, EmbeddingsRequest, ModelObject, SpeechRequest } from '../../../shared/openai.ts';
import type { Endpoint } from '../../../shared/targets.ts';
import type { EngineDeps } from '../../deps.ts';
import { UpstreamHttpError, UpstreamProtocolError, UpstreamStreamErrorEvent, UpstreamStreamIncompleteError } from '../../errors.ts';
import type { CallContext, ProviderAdapter, ProviderFactory, UpstreamResponse } from '../provider.ts';
import { mapUpstreamError, parseRetryAfterMs, upstreamRequestIdOf, type Timeouts } from '../upstream-errors.ts';
import { ChatStreamEnd } from './chat-stream-end.ts';

const KEPT_HEADERS = ['openai-processing-ms', 'openai-model', 'x-ratelimit-remaining-requests', 'x-ratelimit-remaining-tokens'];
const AUDIO_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg', opus: 'audio/ogg', aac: 'audio/aac', flac: 'audio/flac', wav: 'audio/wav', pcm: 'audio/pcm',
};

type Expect = 'json' | 'sse' | 'audio';

export class OpenAICompatibleAdapter implements ProviderAdapter {
  readonly id: string;
  readonly type = 'openai-compatible';
  readonly label: string;
  readonly endpoints: ReadonlySet<Endpoint>;
  #base: string;
  #headers: Record<string, string>;
  #agent: Agent;
  #timeouts: Timeouts;
  #deps: EngineDeps;

  constructor(cfg: ProviderConfig, deps: EngineDeps) {
    if (!cfg.baseUrl) throw new Error(`Provider '${cfg.id}': baseUrl is required`);
    this.id = cfg.id;
    this.label = cfg.label ?? cfg.id;
    this.endpoints = new Set(cfg.endpoints ?? ['chat', 'embeddings', 'speech']);
    this.#base = cfg.baseUrl.replace(/\/+$/, '');
    this.#deps = deps;
    this.#headers = { 'content-type': 'application/json', ...(cfg.headers ?? {}) };
    if (cfg.apiKey) this.#headers.authorization = `Bearer ${cfg.apiKey}`;
    this.#timeouts = {
      connectMs: cfg.timeouts?.connectMs ?? 10_000,
      headersMs: cfg.timeouts?.headersMs ?? 300_000,
      bodyMs: cfg.timeouts?.bodyMs ?? 300_000,
    };
    this.#agent = new Agent({
      connections: cfg.maxConnections ?? 256,
      keepAliveTimeout: 30_000,
      connect: { timeout: this.#timeouts.connectMs },
      headersTimeout: this.#timeouts.headersMs,
      bodyTimeout: this.#timeouts.bodyMs,
    });
  }

  chat(req: ChatCompletionRequest, ctx: CallContext): Promise<UpstreamResponse> {
    return this.#post('/chat/completions', req, ctx, req.stream ? 'sse' : 'json');
  }

  embeddings(req: EmbeddingsRequest, ctx: CallContext): Promise<UpstreamResponse> {
    return this.#post('/embeddings', req, ctx, 'json');
  }

  speech(req: SpeechRequest, ctx: CallContext): Promise<UpstreamResponse> {
    return this.#post('/audio/speech', req, ctx, 'audio');
  }

  async listModels(signal?: AbortSignal): Promise<ModelObject[]> {
    const res = await this.#send('GET', '/models', undefined, signal ?? AbortSignal.timeout(5_000), undefined);
    const bytes = Buffer.from(await res.body.arrayBuffer());
    if (res.statusCode >= 400) throw new UpstreamHttpError(this.id, res.statusCode, bytes.toString('utf8'));
    const parsed = this.#parseJson(bytes) as { data?: unknown };
    if (!Array.isArray(parsed?.data)) throw new UpstreamProtocolError(this.id, 'model list without a data array');
    return parsed.data
      .filter((m): m is { id: string } => !!m && typeof (m as { id?: unknown }).id === 'string')
      .map((m) => ({ created: 0, owned_by: this.id, ...m, object: 'model' as const }));
  }

  async close(): Promise<void> {
    await this.#agent.close().catch(() => this.#agent.destroy());
  }

  async #send(method: 'GET' | 'POST', path: string, body: string | undefined, signal: AbortSignal, timeoutMs: number | undefined): Promise<Dispatcher.ResponseData> {
    const sig = timeoutMs ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : signal;
    try {
      return await request(this.#base + path, { method, headers: this.#headers, body, signal: sig, dispatcher: this.#agent });
    } catch (err) {
      throw mapUpstreamError(this.id, err, this.#timeouts, timeoutMs);
    }
  }

  async #post(path: string, payload: unknown, ctx: CallContext, expect: Expect): Promise<UpstreamResponse> {
    const res = await this.#send('POST', path, JSON.stringify(payload), ctx.signal, ctx.timeoutMs);
    const headers: Record<string, string> = {};
    for (const h of KEPT_HEADERS) {
      const v = res.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const requestId = upstreamRequestIdOf(res.headers);
    if (requestId) headers['x-request-id'] = requestId;
    const contentType = String(res.headers['content-type'] ?? '');
    try {
      if (res.statusCode >= 400) {
        const text = await res.body.text();
        throw new UpstreamHttpError(this.id, res.statusCode, text, { retryAfterMs: parseRetryAfterMs(res.headers['retry-after'], this.#deps.clock.now()), requestId });
      }
      if (expect === 'sse' && contentType.includes('text/event-stream')) {
        const end = path === '/chat/completions' ? new ChatStreamEnd((payload as ChatCompletionRequest).n ?? 1) : null;
        return { status: res.statusCode, headers, body: { kind: 'sse', stream: this.#guardStream(res.body, ctx.timeoutMs, end) } };
      }
      const bytes = Buffer.from(await res.body.arrayBuffer());
      if (expect === 'audio') {
        if (contentType.includes('json') || contentType.startsWith('text/')) {
          throw new UpstreamProtocolError(this.id, `expected audio, got ${contentType || 'no content type'}`);
        }
        const format = (payload as SpeechRequest).response_format ?? 'mp3';
        return { status: res.statusCode, headers, body: { kind: 'audio', bytes, contentType: contentType || AUDIO_TYPES[format] || 'application/octet-stream' } };
      }
      if (!contentType.includes('json')) throw new UpstreamProtocolError(this.id, `expected JSON, got ${contentType || 'no content type'}`);
      return { status: res.statusCode, headers, body: { kind: 'json', bytes, json: this.#parseJson(bytes) } };
    } catch (err) {
      res.body.destroy();
      throw mapUpstreamError(this.id, err, this.#timeouts, ctx.timeoutMs, 'answer');
    }
  }

  #parseJson(bytes: Buffer): unknown {
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new UpstreamProtocolError(this.id, 'body is not valid JSON');
    }
  }

  /** The upstream's stream, its failures typed; a chat stream that ends before it is complete (`end`), or that carried an error event, fails too. */
  async *#guardStream(body: AsyncIterable<Uint8Array> & { destroy(): void }, timeoutMs: number | undefined, end: ChatStreamEnd | null): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of body) {
        end?.observe(chunk);
        yield chunk;
      }
      end?.end();
      if (end?.failure) throw new UpstreamStreamErrorEvent(this.id, end.failure);
      if (end && !end.complete) throw new UpstreamStreamIncompleteError(this.id, 'no finish_reason and no data: [DONE]');
    } catch (err) {
      throw mapUpstreamError(this.id, err, this.#timeouts, timeoutMs, 'answer');
    } finally {
      body.destroy();
    }
  }
}

export const openAICompatibleFactory: ProviderFactory = (cfg, deps) => new OpenAICompatibleAdapter(cfg, deps);
