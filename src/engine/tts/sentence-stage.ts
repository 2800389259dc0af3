// Sentence mode in the pipeline (slot 'speech', after routing, before the cache). A wav/pcm/mp3
// request of more than one sentence is split; each sentence goes through the pipeline from the
// cache inward with a context of its own (same target, the sentence as input, its own cache key and
// result), so each is cached and coalesced on its own and common sentences hit across replies.
//
// All sentences enter at once, so every cache hit is known within a moment; the ones that must be
// synthesized pass a per-reply gate (`concurrency`) installed around the upstream call by
// `gateSentenceCalls`, and the provider's own limit (the scheduler) after that. The answer:
// - every sentence in when the headers are decided (all from the cache, or all quick): one complete
//   body with exact sizes and Content-Length (`x-sluice-cache: hit-memory` or hit-disk when all hit);
// - otherwise a stream that starts as soon as the first sentence is ready (one WAV header for the
//   whole reply, its sizes unknown: `x-sluice-wav-sizes: streamed`), `x-sluice-cache: miss`, or
//   `coalesced` when no sentence goes upstream for this reply.
// Both carry `x-sluice-sentences: n` and `x-sluice-sentence-hits: k`. A sentence that fails before
// the first audio byte makes the request fail with its error; later, the stream errors (the client
// sees a reset) and the reply is never stored as a whole. Audio that cannot be joined (a sentence not in
// the format asked for, from an upstream that ignores response_format) is no reason the whole text would
// fail: found before the headers go out, the text is spoken whole by the next stage, as with sentence
// mode off (`speakWhole`); found later, the stream errors as for a failing sentence.
//
// Accounting: a reply is billed for the characters of the sentences it sent upstream itself, not for
// sentences the cache answered or that shared a call another request made (coalesced); a reply with
// none is `hit-*` or `coalesced` and costs nothing, as a one-sentence reply would. A reply that fails
// (a sentence refused, the client gone) is billed for the sentences answered upstream before that. Its attempts are
// its sentences' calls together, its upstream time from the first sentence call's start to the last
// one's end. A stage in the 'batch' slot (`markSentenceCalls`), which only a request going upstream
// itself reaches, tells a sentence calling upstream from one waiting on another request's call, so
// the headers of a streamed reply can say `coalesced` before its sentences are done; the final
// figures are set when the last sentence is in, before the request is logged.
import type { SpeechRequest, Usage } from '../../shared/openai.ts';
import type { CacheResult } from '../../shared/targets.ts';
import type { SentenceModeConfig } from '../../shared/tts.ts';
import type { Clock } from '../clock.ts';
import { SluiceError } from '../errors.ts';
import type { Handler, ProxyResult, RequestContext, Stage } from '../pipeline/context.ts';
import type { CallTarget } from '../pipeline/provider-call.ts';
import { SERVED_WITHOUT_UPSTREAM } from '../pipeline/record-stage.ts';
import { attemptsMade } from '../routing/retry-stage.ts';
import { SentenceGate } from './sentence-gate.ts';
import { AudioJoinError, completeAudio, planSentenceSpeech, sentenceRequest, streamSentenceSpeech, type SentenceFormat } from './sentence-speech.ts';
import { audioContentType, speechUsage } from './speech-request.ts';

const SENTENCE = Symbol('sluice.sentence');
const HITS: ReadonlySet<CacheResult> = new Set<CacheResult>(['hit-memory', 'hit-disk', 'hit-semantic']);

export interface SentenceStageOptions {
  /** The current sentence-mode settings (read per request, so changes apply at once). */
  config(): SentenceModeConfig;
  /** The pipeline from the refuse slot inward (`host.handlerFrom('refuse')`): each sentence is checked, cached and coalesced on its own. */
  inner(): Handler;
  /** Lets cache hits already under way finish before the headers are decided. Default: one setImmediate. */
  settle?(): Promise<void>;
}

/** What a sentence's context carries: its reply's gate, and its own upstream call once it makes one. */
interface SentenceNote {
  gate: SentenceGate;
  /** Monotonic ms at which this sentence went upstream itself (null: it has not, or never will). */
  calledAt: number | null;
  /** Monotonic ms at which that call was answered or failed. */
  answeredAt: number | null;
}

