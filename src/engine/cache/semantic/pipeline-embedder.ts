// Vectors from an embeddings model reached through Sluice itself: a synthetic embeddings request
// goes through the whole pipeline (routing, the exact cache, coalescing, batching), so the vectors
// of a repeated question are cached like any other answer and the call shows in the request log.
import type { Clock } from '../../clock.ts';
import type { Handler, RequestContext } from '../../pipeline/context.ts';
import { functionEmbedder, type Embedder } from './embedder.ts';

export interface PipelineEmbedderOptions {
  /** The model as a client would ask for it (alias, `provider/model` or plain name). */
  model: string;
  /** The engine's whole pipeline (host.handler()). */
  handler: () => Handler;
  clock: Clock;
  newId: () => string;
}

/** Sluice's own requests are sent under this client name (visible in the request log). */
export const SEMANTIC_CLIENT = 'sluice:semantic';

function embeddingsContext(opts: PipelineEmbedderOptions, input: string[], signal: AbortSignal): RequestContext {
  return {
    id: opts.newId(), endpoint: 'embeddings', path: '/v1/embeddings', method: 'POST',
    body: { model: opts.model, input }, headers: {}, tenant: '', client: SEMANTIC_CLIENT, signal,
    receivedAt: opts.clock.now(), t0: opts.clock.monotonic(), requestedModel: opts.model, stream: false, priority: 'normal', tags: ['semantic'],
    cacheDirectives: { noRead: false, noStore: false, ttlSeconds: null, namespace: '' },
    targets: [], timeoutMs: null, cachePolicy: null, trace: [],
    timings: { queueMs: 0, upstreamMs: 0, firstByteMs: null, totalMs: 0 },
    cacheResult: 'miss', cacheKey: null, attempts: 0, served: null, usage: null, costUsd: 0, batchSize: null, notes: {},
  };
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

/** Embeds texts with `model` through the pipeline (one embeddings request per call). */
export function pipelineEmbedder(opts: PipelineEmbedderOptions): Embedder {
  if (!opts || typeof opts.model !== 'string' || opts.model.trim() === '') throw new TypeError('pipelineEmbedder: opts.model must name an embeddings model.');
  if (typeof opts.handler !== 'function' || !opts.clock || typeof opts.newId !== 'function') {
    throw new TypeError('pipelineEmbedder: handler, clock and newId are required.');
  }
  return functionEmbedder({
    id: `embeddings:${opts.model}`,
    label: `Embeddings model '${opts.model}' (through Sluice, vectors cached)`,
    async embed(texts) {
      const ctx = embeddingsContext(opts, texts, new AbortController().signal);
      const result = await opts.handler()(ctx);
      const raw = result.body ?? (result.stream ? await collect(result.stream) : Buffer.alloc(0));
      result.afterSend?.();
      if (result.status !== 200) throw new Error(`Embeddings model '${opts.model}' answered ${result.status}.`);
      const json = (result.json ?? JSON.parse(raw.toString('utf8'))) as { data?: Array<{ index?: number; embedding?: unknown }> };
      if (!Array.isArray(json?.data)) throw new TypeError(`Embeddings model '${opts.model}' answered without a data list.`);
      const out: number[][] = new Array(texts.length);
      json.data.forEach((d, k) => {
        const i = typeof d.index === 'number' ? d.index : k;
        if (!Array.isArray(d.embedding) || i < 0 || i >= texts.length) throw new TypeError(`Embeddings model '${opts.model}' answered a malformed vector.`);
        out[i] = d.embedding as number[];
      });
      return out;
    },
  });
}
