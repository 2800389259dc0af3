// Microsoft Edge's online read-aloud voices (zh-CN-XiaoxiaoNeural, en-US-AriaNeural, …), no key.
// One WebSocket per request, spoken with Node's global WebSocket client; the endpoint is injectable
// (config `baseUrl`) so tests run against a fake server. Audio is returned only after `turn.end`:
// a connection that closes early is an error, never a short clip passed off as complete.
import type { ProviderConfig } from '../../../shared/config.ts';
import type { ModelObject, SpeechFormat, SpeechRequest } from '../../../shared/openai.ts';
import type { Endpoint } from '../../../shared/targets.ts';
import type { EngineDeps } from '../../deps.ts';
import { UpstreamProtocolError, UpstreamTimeoutError, UpstreamUnreachableError, type SluiceError } from '../../errors.ts';
import { badRequest } from '../../sayings.ts';
import { audioContentType } from '../../tts/speech-request.ts';
import type { CallContext, ProviderAdapter, ProviderFactory, RefusableRequest, UpstreamResponse, VoiceInfo } from '../provider.ts';
import { edgeFormat, edgeVoice } from '../provider-sayings.ts';
import {
  EDGE_CHROMIUM_VERSION, EDGE_ENDPOINT, EDGE_TRUSTED_CLIENT_TOKEN, edgeHeaders, edgeUrl, parseBinaryMessage, parseTextMessage,
  speechConfigMessage, ssmlMessage,
} from './edge-protocol.ts';
import { EDGE_VOICE_ID, EDGE_VOICES } from './edge-voices.ts';

/** Edge output format per OpenAI format. The consumer endpoint is known to serve the MP3 ones. */
export const EDGE_OUTPUT_FORMATS: Readonly<Partial<Record<SpeechFormat, string>>> = {
  mp3: 'audio-24khz-48kbitrate-mono-mp3',
  opus: 'ogg-24khz-16bit-mono-opus',
  wav: 'riff-24khz-16bit-mono-pcm',
  pcm: 'raw-24khz-16bit-mono-pcm',
};

export interface EdgeTtsOptions {
  endpoint: string;
  token: string;
  chromiumVersion: string;
  /** Formats offered (default mp3 only; the others exist in the protocol but the free endpoint may refuse them). */
  formats: SpeechFormat[];
  /** Whole synthesis, connect to turn.end, ms. */
  timeoutMs: number;
  maxAudioBytes: number;
}

function readOptions(cfg: ProviderConfig): EdgeTtsOptions {
  const o = (cfg.options ?? {}) as Record<string, unknown>;
  const where = `edge-tts provider '${cfg.id}'`;
  let url: URL;
  try { url = new URL(cfg.baseUrl ?? EDGE_ENDPOINT); } catch { throw new Error(`${where}: baseUrl '${cfg.baseUrl}' is not a URL`); }
  // The panel and config file take http(s) URLs: they name the same server over WebSocket.
  if (url.protocol === 'https:' || url.protocol === 'http:') url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const endpoint = url.href;
  if (url.protocol !== 'wss:' && url.protocol !== 'ws:') throw new Error(`${where}: baseUrl must be a ws(s):// or http(s):// URL, got '${cfg.baseUrl}'`);
  const formats = (o.formats ?? ['mp3']) as unknown;
  if (!Array.isArray(formats) || formats.length === 0 || formats.some((f) => !(f in EDGE_OUTPUT_FORMATS))) {
    throw new Error(`${where}: options.formats must list some of ${Object.keys(EDGE_OUTPUT_FORMATS).join(', ')}`);
  }
  const positive = (key: string, def: number): number => {
    const v = o[key] ?? def;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`${where}: options.${key} must be a positive number`);
    return v;
  };
  const str = (key: string, def: string): string => {
    const v = o[key] ?? def;
    if (typeof v !== 'string' || v === '') throw new Error(`${where}: options.${key} must be a non-empty string`);
    return v;
  };
  return {
    endpoint, token: str('token', EDGE_TRUSTED_CLIENT_TOKEN), chromiumVersion: str('chromiumVersion', EDGE_CHROMIUM_VERSION),
    formats: formats as SpeechFormat[], timeoutMs: positive('timeoutMs', 30_000), maxAudioBytes: positive('maxAudioBytes', 32 * 1024 * 1024),
  };
}

function hex32(random: () => number): string {
  let s = '';
  for (let i = 0; i < 32; i++) s += Math.floor(random() * 16).toString(16);
  return s;
}

export class EdgeTtsAdapter implements ProviderAdapter {
  readonly id: string;
  readonly type = 'edge-tts';
  readonly label: string;
  readonly endpoints: ReadonlySet<Endpoint> = new Set<Endpoint>(['speech']);
  #opts: EdgeTtsOptions;
  #deps: EngineDeps;
  #models: string[];
  #open = new Set<WebSocket>();

  constructor(cfg: ProviderConfig, deps: EngineDeps) {
    this.id = cfg.id;
    this.label = cfg.label ?? 'Microsoft Edge read-aloud (online)';
    this.#opts = readOptions(cfg);
    this.#deps = deps;
    this.#models = cfg.models?.length ? [...cfg.models] : ['edge-tts'];
  }