function sentenceOf(ctx: RequestContext): SentenceNote | undefined {
  return (ctx.notes as Record<symbol, unknown>)[SENTENCE] as SentenceNote | undefined;
}

/** The per-reply gate a sentence's context carries, if any. */
export function sentenceGateOf(ctx: RequestContext): SentenceGate | undefined {
  return sentenceOf(ctx)?.gate;
}

/**
 * Stage for the 'batch' slot: reached only by a request that goes upstream itself (past the cache, and
 * the leader of a coalesced call, whose copied context shares its notes). Notes the time of a
 * sentence's own call, which also tells it from a sentence waiting on another request's call.
 */
export function markSentenceCalls(clock: Clock): Stage {
  return (next) => (ctx) => {
    const note = sentenceOf(ctx);
    if (!note) return next(ctx);
    note.calledAt = clock.monotonic();
    const answered = () => { note.answeredAt = clock.monotonic(); };
    return next(ctx).finally(answered);
  };
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
    // 'none' until the cache looks, as for a whole request: a sentence refused before it was no miss
    cacheResult: 'none', cacheKey: null, attempts: 0, served: null, usage: null, costUsd: 0, batchSize: null,
    notes: { [SENTENCE]: { gate, calledAt: null, answeredAt: null } satisfies SentenceNote } as Record<string, unknown>,
  };
}

/**
 * What the reply's x-sluice-cache says about its sentences (one result each): what they all were when
 * they agree; `miss` when any went upstream; else `stale`, `coalesced` or the slowest tier of hit.
 */
export function summariseSentences(results: readonly CacheResult[]): CacheResult {
  if (results.length === 0) return 'miss';
  if (results.every((r) => r === results[0])) return results[0];
  if (results.some((r) => !SERVED_WITHOUT_UPSTREAM.has(r))) return 'miss';
  if (results.includes('stale')) return 'stale';
  if (results.includes('coalesced')) return 'coalesced';
  return results.includes('hit-disk') ? 'hit-disk' : results.includes('hit-semantic') ? 'hit-semantic' : 'hit-memory';
}

/** The sentences' upstream attempts together: each the retry stage's count (also while its call is under way), else its context's. */
function attemptsOf(subs: readonly RequestContext[]): number {
  return subs.reduce((n, s) => n + (attemptsMade(s) ?? s.attempts), 0);
}

/**
 * The reply's figures once its sentences are in (or it failed): its cache result, attempts, upstream time,
 * and as usage the characters of the sentences in `finished` that went upstream itself (none: left for the
 * record stage, which counts the text, at no cost since the result is a hit or coalesced). A reply that
 * failed midway is billed for the sentences its upstream answered before that: they were paid for.
 */
function account(ctx: RequestContext, subs: readonly RequestContext[], finished: readonly RequestContext[]): void {
  ctx.cacheResult = summariseSentences(subs.map((s) => s.cacheResult));
  ctx.attempts = attemptsOf(subs);
  const calls = subs.map((s) => sentenceOf(s)!).filter((n) => n.calledAt !== null);
  if (calls.length) {
    const start = Math.min(...calls.map((n) => n.calledAt!));
    const end = Math.max(...calls.map((n) => n.answeredAt ?? n.calledAt!));
    ctx.timings.upstreamMs = end - start;
  }
  const paid = finished.filter((s) => !SERVED_WITHOUT_UPSTREAM.has(s.cacheResult));
  if (paid.length) {
    const chars = paid.reduce((n, s) => n + speechUsage(s.body).prompt_tokens, 0);
    ctx.usage = { prompt_tokens: chars, completion_tokens: 0, total_tokens: chars };
    ctx.served ??= paid[0].served;
  }
}

/**
 * The text spoken whole by the next stage (the cache and upstream, as with sentence mode off), after its
 * sentences' audio could not be joined before any of it was sent: typically an upstream that ignores
 * response_format, whose own bytes and content-type then pass through. Sentences its upstream answered
 * for this reply were paid for: the reply counts them with the whole text's call, and is a `miss`.
 */
