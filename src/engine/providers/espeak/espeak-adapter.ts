// espeak-ng on the local machine: offline speech in many languages (Chinese as cmn/zh included).
// Runs `espeak-ng --stdout` per request (text on stdin), returns WAV with exact sizes or raw PCM at OpenAI's 24 kHz;
// mp3/opus/aac/flac through ffmpeg when it is on PATH, otherwise a 400 naming what the voice can give.
import type { ProviderConfig } from '../../../shared/config.ts';
import type { ModelObject, SpeechRequest } from '../../../shared/openai.ts';
import type { Endpoint } from '../../../shared/targets.ts';
import type { EngineDeps } from '../../deps.ts';
import { UpstreamProtocolError, UpstreamUnreachableError, type SluiceError } from '../../errors.ts';
import { badRequest } from '../../sayings.ts';
import { audioContentType } from '../../tts/speech-request.ts';
import { OPENAI_PCM_RATE, resamplePcm16 } from '../../tts/pcm-resample.ts';
import { finalizeWav, parseWav } from '../../tts/wav.ts';
import type { CallContext, ProviderAdapter, ProviderFactory, RefusableRequest, UpstreamResponse } from '../provider.ts';
import { espeakFormat, espeakVoice } from '../provider-sayings.ts';
import { DEFAULT_ESPEAK_ALIASES, espeakWordsPerMinute, isChineseText, MANDARIN_VOICE, parseEspeakVoices, withAliases, type EspeakVoice } from './espeak-voices.ts';
import { TRANSCODED_FORMATS, transcodeWav, type TranscodedFormat } from './ffmpeg-transcoder.ts';
import { findExecutable } from './find-executable.ts';
import { runProcess } from './run-process.ts';

export interface EspeakOptions {
  /** espeak-ng executable; default: `espeak-ng` found on PATH. */
  espeakPath: string | null;
  /** ffmpeg executable for mp3/opus/aac/flac; default: found on PATH; `false` turns transcoding off. */
  ffmpegPath: string | null;
  /** Per synthesis (and per transcode), ms. */
  timeoutMs: number;
  /** Largest audio accepted from a process, bytes. */
  maxOutputBytes: number;
  /** Extra voice names → espeak voice (merged over OpenAI's names → en-us). */
  voiceAliases: Record<string, string>;
  /** OpenAI's voice names the config did not map itself: a stand-in for a voice, not one the user chose. */
  openAiNames: ReadonlySet<string>;
}

const NATIVE_FORMATS = ['wav', 'pcm'] as const;

function readOptions(cfg: ProviderConfig): EspeakOptions {
  const o = (cfg.options ?? {}) as Record<string, unknown>;
  const where = `espeak provider '${cfg.id}'`;
  const path = (key: string, name: string): string | null => {
    const v = o[key];
    if (v === undefined || v === null) return findExecutable(name);
    if (v === false) return null;
    if (typeof v !== 'string' || v === '') throw new Error(`${where}: options.${key} must be a path or false`);
    return findExecutable(v) ?? (() => { throw new Error(`${where}: options.${key} '${v}' is not an executable file`); })();
  };
  const positive = (key: string, def: number): number => {
    const v = o[key] ?? def;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`${where}: options.${key} must be a positive number`);
    return v;
  };
  const aliases = o.voiceAliases ?? {};
  if (typeof aliases !== 'object' || aliases === null || Object.values(aliases).some((v) => typeof v !== 'string')) {
    throw new Error(`${where}: options.voiceAliases must map voice names to espeak voices`);
  }
  return {
    espeakPath: path('espeakPath', 'espeak-ng'),
    ffmpegPath: path('ffmpegPath', 'ffmpeg'),
    timeoutMs: positive('timeoutMs', 20_000),
    maxOutputBytes: positive('maxOutputBytes', 64 * 1024 * 1024),
    voiceAliases: { ...DEFAULT_ESPEAK_ALIASES, ...(aliases as Record<string, string>) },
    openAiNames: new Set(Object.keys(DEFAULT_ESPEAK_ALIASES).filter((n) => !Object.hasOwn(aliases, n))),
  };
}

export class EspeakAdapter implements ProviderAdapter {
  readonly id: string;
  readonly type = 'espeak';
  readonly label: string;
  readonly endpoints: ReadonlySet<Endpoint> = new Set<Endpoint>(['speech']);
  #opts: EspeakOptions;
  #deps: EngineDeps;
  #models: string[];
  #voices: Promise<EspeakVoice[]> | null = null;

  constructor(cfg: ProviderConfig, deps: EngineDeps) {
    this.id = cfg.id;
    this.label = cfg.label ?? 'espeak-ng (offline)';
    this.#opts = readOptions(cfg);
    this.#deps = deps;
    this.#models = cfg.models?.length ? [...cfg.models] : ['espeak-ng', 'espeak'];
  }