  speechFormats(): readonly string[] { return this.#opts.formats; }

  async listVoices(): Promise<VoiceInfo[]> { return [...EDGE_VOICES]; }

  async listModels(): Promise<ModelObject[]> {
    return this.#models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'microsoft-edge' }));
  }

  /** A format its voices cannot give, or a name that is not an Edge voice's, is refused before connecting. */
  refuses(endpoint: Endpoint, req: RefusableRequest): SluiceError | null {
    if (endpoint !== 'speech') return null;
    const voice = String(req.voice);
    const format = String(req.response_format ?? 'mp3');
    if (!(this.#opts.formats as readonly string[]).includes(format)) return badRequest(edgeFormat(voice, this.#opts.formats, format), 'response_format', 'SLUICE_UNSUPPORTED_FORMAT');
    if (!EDGE_VOICE_ID.test(voice)) return badRequest(edgeVoice(voice), 'voice', 'SLUICE_UNKNOWN_VOICE');
    return null;
  }

  async speech(req: SpeechRequest, ctx: CallContext): Promise<UpstreamResponse> {
    const refusal = this.refuses('speech', req);
    if (refusal) throw refusal;
    const format = req.response_format ?? 'mp3';
    const bytes = await this.#synthesize(req, EDGE_OUTPUT_FORMATS[format]!, ctx);
    return { status: 200, headers: {}, body: { kind: 'audio', bytes, contentType: audioContentType(format) } };
  }

  #synthesize(req: SpeechRequest, outputFormat: string, ctx: CallContext): Promise<Buffer> {
    const { clock, random } = this.#deps;
    const o = this.#opts;
    const timeoutMs = Math.min(o.timeoutMs, ctx.timeoutMs ?? Infinity);
    if (ctx.signal.aborted) return Promise.reject(ctx.signal.reason);
    const requestId = hex32(random);
    const url = edgeUrl({ endpoint: o.endpoint, token: o.token, chromiumVersion: o.chromiumVersion, connectionId: hex32(random), nowMs: clock.now() });
    return new Promise<Buffer>((resolve, reject) => {
      let ws: WebSocket;
      try {
        ws = new WebSocket(url, { headers: edgeHeaders(o.chromiumVersion) });
      } catch (err) {
        reject(new UpstreamUnreachableError(this.id, (err as Error).message, err));
        return;
      }
      ws.binaryType = 'arraybuffer';
      this.#open.add(ws);
      const audio: Buffer[] = [];
      let size = 0;
      let opened = false;
      let settled = false;
      const settle = (err: unknown, value?: Buffer) => {
        if (settled) return;
        settled = true;
        clock.clearTimeout(timer);
        ctx.signal.removeEventListener('abort', onAbort);
        this.#open.delete(ws);
        if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.close(1000);
        if (err !== undefined) reject(err); else resolve(value!);
      };
      const onAbort = () => settle(ctx.signal.reason);
      const timer = clock.setTimeout(() => settle(new UpstreamTimeoutError(this.id, 'total', timeoutMs)), timeoutMs);
      ctx.signal.addEventListener('abort', onAbort, { once: true });

      ws.onopen = () => {
        opened = true;
        const now = clock.now();
        ws.send(speechConfigMessage(outputFormat, now));
        ws.send(ssmlMessage({ requestId, voice: req.voice, text: req.input, speed: req.speed ?? 1, nowMs: now }));
      };
      ws.onmessage = (ev: MessageEvent) => {
        if (typeof ev.data === 'string') {
          const path = parseTextMessage(ev.data).headers.Path;
          if (path !== 'turn.end') return;
          if (size === 0) return settle(new UpstreamProtocolError(this.id, `no audio for voice '${req.voice}' (is the voice name right?)`));
          return settle(undefined, Buffer.concat(audio, size));
        }
        const msg = parseBinaryMessage(new Uint8Array(ev.data as ArrayBuffer));
        if (!msg) return settle(new UpstreamProtocolError(this.id, 'malformed binary message'));
        if (msg.headers.Path !== 'audio' || msg.body.length === 0) return;
        size += msg.body.length;
        if (size > o.maxAudioBytes) return settle(new UpstreamProtocolError(this.id, `audio exceeded the limit of ${o.maxAudioBytes} bytes`));
        audio.push(Buffer.from(msg.body));
      };
      ws.onerror = () => {
        settle(opened
          ? new UpstreamProtocolError(this.id, 'the connection failed before the end of the audio')
          : new UpstreamUnreachableError(this.id, `cannot connect to ${new URL(o.endpoint).host}`));
      };
      ws.onclose = (ev: CloseEvent) => {
        settle(opened
          ? new UpstreamProtocolError(this.id, `the connection closed (code ${ev.code}) before the end of the audio`)
          : new UpstreamUnreachableError(this.id, `connection refused (code ${ev.code})`));
      };
    });
  }

  async close(): Promise<void> {
    for (const ws of this.#open) ws.close(1001);
    this.#open.clear();
  }
}

export const edgeTtsFactory: ProviderFactory = (cfg, deps) => new EdgeTtsAdapter(cfg, deps);