async function speakWhole(ctx: RequestContext, reason: AudioJoinError, next: Handler): Promise<ProxyResult> {
  ctx.trace.push({
    stage: 'speech', message: `sentence mode: ${reason.detail}; the text is spoken whole instead`,
    say: { id: 'speech.spokenWhole', vars: { reason: reason.detail } },
  });
  const bySentences = { usage: ctx.usage, served: ctx.served, attempts: ctx.attempts, upstreamMs: ctx.timings.upstreamMs };
  // as the request stood before sentence mode took it (account() set these)
  ctx.usage = null;
  ctx.served = null;
  ctx.attempts = 0;
  ctx.cacheResult = 'none';
  ctx.timings.upstreamMs = 0;
  const add = (whole: Usage | null) => {
    ctx.attempts += bySentences.attempts;
    ctx.timings.upstreamMs += bySentences.upstreamMs;
    if (!bySentences.usage) return; // nothing paid for by sentences: the whole text is counted as usual
    const chars = bySentences.usage.prompt_tokens + (whole?.prompt_tokens ?? 0);
    ctx.usage = { prompt_tokens: chars, completion_tokens: 0, total_tokens: chars };
    ctx.served ??= bySentences.served;
    if (SERVED_WITHOUT_UPSTREAM.has(ctx.cacheResult) || ctx.cacheResult === 'none') ctx.cacheResult = 'miss';
  };
  let result: ProxyResult;
  try {
    result = await next(ctx);
  } catch (err) {
    add(null);
    throw err;
  }
  add(result.status < 300 && !SERVED_WITHOUT_UPSTREAM.has(ctx.cacheResult) ? speechUsage(ctx.body) : null);
  return result;
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
      const subs: RequestContext[] = new Array(sentences.length);
      const done: Array<RequestContext | undefined> = new Array(sentences.length);
      let oldest: number | null = null; // the `age` of the oldest cached sentence

      const synthesize = async (sentence: string, i: number, signal: AbortSignal): Promise<Uint8Array> => {
        const sub = sentenceContext(ctx, req, sentence, i, signal, gate);
        subs[i] = sub;
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
      const finishedSubs = () => done.filter((s): s is RequestContext => s !== undefined);
      let first: IteratorResult<Buffer, void>;
      let complete: Buffer | null = null; // the whole reply, when every sentence is in before the headers
      try {
        first = await audio.next(); // the first sentence's failure is this request's error
        await settle();
        if (!first.done && finishedSubs().length === sentences.length) {
          // Everything is here (all hits, or all quick): join it now, to answer one complete file.
          const parts: Buffer[] = [first.value];
          for await (const part of audio) parts.push(part);
          complete = completeAudio(Buffer.concat(parts), format);
        }
      } catch (err) {
        account(ctx, subs.filter(Boolean), finishedSubs()); // other sentences may have been answered, and paid for
        // audio that cannot be joined (not in the format asked for) is no reason the whole text would fail
        if (err instanceof AudioJoinError) return speakWhole(ctx, err, next);
        throw err;
      }

      const finished = finishedSubs();
      const hits = finished.filter((s) => HITS.has(s.cacheResult)).length;
      // For the headers: a sentence still under way either called upstream itself (a miss, its result
      // so far) or waits on a call another request made (every sentence entered at once, so by now a
      // sentence that goes upstream has got there). The log gets the final figures (account).
      ctx.cacheResult = summariseSentences(subs.map((s, i) => (done[i] || sentenceOf(s)!.calledAt !== null ? s.cacheResult : 'coalesced')));
      ctx.served = done[0]?.served ?? null;
      ctx.attempts = attemptsOf(subs);
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
      if (complete) {
        account(ctx, subs, subs);
        return { status: 200, headers, body: complete };
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
          // before the record stage logs and bills the request: at the end, or when a sentence failed or the client left
          account(ctx, subs, finishedSubs());
        }
      }
      // The WAV header went out before the length was known, so its RIFF and data sizes are 0xFFFFFFFF,
      // "to the end of the stream" as streamed WAV has it; readers that take them literally (Python's
      // wave) need telling. A reply whose sentences are all in before the headers is sized exactly above.
      if (format === 'wav') headers['x-sluice-wav-sizes'] = 'streamed';
      return { status: 200, headers, stream: rest() };
    };
    // every other request passes straight on, without an async frame of this stage's own
    return (ctx) => (ctx.endpoint !== 'speech' ? next(ctx) : speak(ctx));
  };
}