  /** True when espeak-ng was found. */
  get available(): boolean { return this.#opts.espeakPath !== null; }

  speechFormats(): readonly string[] {
    return this.#opts.ffmpegPath ? [...NATIVE_FORMATS, ...TRANSCODED_FORMATS] : NATIVE_FORMATS;
  }

  #espeak(): string {
    if (!this.#opts.espeakPath) throw new UpstreamUnreachableError(this.id, 'espeak-ng is not installed (not found on PATH)');
    return this.#opts.espeakPath;
  }

  /** espeak-ng's voices (asked once), their other language codes (zh) and the aliases (alloy). */
  listVoices(): Promise<EspeakVoice[]> {
    if (!this.#voices) {
      const loading = this.#loadVoices();
      this.#voices = loading;
      loading.catch(() => { if (this.#voices === loading) this.#voices = null; }); // asked again next time
    }
    return this.#voices;
  }

  async #loadVoices(): Promise<EspeakVoice[]> {
    const out = await runProcess({
      provider: this.id, command: this.#espeak(), args: ['--voices'], timeoutMs: this.#opts.timeoutMs,
      maxOutputBytes: 1024 * 1024, clock: this.#deps.clock,
    });
    return withAliases(parseEspeakVoices(out.toString('utf8')), this.#opts.voiceAliases);
  }

  /**
   * A format it cannot give (mp3 and the like without ffmpeg) or a voice espeak-ng does not have is refused
   * before it runs; without espeak-ng there is no voice list to judge by (the call fails as unreachable).
   */
  async refuses(endpoint: Endpoint, req: RefusableRequest): Promise<SluiceError | null> {
    if (endpoint !== 'speech') return null;
    const format = String(req.response_format ?? 'mp3');
    const name = String(req.voice);
    const formats = this.speechFormats();
    if (!formats.includes(format)) {
      const needsFfmpeg = (TRANSCODED_FORMATS as readonly string[]).includes(format);
      return badRequest(espeakFormat(name, formats, format, needsFfmpeg), 'response_format', 'SLUICE_UNSUPPORTED_FORMAT');
    }
    if (!this.available) return null;
    return this.#voiceOf(name, await this.listVoices()) ? null : badRequest(espeakVoice(name), 'voice', 'SLUICE_UNKNOWN_VOICE');
  }

  /** The voice a name asks for (`en-us`, `en-us+f3`), or undefined. */
  #voiceOf(name: string, voices: readonly EspeakVoice[]): EspeakVoice | undefined {
    const [base, variant] = name.split('+', 2);
    if (variant !== undefined && !/^[a-z0-9_]+$/i.test(variant)) return undefined;
    return voices.find((v) => v.id === base);
  }

  /**
   * The voice that speaks this request: the one its name leads to, except that Chinese text asked of an
   * OpenAI voice name (alloy…, mapped to American English as a stand-in) is spoken by the Mandarin voice.
   * Decided per request, so per sentence in sentence mode: a reply mixing English and Chinese sentences
   * has each spoken in its language. A name the user mapped in `voiceAliases` is left as they chose.
   */
  #speakingVoice(req: SpeechRequest, voices: readonly EspeakVoice[]): EspeakVoice {
    const voice = this.#voiceOf(req.voice, voices)!;
    if (!this.#opts.openAiNames.has(req.voice.split('+', 2)[0]) || !isChineseText(req.input)) return voice;
    return voices.find((v) => v.id === MANDARIN_VOICE) ?? voice;
  }

  async speech(req: SpeechRequest, ctx: CallContext): Promise<UpstreamResponse> {
    const format = req.response_format ?? 'mp3';
    const refusal = await this.refuses('speech', req);
    if (refusal) throw refusal;
    const command = this.#espeak();
    const voices = await this.listVoices();
    const voice = this.#speakingVoice(req, voices);
    const variant = req.voice.split('+', 2)[1];
    const timeoutMs = Math.min(this.#opts.timeoutMs, ctx.timeoutMs ?? Infinity);
    const out = await runProcess({
      provider: this.id, command,
      args: ['--stdout', '-b', '1', '-v', variant ? `${voice.espeakName}+${variant}` : voice.espeakName, '-s', String(espeakWordsPerMinute(req.speed ?? 1))],
      stdin: req.input, timeoutMs, maxOutputBytes: this.#opts.maxOutputBytes, clock: this.#deps.clock, signal: ctx.signal,
    });
    let wav: Buffer;
    try {
      wav = finalizeWav(out);
    } catch (err) {
      throw new UpstreamProtocolError(this.id, `espeak-ng gave no valid WAV (${(err as Error).message})`);
    }
    let bytes: Buffer;
    if (format === 'wav') bytes = wav;
    else if (format === 'pcm') {
      // OpenAI's pcm is 24 kHz; espeak-ng speaks at 22,050 Hz, which a client would play 9 % fast
      const info = parseWav(wav);
      bytes = resamplePcm16(wav.subarray(info.dataOffset, info.dataOffset + info.dataLength), info.sampleRate, OPENAI_PCM_RATE);
    }
    else {
      bytes = await transcodeWav(wav, format as TranscodedFormat, {
        provider: this.id, ffmpegPath: this.#opts.ffmpegPath!, timeoutMs, maxOutputBytes: this.#opts.maxOutputBytes,
        clock: this.#deps.clock, signal: ctx.signal,
      });
    }
    return { status: 200, headers: {}, body: { kind: 'audio', bytes, contentType: audioContentType(format) } };
  }

  async listModels(): Promise<ModelObject[]> {
    return this.#models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'espeak-ng' }));
  }

  async close(): Promise<void> {}
}

export const espeakFactory: ProviderFactory = (cfg, deps) => new EspeakAdapter(cfg, deps);
