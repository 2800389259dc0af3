// The 'admission' slot: per-client limits (requests and tokens per minute) before anything else
// is done for a request. A refused request gets a 429 with Retry-After in OpenAI's error shape.
// Tokens are estimated up front and settled with the real usage when the request finishes
// (answers served from the cache cost the client no tokens).
import type { RequestContext, Stage } from '../pipeline/context.ts';
import { RateLimitedError } from '../errors.ts';
import type { ClientRateLimiter, RateLimitTicket } from './client-rate-limiter.ts';
import type { ChatMessage } from '../../shared/openai.ts';
import { estimatePromptTokens } from '../routing/token-estimate.ts';
import { embeddingInputs, estimateEmbeddingTokens } from './embeddings-batching.ts';

const CACHE_HITS = new Set(['hit-memory', 'hit-disk', 'hit-semantic', 'stale', 'coalesced']);

/** Rough tokens a request will use: its prompt (as routing estimates it) plus the completion it allows. */
export function estimateRequestTokens(ctx: RequestContext): number {
  const b = ctx.body as Record<string, unknown> | null;
  if (!b) return 0;
  switch (ctx.endpoint) {
    case 'embeddings':
      return embeddingInputs(b.input as never).reduce((n, i) => n + estimateEmbeddingTokens(i), 0);
    case 'speech':
      return Math.ceil(String(b.input ?? '').length / 4);
    case 'chat': {
      const prompt = estimatePromptTokens(b.messages as ChatMessage[] | undefined, b.tools as unknown[] | undefined);
      const max = Number(b.max_completion_tokens ?? b.max_tokens ?? 0);
      return prompt + (Number.isFinite(max) && max > 0 ? max : 0);
    }
  }
}

export class ClientAdmission {
  #limiter: ClientRateLimiter;
  #tickets = new WeakMap<RequestContext, RateLimitTicket>();
  #refused = 0;

  constructor(opts: { limiter: ClientRateLimiter }) {
    if (!opts?.limiter) throw new TypeError("ClientAdmission: 'limiter' is required.");
    this.#limiter = opts.limiter;
  }

  /** Requests refused since start. */
  get refused(): number { return this.#refused; }

  readonly stage: Stage = (next) => (ctx) => {
    let ticket: RateLimitTicket;
    try {
      ticket = this.#limiter.admit(ctx.client, () => estimateRequestTokens(ctx));
    } catch (err) {
      if (err instanceof RateLimitedError) {
        this.#refused++;
        ctx.trace.push({ stage: 'admission', message: err.message });
      }
      return Promise.reject(err);
    }
    this.#tickets.set(ctx, ticket);
    return next(ctx);
  };

  /** Settle a finished request's tokens (call from the engine's onFinished). */
  finished(ctx: RequestContext): void {
    const ticket = this.#tickets.get(ctx);
    if (!ticket) return;
    this.#tickets.delete(ctx);
    const u = ctx.usage;
    const actual = !u || CACHE_HITS.has(ctx.cacheResult) ? 0 : (u.prompt_tokens ?? 0) + (u.completion_tokens ?? 0);
    ticket.settle(actual);
  }
}
