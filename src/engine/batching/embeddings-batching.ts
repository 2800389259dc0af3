// Embeddings on top of the MicroBatcher: which requests may share a call, how inputs are counted,
// how the upstream answer is cut back per caller (own vectors, indexes 0..k-1, a fair share of
// the usage summing to the upstream total) and which failures are one input's fault.
import type { EmbeddingsRequest, EmbeddingsResponse } from '../../shared/openai.ts';
import type { Target } from '../../shared/targets.ts';
import type { Clock } from '../clock.ts';
import { BadRequestError, UpstreamHttpError, UpstreamProtocolError } from '../errors.ts';
import { MicroBatcher, type BatchSlice, type BlameVerdict } from './micro-batcher.ts';

/** One embeddings input: a text or a list of token ids. */
export type EmbeddingInput = string | number[];

/** The inputs of a request as a list, whatever form `input` took. */
export function embeddingInputs(input: EmbeddingsRequest['input']): EmbeddingInput[] {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return [];
  if (typeof input[0] === 'number') return [input as number[]];
  return input as EmbeddingInput[];
}

/** Rough token count: token ids count as themselves, text as one token per 4 characters. */
export function estimateEmbeddingTokens(input: EmbeddingInput): number {
  return typeof input === 'string' ? Math.max(1, Math.ceil(input.length / 4)) : Math.max(1, input.length);
}

/**
 * What a request's inputs are: all text, all token arrays, or (a client's own mix) both.
 * OpenAI's schema takes a string, a string array, a token array or an array of token arrays — never
 * strings and token arrays in one `input` — so a merged call must not mix the two either.
 */
export function embeddingInputKind(input: EmbeddingsRequest['input']): 'text' | 'tokens' | 'mixed' {
  const values = embeddingInputs(input);
  if (values.every((v) => typeof v === 'string')) return 'text';
  return values.every((v) => Array.isArray(v)) ? 'tokens' : 'mixed';
}

/**
 * Requests may share a call only when everything but `input` agrees: target, encoding_format,
 * dimensions, tenant, and any other parameter (so batching never changes an answer); and their inputs
 * are of one kind: a strict upstream refuses a call mixing text with token arrays, and Sluice would
 * then split the batch until each part was valid (9 upstream calls for 8 requests in review 4).
 */
export function embeddingsBatchKey(target: Target, req: EmbeddingsRequest, tenant: string): string {
  const { input, model: _model, encoding_format, dimensions, ...rest } = req;
  const extra = Object.keys(rest).sort().map((k) => [k, rest[k]]);
  return JSON.stringify([target.provider, target.model, encoding_format ?? 'float', dimensions ?? null, tenant, extra, embeddingInputKind(input)]);
}

/** Split `total` into integers proportional to `weights` that sum exactly to `total` (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const t = Math.max(0, Math.round(total));
  const sum = weights.reduce((a, w) => a + Math.max(0, w), 0);
  const exact = weights.map((w) => (sum > 0 ? (Math.max(0, w) / sum) * t : t / n));
  const out = exact.map(Math.floor);
  let left = t - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) out[order[k][1]]++;
  return out;
}

/** Cut a batched answer into one answer per caller, each indexed from 0 with its share of the usage. */
export function splitEmbeddingsResponse(res: EmbeddingsResponse, slices: readonly BatchSlice[]): EmbeddingsResponse[] {
  const byIndex = [...res.data].sort((a, b) => a.index - b.index);
  const weights = slices.map((s) => s.tokens);
  const prompt = apportion(res.usage?.prompt_tokens ?? 0, weights);
  const total = apportion(res.usage?.total_tokens ?? res.usage?.prompt_tokens ?? 0, weights);
  return slices.map((s, i) => ({
    ...res,
    data: byIndex.slice(s.start, s.start + s.count).map((d, j) => ({ ...d, index: j })),
    usage: { ...res.usage, prompt_tokens: prompt[i], total_tokens: total[i] },
  }));
}

const INPUT_INDEX = /\binput\s*\[\s*(\d+)\s*\]/;

/**
 * A 400/413/422 is about the inputs: the one it names (`input[3]`), or an unknown one (bisect).
 * Anything else (network, 401, 429, 5xx…) concerns every caller.
 */
