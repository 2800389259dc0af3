// Sentence mode: long text is spoken sentence by sentence. Sentences are synthesized in parallel
// (up to a limit) through a function the engine passes in — so each one goes through the cache and
// the pipeline, and common sentences ("Sure!", "好的。") hit the cache across replies — and the
// audio is streamed back in order as soon as the first sentence is ready.
//
// Output: WAV gets one header for the whole concatenation. When every sentence is already done
// when the first is ready (all cache hits) the header carries exact sizes; otherwise it is a streamed
// header with sizes 0xFFFFFFFF ("to the end of the stream"), which players and ffmpeg accept.
// `collectSentenceSpeech` always returns exact sizes. PCM is raw concatenation; MP3 joins frames
// (followers lose their tags). A failure of any sentence makes the stream throw — the audio is
// never ended as if complete — and stops the sentences still running. So does a sentence whose audio
// is not in the format asked for (an upstream that ignores response_format), checked as each comes in:
// never joined into an empty or garbled file.
import type { SpeechRequest } from '../../shared/openai.ts';
import { SluiceError } from '../errors.ts';
import { concatMp3, mp3AudioFrames, type Mp3FormatError } from './mp3-frames.ts';
import { splitSentences } from './sentence-splitter.ts';
import { buildWavHeader, concatWav, describe, parseWav, sameFormat, type WavFormatError, type WavInfo } from './wav.ts';

export type SentenceFormat = 'wav' | 'pcm' | 'mp3';
export const SENTENCE_MODE_FORMATS: readonly SentenceFormat[] = ['wav', 'pcm', 'mp3'];

export type SynthesizeSentence = (sentence: string, index: number, signal: AbortSignal) => Promise<Uint8Array>;

export interface SentenceSpeechOptions {
  sentences: readonly string[];
  format: SentenceFormat;
  synthesize: SynthesizeSentence;
  /** Sentences synthesized at the same time (default 3). */
  concurrency?: number;
  /** Abort to stop: running sentences get an aborted signal. */
  signal?: AbortSignal;
}

export class AudioJoinError extends SluiceError {
  /** What is wrong, without the preamble: 'sentence 2 is not WAV audio (…)'. */
  readonly detail: string;
  constructor(detail: string) {
    super('SLUICE_AUDIO_JOIN', `Sentence audio could not be joined: ${detail}`, { status: 502, type: 'upstream_error' });
    this.detail = detail;
  }
}

/**
 * Throws AudioJoinError unless a sentence's audio is in `format`: WAV must be RIFF/WAVE, MP3 must hold an
 * MPEG audio frame. PCM has no header to check; like the others it must not be empty.
 */
export function checkSentenceAudio(clip: Uint8Array, format: SentenceFormat, index: number): void {
  const which = `sentence ${index + 1}`;
  if (clip.byteLength === 0) throw new AudioJoinError(`${which} has no audio (0 bytes)`);
  try {
    if (format === 'wav') parseWav(clip);
    else if (format === 'mp3') mp3AudioFrames(clip);
  } catch (err) {
    throw new AudioJoinError(`${which} is not ${format === 'wav' ? 'WAV' : 'MP3'} audio (${(err as WavFormatError | Mp3FormatError).message})`);
  }
}

export interface SentencePlanOptions {
  /** Sentence mode on (default true). */
  enabled?: boolean;
  /** Longest sentence before it is cut at a comma or space (default 300). */
  maxSentenceChars?: number;
}

/** The sentences to speak separately, or null when this request should be spoken whole. */
export function planSentenceSpeech(req: SpeechRequest, opts: SentencePlanOptions = {}): string[] | null {
  if (opts.enabled === false) return null;
  if (!SENTENCE_MODE_FORMATS.includes((req.response_format ?? 'mp3') as SentenceFormat)) return null;
  const sentences = splitSentences(req.input, { maxChars: opts.maxSentenceChars ?? 300 });
  return sentences.length > 1 ? sentences : null;
}

/** The request for one sentence: the same voice, model, format and speed, only the text differs. */
export function sentenceRequest(req: SpeechRequest, sentence: string): SpeechRequest {
  return { ...req, input: sentence };
}

