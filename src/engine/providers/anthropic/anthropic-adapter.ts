// Anthropic's Messages API behind the OpenAI chat shape: requests are translated on the way out,
// answers and streams on the way back, errors mapped to the engine's typed upstream errors.
import { Agent, request, type Dispatcher } from 'undici';
import type { ProviderConfig } from '../../../shared/config.ts';
import type { ChatCompletionRequest, ModelObject } from '../../../shared/openai.ts';
import type { Endpoint } from '../../../shared/targets.ts';
import type { EngineDeps } from '../../deps.ts';
import { UpstreamHttpError, UpstreamProtocolError } from '../../errors.ts';
import type { CallContext, ProviderAdapter, ProviderFactory, UpstreamResponse } from '../provider.ts';
import { mapUpstreamError, parseRetryAfterMs, upstreamRequestIdOf, type Timeouts } from '../upstream-errors.ts';
import { translateAnthropicStream } from './anthropic-stream.ts';
import { fromAnthropicResponse, toAnthropicRequest, type AnthropicResponse } from './translate.ts';

export const ANTHROPIC_VERSION = '2023-06-01';
const DEFAULT_BASE = 'https://api.anthropic.com';
const KEPT_HEADERS = ['anthropic-ratelimit-requests-remaining', 'anthropic-ratelimit-tokens-remaining'];

export class AnthropicAdapter implements ProviderAdapter {
  readonly id: string;
  readonly type = 'anthropic';
  readonly label: string;
  readonly endpoints: ReadonlySet<Endpoint> = new Set<Endpoint>(['chat']);
  #base: string;
  #headers: Record<string, string>;
  #agent: Agent;
  #timeouts: Timeouts;
  #deps: EngineDeps;
  #defaultMaxTokens: number;

  constructor(cfg: ProviderConfig, deps: EngineDeps) {
    if (!cfg?.id) throw new Error('Anthropic provider: id is required');
    this.id = cfg.id;
    this.label = cfg.label ?? cfg.id;
    this.#deps = deps;
    const base = (cfg.baseUrl ?? DEFAULT_BASE).replace(/\/+$/, '');
    this.#base = base.endsWith('/v1') ? base : `${base}/v1`;
    this.#headers = { 'content-type': 'application/json', 'anthropic-version': ANTHROPIC_VERSION, ...(cfg.headers ?? {}) };
    if (cfg.apiKey) this.#headers['x-api-key'] = cfg.apiKey;
    const max = cfg.options?.defaultMaxTokens ?? 4096;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) throw new Error(`Provider '${cfg.id}': options.defaultMaxTokens must be a positive integer`);
    this.#defaultMaxTokens = max;
    this.#timeouts = {
      connectMs: cfg.timeouts?.connectMs ?? 10_000,
      headersMs: cfg.timeouts?.headersMs ?? 300_000,
      bodyMs: cfg.timeouts?.bodyMs ?? 300_000,
    };
    this.#agent = new Agent({
      connections: cfg.maxConnections ?? 64,
      keepAliveTimeout: 30_000,
      connect: { timeout: this.#timeouts.connectMs },
      headersTimeout: this.#timeouts.headersMs,
      bodyTimeout: this.#timeouts.bodyMs,
    });
  }

  async chat(req: ChatCompletionRequest, ctx: CallContext): Promise<UpstreamResponse> {
    const payload = toAnthropicRequest(req, { defaultMaxTokens: this.#defaultMaxTokens });
    const res = await this.#send('POST', '/messages', JSON.stringify(payload), ctx.signal, ctx.timeoutMs);
    const headers: Record<string, string> = {};
    for (const h of KEPT_HEADERS) {
      const v = res.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const requestId = upstreamRequestIdOf(res.headers);
    if (requestId) headers['x-request-id'] = requestId;
    const contentType = String(res.headers['content-type'] ?? '');
    const created = Math.floor(this.#deps.clock.now() / 1000);
    try {
      if (res.statusCode >= 400) {
        const text = await res.body.text();
        throw new UpstreamHttpError(this.id, res.statusCode, text, { retryAfterMs: parseRetryAfterMs(res.headers['retry-after'], this.#deps.clock.now()), requestId });
      }
      if (req.stream && contentType.includes('text/event-stream')) {
        const stream = translateAnthropicStream(this.#guard(res.body, ctx.timeoutMs), {
          provider: this.id, created, includeUsage: req.stream_options?.include_usage === true, requestId,
        });
        return { status: 200, headers, body: { kind: 'sse', stream } };
      }
      if (!contentType.includes('json')) throw new UpstreamProtocolError(this.id, `expected JSON, got ${contentType || 'no content type'}`);
      const msg = this.#parse(await res.body.text()) as AnthropicResponse;
      if (!msg || msg.type !== 'message' || !Array.isArray(msg.content)) throw new UpstreamProtocolError(this.id, 'answer is not a Messages API message');
      const completion = fromAnthropicResponse(msg, created);
      const bytes = Buffer.from(JSON.stringify(completion));
      return { status: 200, headers, body: { kind: 'json', bytes, json: completion } };
    } catch (err) {
      res.body.destroy();
      throw mapUpstreamError(this.id, err, this.#timeouts, ctx.timeoutMs, 'answer');
    }
  }

  async listModels(signal?: AbortSignal): Promise<ModelObject[]> {
    const res = await this.#send('GET', '/models?limit=1000', undefined, signal ?? AbortSignal.timeout(5_000), undefined);
    const text = await res.body.text();
    if (res.statusCode >= 400) throw new UpstreamHttpError(this.id, res.statusCode, text);
    const parsed = this.#parse(text) as { data?: Array<{ id?: unknown; created_at?: unknown; display_name?: unknown }> };
    if (!Array.isArray(parsed?.data)) throw new UpstreamProtocolError(this.id, 'model list without a data array');
    return parsed.data.filter((m) => typeof m?.id === 'string').map((m) => ({
      id: m.id as string,
      object: 'model' as const,
      created: typeof m.created_at === 'string' ? Math.floor(Date.parse(m.created_at) / 1000) || 0 : 0,
      owned_by: this.id,
      ...(typeof m.display_name === 'string' ? { display_name: m.display_name } : {}),
    }));
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

  #parse(text: string): unknown {
    try { return JSON.parse(text); } catch { throw new UpstreamProtocolError(this.id, 'body is not valid JSON'); }
  }

  async *#guard(body: AsyncIterable<Uint8Array> & { destroy(): void }, timeoutMs?: number): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of body) yield chunk;
    } catch (err) {
      throw mapUpstreamError(this.id, err, this.#timeouts, timeoutMs, 'answer');
    } finally {
      body.destroy();
    }
  }
}

export const anthropicFactory: ProviderFactory = (cfg, deps) => new AnthropicAdapter(cfg, deps);