export function blameEmbeddingInput(err: unknown, inputCount: number): BlameVerdict {
  if (!(err instanceof UpstreamHttpError)) return null;
  if (err.upstreamStatus !== 400 && err.upstreamStatus !== 413 && err.upstreamStatus !== 422) return null;
  let param: unknown = null;
  try { param = (JSON.parse(err.upstreamBody) as { error?: { param?: unknown } })?.error?.param; } catch { /* not JSON */ }
  const m = INPUT_INDEX.exec(typeof param === 'string' ? param : '') ?? INPUT_INDEX.exec(err.upstreamBody);
  const index = m ? Number(m[1]) : NaN;
  return Number.isInteger(index) && index < inputCount ? index : 'unknown';
}

/** Throw UpstreamProtocolError unless `res` holds exactly one vector per input, indexes 0..count-1. */
export function assertEmbeddingsAnswer(provider: string, res: EmbeddingsResponse, count: number): void {
  const data = res?.data;
  if (!Array.isArray(data) || data.length !== count) {
    throw new UpstreamProtocolError(provider, `embeddings answer has ${Array.isArray(data) ? data.length : 'no'} vectors for ${count} inputs`);
  }
  const seen = new Set(data.map((d) => d?.index));
  if (seen.size !== count || ![...seen].every((i) => Number.isInteger(i) && (i as number) >= 0 && (i as number) < count)) {
    throw new UpstreamProtocolError(provider, 'embeddings answer has missing or duplicate indexes');
  }
}

interface Item { value: EmbeddingInput; target: Target; template: EmbeddingsRequest }

export interface EmbeddingsBatcherOptions {
  clock: Clock;
  maxBatchSize: number;
  maxBatchTokens: number;
  maxWaitMs: number;
  /** Calls per batch key that go without gathering; a function follows the provider's live limit. */
  maxInFlight?: number | ((key: string) => number);
  /** One upstream embeddings call for `target` (throws SluiceError subclasses on failure). */
  call: (target: Target, req: EmbeddingsRequest, signal: AbortSignal) => Promise<EmbeddingsResponse>;
}

export interface EmbeddingsSubmit {
  target: Target;
  tenant: string;
  request: EmbeddingsRequest;
  signal?: AbortSignal;
}

export interface BatchedEmbeddings {
  response: EmbeddingsResponse;
  /** Requests in the upstream call (for `x-sluice-batch`). */
  batchSize: number;
  batchInputs: number;
}

export class EmbeddingsBatcher {
  #batcher: MicroBatcher<Item, EmbeddingsResponse, EmbeddingsResponse>;

  constructor(opts: EmbeddingsBatcherOptions) {
    if (!opts || typeof opts.call !== 'function') throw new TypeError("EmbeddingsBatcher: 'call' must be a function.");
    this.#batcher = new MicroBatcher<Item, EmbeddingsResponse, EmbeddingsResponse>({
      clock: opts.clock,
      maxBatchSize: opts.maxBatchSize,
      maxBatchTokens: opts.maxBatchTokens,
      maxWaitMs: opts.maxWaitMs,
      maxInFlight: opts.maxInFlight,
      estimateTokens: (i) => estimateEmbeddingTokens(i.value),
      blame: blameEmbeddingInput,
      split: splitEmbeddingsResponse,
      send: async (items, signal) => {
        const { target, template } = items[0];
        const req: EmbeddingsRequest = { ...template, model: target.model, input: items.map((i) => i.value) as EmbeddingsRequest['input'] };
        const res = await opts.call(target, req, signal);
        assertEmbeddingsAnswer(target.provider, res, items.length);
        return res;
      },
    });
  }

  /** Embed one request's inputs, possibly together with others for the same key. */
  async submit(s: EmbeddingsSubmit): Promise<BatchedEmbeddings> {
    const values = embeddingInputs(s.request.input);
    if (values.length === 0) throw new BadRequestError("'input' must not be empty.", 'input');
    const items = values.map((value) => ({ value, target: s.target, template: s.request }));
    const out = await this.#batcher.submit(embeddingsBatchKey(s.target, s.request, s.tenant), items, { signal: s.signal });
    return { response: out.result, batchSize: out.batchSize, batchInputs: out.batchInputs };
  }

  stats() { return this.#batcher.stats(); }
}
