// Sentence mode in the pipeline (slot 'speech', after routing, before the cache). A wav/pcm/mp3
// request of more than one sentence is split; each sentence goes through the pipeline from the
// cache inward with a context of its own (same target, the sentence as input, its own cache key and
// result), so each is cached and coalesced on its own and common sentences hit across replies.
//
// All sentences enter at once, so every cache hit is known within a moment; the ones that must be
// synthesized pass a per-reply gate (`concurrency`) installed around the upstream call by
// `gateSentenceCalls`, and the provider's own limit (the scheduler) after that. The answer:
// - every sentence came from the cache: one complete body with exact sizes and Content-Length,
//   `x-sluice-cache: hit-memory` (or hit-disk);
// - otherwise a stream that starts as soon as the first sentence is ready (one WAV header for the
//   whole reply), `x-sluice-cache: miss`.
// Both carry `x-sluice-sentences: n` and `x-sluice-sentence-hits: k`. A sentence that fails before
// the first audio byte makes the request fail with its error; later, the stream errors (the client
// sees a reset) and the reply is never stored as a whole.
import type { SpeechRequest } from '../../shared/openai.ts';
import type { CacheResult } from '../../shared/targets.ts';
import type { SentenceModeConfig } from '../../shared/tts.ts';
import { SluiceError } from '../errors.ts';
import type { Handler, ProxyResult, RequestContext, Stage } from '../pipeline/context.ts';
import type { CallTarget } from '../pipeline/provider-call.ts';
import { SentenceGate } from './sentence-gate.ts';
import { completeAudio, planSentenceSpeech, sentenceRequest, streamSentenceSpeech, type SentenceFormat } from './sentence-speech.ts';
import { audioContentType } from './speech-request.ts';

const GATE = Symbol('sluice.sentenceGate');
const HITS: ReadonlySet<CacheResult> = new Set<CacheResult>(['hit-memory', 'hit-disk', 'hit-semantic']);

export interface SentenceStageOptions {
  /** The current sentence-mode settings (read per request, so changes apply at once). */
  config(): SentenceModeConfig;
  /** The pipeline from the cache slot inward (`host.handlerFrom('cache')`). */
  inner(): Handler;
  /** Lets cache hits already under way finish before the headers are decided. Default: one setImmediate. */
  settle?(): Promise<void>;
}

/** The per-reply gate a sentence's context carries, if any. */
export function sentenceGateOf(ctx: RequestContext): SentenceGate | undefined {
  return (ctx.notes as Record<symbol, unknown>)[GATE] as SentenceGate | undefined;
}

/** `wrapCall`: the sentences of one reply call upstream at most `concurrency` at a time. */
export function gateSentenceCalls(call: CallTarget): CallTarget {
  return (target, ctx) => {
    const gate = sentenceGateOf(ctx);
    return gate ? gate.run(() => call(target, ctx), ctx.signal) : call(target, ctx);
  };
}

async function bytesOf(result: ProxyResult): Promise<Uint8Array> {
  if (result.body) return result.body;
  const parts: Uint8Array[] = [];
  for await (const chunk of result.stream ?? []) parts.push(chunk);
  return Buffer.concat(parts);
}

function sentenceContext(ctx: RequestContext, req: SpeechRequest, sentence: string, i: number, signal: AbortSignal, gate: SentenceGate): RequestContext {
  return {
    ...ctx,
    id: `${ctx.id}.${i + 1}`,
    body: sentenceRequest(req, sentence),
    signal,
    targets: [...ctx.targets],
    trace: [],
    timings: { queueMs: 0, upstreamMs: 0, firstByteMs: null, totalMs: 0 },
    cacheResult: 'miss', cacheKey: null, attempts: 0, served: null, usage: null, costUsd: 0, batchSize: null,
    notes: { [GATE]: gate } as Record<string, unknown>,
  };
}