function validate(opts: SentenceSpeechOptions): number {
  const concurrency = opts.concurrency ?? 3;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  if (!SENTENCE_MODE_FORMATS.includes(opts.format)) throw new RangeError(`format must be one of ${SENTENCE_MODE_FORMATS.join(', ')}, got ${opts.format}`);
  if (opts.sentences.length === 0) throw new RangeError('sentences must not be empty');
  return concurrency;
}

type Settled = { ok: true; value: Uint8Array } | { ok: false; error: unknown };

/** Audio of all sentences, in order, streamed as each next sentence becomes available. */
export async function* streamSentenceSpeech(opts: SentenceSpeechOptions): AsyncGenerator<Buffer, void, undefined> {
  const concurrency = validate(opts);
  const { sentences, synthesize, format } = opts;
  const ac = new AbortController();
  const onAbort = () => ac.abort(opts.signal?.reason);
  if (opts.signal?.aborted) throw opts.signal.reason;
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const tasks: Promise<Settled>[] = [];
  const settled: (Settled | undefined)[] = Array.from({ length: sentences.length }, () => undefined);
  let inFlight = 0;
  // The first failure of any sentence ends the stream at once (not after the sentences before it).
  const failed = Promise.withResolvers<Settled>();
  let failure: Settled | null = null;
  const pump = () => {
    while (inFlight < concurrency && tasks.length < sentences.length && !ac.signal.aborted) {
      const i = tasks.length;
      inFlight++;
      tasks.push(
        Promise.resolve()
          .then(() => synthesize(sentences[i], i, ac.signal))
          .then((value) => { checkSentenceAudio(value, format, i); return value; })
          .then((value): Settled => ({ ok: true, value }), (error: unknown): Settled => ({ ok: false, error }))
          .then((s) => {
            settled[i] = s;
            inFlight--;
            if (!s.ok && !failure) { failure = s; failed.resolve(s); ac.abort(s.error); }
            pump();
            return s;
          }),
      );
    }
  };

  let first: WavInfo | null = null;
  try {
    pump();
    for (let i = 0; i < sentences.length; i++) {
      const s = await Promise.race([tasks[i], failed.promise]);
      if (!s.ok) throw s.error;
      if (opts.signal?.aborted) throw opts.signal.reason;
      const clip = s.value;
      if (format === 'pcm') { yield Buffer.from(clip); continue; }
      if (format === 'mp3') {
        yield i === 0 ? concatMp3([clip]) : mp3AudioFrames(clip);
        continue;
      }
      const info = parseWav(clip); // checked as it came in
      if (i === 0) {
        first = info;
        const all = settled.every((x) => x?.ok === true);
        if (all && tasks.length === sentences.length) {
          try {
            yield concatWav(settled.map((x) => (x as { value: Uint8Array }).value));
          } catch (err) {
            throw new AudioJoinError((err as Error).message);
          }
          return;
        }
        yield buildWavHeader(info);
      } else if (!sameFormat(first!, info)) {
        throw new AudioJoinError(`sentence ${i + 1} is ${describe(info)}, sentence 1 is ${describe(first!)}`);
      }
      yield Buffer.from(clip.buffer, clip.byteOffset + info.dataOffset, info.dataLength);
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (settled.filter(Boolean).length < tasks.length || tasks.length < sentences.length) {
      ac.abort(new SluiceError('SLUICE_CANCELLED', 'Sentence speech stopped before the end.', { status: 499, type: 'cancelled' }));
    }
  }
}

/** The whole audio as one buffer (WAV with exact sizes), for clients that want a complete body. */
export async function collectSentenceSpeech(opts: SentenceSpeechOptions): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of streamSentenceSpeech(opts)) parts.push(part);
  return completeAudio(Buffer.concat(parts), opts.format);
}

/** Joined sentence audio as a complete file: a streamed WAV header gets its exact sizes. */
export function completeAudio(body: Buffer, format: SentenceFormat): Buffer {
  if (format !== 'wav') return body;
  const info = parseWav(body);
  if (!info.sizeUnknown) return body;
  return Buffer.concat([buildWavHeader(info, info.dataLength), body.subarray(info.dataOffset, info.dataOffset + info.dataLength)]);
}