/** What the reply's x-sluice-cache says about its sentences. */
export function summariseSentences(results: readonly CacheResult[], total: number): CacheResult {
  if (results.length === total && results.every((r) => HITS.has(r))) {
    if (results.every((r) => r === 'hit-memory')) return 'hit-memory';
    return results.some((r) => r === 'hit-disk') ? 'hit-disk' : 'hit-semantic';
  }
  if (results.length === total && results.every((r) => r === 'bypass')) return 'bypass';
  return 'miss';
}

export function createSentenceStage(opts: SentenceStageOptions): Stage {
  if (typeof opts?.config !== 'function' || typeof opts.inner !== 'function') throw new TypeError('createSentenceStage: config and inner are required functions');
  const settle = opts.settle ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  return (next) => {
    const speak: Handler = async (ctx) => {
      const cfg = opts.config();
      const req = ctx.body as SpeechRequest;
      const sentences = planSentenceSpeech(req, cfg);
      if (!sentences) return next(ctx);
      const format = (req.response_format ?? 'mp3') as SentenceFormat;
      const inner = opts.inner();
      const gate = new SentenceGate({ limit: cfg.concurrency });
      const done: Array<RequestContext | undefined> = new Array(sentences.length);
      let oldest: number | null = null; // the `age` of the oldest cached sentence

      const synthesize = async (sentence: string, i: number, signal: AbortSignal): Promise<Uint8Array> => {
        const sub = sentenceContext(ctx, req, sentence, i, signal, gate);
        const result = await inner(sub);
        if (result.status >= 300) {
          throw new SluiceError('SLUICE_SENTENCE_FAILED', `Sentence ${i + 1} of ${sentences.length} was answered with status ${result.status}.`, { status: 502, type: 'upstream_error' });
        }
        const bytes = await bytesOf(result);
        const age = Number(result.headers.age);
        if (result.headers.age !== undefined && Number.isFinite(age)) oldest = Math.max(oldest ?? 0, age);
        done[i] = sub;
        return bytes;
      };

      const audio = streamSentenceSpeech({ sentences, format, synthesize, concurrency: sentences.length, signal: ctx.signal });
      const first = await audio.next(); // the first sentence's failure is this request's error
      await settle();

      const finished = done.filter((s): s is RequestContext => s !== undefined);
      const hits = finished.filter((s) => HITS.has(s.cacheResult)).length;
      ctx.cacheResult = summariseSentences(finished.map((s) => s.cacheResult), sentences.length);
      ctx.served = done[0]?.served ?? null;
      ctx.attempts = Math.max(0, ...finished.map((s) => s.attempts));
      ctx.notes.sentences = sentences.length;
      ctx.notes.sentenceHits = hits;
      ctx.trace.push({ stage: 'speech', message: `sentence mode: ${sentences.length} sentences, ${hits} from the cache`, say: { id: 'speech.sentences', vars: { sentences: sentences.length, hits } } });
      const headers: Record<string, string> = {
        'content-type': audioContentType(format),
        'x-sluice-sentences': String(sentences.length),
        'x-sluice-sentence-hits': String(hits),
      };
      // every sentence from the cache: the answer is as old as its oldest part
      if (hits === sentences.length && oldest !== null) headers.age = String(oldest);

      if (first.done) throw new SluiceError('SLUICE_SENTENCE_FAILED', 'Sentence mode produced no audio.', { status: 502, type: 'upstream_error' });
      if (finished.length === sentences.length) {
        // Everything is here (all hits, or all quick): answer one complete file.
        const parts: Buffer[] = [first.value];
        for await (const part of audio) parts.push(part);
        return { status: 200, headers, body: completeAudio(Buffer.concat(parts), format) };
      }
      async function* rest(): AsyncGenerator<Uint8Array> {
        try {
          yield first.value as Buffer;
          for (;;) {
            const n = await audio.next();
            if (n.done) return;
            yield n.value;
          }
        } finally {
          await audio.return(undefined);
        }
      }
      return { status: 200, headers, stream: rest() };
    };
    // every other request passes straight on, without an async frame of this stage's own
    return (ctx) => (ctx.endpoint !== 'speech' ? next(ctx) : speak(ctx));
  };
}
