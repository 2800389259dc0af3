// The built-in simulator: answers chat (plain and streamed, n choices, JSON modes, tool calls, reasoning, logprobs),
// embeddings and speech with no network and no keys, at a realistic pace. Clearly labelled as such.
import type { ProviderConfig } from '../../../shared/config.ts';
import type {
  ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, ChatMessage, EmbeddingsRequest, ModelObject, SpeechRequest,
} from '../../../shared/openai.ts';
import { SIMULATOR_MODELS } from '../../../shared/simulator.ts';
import type { Endpoint } from '../../../shared/targets.ts';
import type { Clock } from '../../clock.ts';
import type { EngineDeps } from '../../deps.ts';
import { describeValue } from '../../../shared/describe-value.ts';
import { UpstreamHttpError, type SluiceError } from '../../errors.ts';
import { badRequest } from '../../sayings.ts';
import type { CallContext, ProviderAdapter, ProviderFactory, RefusableRequest, UpstreamResponse, VoiceInfo } from '../provider.ts';
import { otherEndpointModel, simulatorFormat, simulatorVoice } from '../provider-sayings.ts';
import { chatRefusal } from './chat-refusals.ts';
import { simulatedChoices, textOf, type SimulatedChoice } from './simulated-choices.ts';
import type { TokenLogprob } from './simulated-logprobs.ts';
import { roughTokens, seedOf, seededRandom, simulatedEmbedding, streamPieces } from './simulated-text.ts';


/** The endpoint one of the simulator's own models is for; undefined for any other name (simulated, so routes may name their own). */
const endpointOf = (model: string): Endpoint | undefined =>
  (Object.keys(SIMULATOR_MODELS) as Endpoint[]).find((e) => (SIMULATOR_MODELS[e] as readonly string[]).includes(model));

/** OpenAI's voice names, so an app written for OpenAI speaks through the simulator unchanged, and one Chinese voice. */
const VOICES: VoiceInfo[] = [
  ...['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse']
    .map((id) => ({ id, name: `${id[0].toUpperCase()}${id.slice(1)} (simulated)`, language: 'en' })),
  { id: 'xiaoxiao', name: '晓晓 (simulated)', language: 'zh-CN' },
];
const VOICE_IDS = new Set(VOICES.map((v) => v.id));

export interface SimulatorOptions {
  /** Time to first token, ms (±25 % noise). */
  ttftMs: number;
  /** Streaming pace. */
  tokensPerSecond: number;
  /** Share of calls answered with a 500, 0–1 (for trying alerts and fallbacks). */
  failureRate: number;
  /** Extra latency for every call, ms. */
  extraLatencyMs: number;
}

const DEFAULTS: SimulatorOptions = { ttftMs: 180, tokensPerSecond: 90, failureRate: 0, extraLatencyMs: 0 };

function messageOf(c: SimulatedChoice): ChatMessage {
  const message: ChatMessage = { role: 'assistant', content: c.content };
  if (c.toolCall) message.tool_calls = [c.toolCall];
  if (c.reasoning) message.reasoning_content = c.reasoning;
  return message;
}

interface StreamStep { delta: Partial<ChatMessage>; pause: boolean; logprobs?: TokenLogprob[] }

/** One choice's deltas in the order it streams them; `pause` paces the stream at the model's speed. */
function streamSteps(c: SimulatedChoice): StreamStep[] {
  const steps: StreamStep[] = [{ delta: { role: 'assistant', content: '' }, pause: false, logprobs: c.toolCall ? undefined : [] }];
  if (c.reasoning) for (const piece of streamPieces(c.reasoning)) steps.push({ delta: { reasoning_content: piece }, pause: true });
  if (c.toolCall) {
    const { id, function: fn } = c.toolCall;
    steps.push({ delta: { tool_calls: [{ index: 0, id, type: 'function', function: { name: fn.name, arguments: '' } }] }, pause: false });
    const args = fn.arguments ?? '';
    for (let i = 0; i < args.length; i += 12) steps.push({ delta: { tool_calls: [{ index: 0, function: { arguments: args.slice(i, i + 12) } }] }, pause: true });
  }
  for (const piece of c.pieces) steps.push({ delta: { content: piece.text }, pause: true, logprobs: piece.logprobs });
  return steps;
}

function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return signal.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => { clock.clearTimeout(t); reject(signal.reason); };
    const t = clock.setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export class SimulatorAdapter implements ProviderAdapter {
  readonly id: string;
  readonly type = 'simulator';
  readonly label: string;
  readonly endpoints: ReadonlySet<Endpoint> = new Set<Endpoint>(['chat', 'embeddings', 'speech']);
  #opts: SimulatorOptions;
  #deps: EngineDeps;

  constructor(cfg: ProviderConfig, deps: EngineDeps) {
    this.id = cfg.id;
    this.label = cfg.label ?? 'Simulator (built-in, no network)';
    this.#opts = { ...DEFAULTS, ...(cfg.options as Partial<SimulatorOptions> | undefined) };
    for (const [k, v] of Object.entries(this.#opts)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`Simulator '${cfg.id}': options.${k} must be a non-negative number`);
    }
    if (this.#opts.failureRate > 1) throw new Error(`Simulator '${cfg.id}': options.failureRate must be at most 1`);
    this.#deps = deps;
  }

  #jitter(ms: number): number {
    return ms * (0.75 + this.#deps.random() * 0.5);
  }

  async #maybeFail(signal: AbortSignal): Promise<void> {
    await sleep(this.#deps.clock, this.#opts.extraLatencyMs, signal);
    if (this.#opts.failureRate > 0 && this.#deps.random() < this.#opts.failureRate) {
      throw new UpstreamHttpError(this.id, 500, JSON.stringify({ error: { message: 'Simulated upstream failure (options.failureRate).' } }));
    }
  }

  /**
   * One of its own models asked for at another endpoint (sim-embed for chat) is refused, as OpenAI refuses an
   * embeddings model at chat; so is a chat body OpenAI refuses (chat-refusals.ts), and a voice it does not
   * have, said before anything about the format.
   */
  refuses(endpoint: Endpoint, req: RefusableRequest): SluiceError | null {
    const own = endpointOf(req.model);
    if (own !== undefined && own !== endpoint) {
      return badRequest(otherEndpointModel(req.model, own, endpoint, SIMULATOR_MODELS[endpoint]), 'model', 'SLUICE_WRONG_ENDPOINT');
    }
    if (endpoint === 'chat') return chatRefusal(req);
    if (endpoint !== 'speech') return null;
    if (typeof req.voice !== 'string' || !VOICE_IDS.has(req.voice)) return badRequest(simulatorVoice(describeValue(req.voice), [...VOICE_IDS]), 'voice', 'SLUICE_UNKNOWN_VOICE');
    const format = req.response_format ?? 'mp3';
    if (format !== 'wav' && format !== 'pcm') return badRequest(simulatorFormat(describeValue(format)), 'response_format', 'SLUICE_UNSUPPORTED_FORMAT');
    return null;
  }

  #refuse(endpoint: Endpoint, req: RefusableRequest): void {
    const refusal = this.refuses(endpoint, req);
    if (refusal) throw refusal;
  }

  async chat(req: ChatCompletionRequest, ctx: CallContext): Promise<UpstreamResponse> {
    this.#refuse('chat', req);
    await this.#maybeFail(ctx.signal);
    const prompt = req.messages.map((m) => `${m.role}:${textOf(m.content)}`).join('\n');
    const key = `${req.model}\n${prompt}\n${req.seed ?? ''}`;
    const choices = simulatedChoices(req, key);
    const promptTokens = roughTokens(prompt);
    const completionTokens = choices.reduce((sum, c) => sum + c.completionTokens, 0);
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    const id = `chatcmpl-sim${seedOf(key).toString(16)}`;
    const logprobs = req.logprobs === true;
    const created = Math.floor(this.#deps.clock.now() / 1000);

    if (!req.stream) {
      const longest = Math.max(...choices.map((c) => c.completionTokens));
      await sleep(this.#deps.clock, this.#jitter(this.#opts.ttftMs) + (longest / this.#opts.tokensPerSecond) * 1000 * 0.2, ctx.signal);
      const body: ChatCompletion = {
        id, object: 'chat.completion', created, model: req.model, system_fingerprint: 'sluice-simulator',
        choices: choices.map((c) => ({
          index: c.index, message: messageOf(c), finish_reason: c.finish,
          logprobs: logprobs ? { content: c.toolCall ? null : c.pieces.flatMap((p) => p.logprobs), refusal: null } : null,
        })),
        usage,
      };
      const bytes = Buffer.from(JSON.stringify(body));
      return { status: 200, headers: {}, body: { kind: 'json', bytes, json: body } };
    }

    const clock = this.#deps.clock;
    const ttft = this.#jitter(this.#opts.ttftMs);
    const perPieceMs = 2000 / this.#opts.tokensPerSecond;
    const includeUsage = req.stream_options?.include_usage === true;
    const chunk = (index: number, step: StreamStep, finish_reason: string | null = null): string => {
      // a chunk of content carries its tokens' logprobs (none for the opening empty content), as OpenAI's do
      const lp = logprobs && step.logprobs ? { content: step.logprobs, refusal: null } : null;
      const c: ChatCompletionChunk = {
        id, object: 'chat.completion.chunk', created, model: req.model, system_fingerprint: 'sluice-simulator',
        choices: [{ index, delta: step.delta, finish_reason, logprobs: lp }],
      };
      return `data: ${JSON.stringify(c)}\n\n`;
    };
    const steps = choices.map(streamSteps);
    const signal = ctx.signal;
    async function* stream(): AsyncGenerator<Uint8Array> {
      await sleep(clock, ttft, signal);
      // step by step, each choice's step in turn, as OpenAI interleaves them; a choice that has finished sends no more
      for (let k = 0; k < Math.max(...steps.map((s) => s.length)); k++) {
        const now = steps.flatMap((s, index) => (k < s.length ? [{ index, step: s[k] }] : []));
        yield Buffer.from(now.map(({ index, step }) => chunk(index, step)).join(''));
        if (now.some(({ step }) => step.pause)) await sleep(clock, perPieceMs, signal);
      }
      yield Buffer.from(choices.map((c) => chunk(c.index, { delta: {}, pause: false }, c.finish)).join(''));
      if (includeUsage) {
        const u: ChatCompletionChunk = { id, object: 'chat.completion.chunk', created, model: req.model, system_fingerprint: 'sluice-simulator', choices: [], usage };
        yield Buffer.from(`data: ${JSON.stringify(u)}\n\n`);
      }
      yield Buffer.from('data: [DONE]\n\n');
    }
    return { status: 200, headers: {}, body: { kind: 'sse', stream: stream() } };
  }

  async embeddings(req: EmbeddingsRequest, ctx: CallContext): Promise<UpstreamResponse> {
    this.#refuse('embeddings', req);
    await this.#maybeFail(ctx.signal);
    const inputs = Array.isArray(req.input) ? req.input : [req.input];
    const dims = req.dimensions ?? 256;
    const rnd = seededRandom(inputs.length);
    await sleep(this.#deps.clock, this.#jitter(20 + rnd() * 10 + inputs.length * 0.2), ctx.signal);
    let tokens = 0;
    const data = inputs.map((input, index) => {
      const t = typeof input === 'string' ? input : JSON.stringify(input);
      tokens += roughTokens(t);
      const vec = simulatedEmbedding(t, dims);
      const embedding = req.encoding_format === 'base64' ? Buffer.from(new Float32Array(vec).buffer).toString('base64') : vec;
      return { object: 'embedding' as const, index, embedding };
    });
    const body = { object: 'list', data, model: req.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
    const bytes = Buffer.from(JSON.stringify(body));
    return { status: 200, headers: {}, body: { kind: 'json', bytes, json: body } };
  }

  speechFormats(): readonly string[] { return ['wav', 'pcm']; }

  async speech(req: SpeechRequest, ctx: CallContext): Promise<UpstreamResponse> {
    this.#refuse('speech', req);
    const format = req.response_format ?? 'mp3';
    await this.#maybeFail(ctx.signal);
    await sleep(this.#deps.clock, this.#jitter(60 + req.input.length * 0.5), ctx.signal);
    const { synthesizeSimulatedWav } = await import('../../tts/simulated-wav.ts');
    const wav = synthesizeSimulatedWav(`${req.voice}\n${req.input}`, { sampleRate: 24_000, speed: req.speed ?? 1 });
    const bytes = format === 'pcm' ? wav.subarray(44) : wav;
    return { status: 200, headers: {}, body: { kind: 'audio', bytes: Buffer.from(bytes), contentType: format === 'pcm' ? 'audio/pcm' : 'audio/wav' } };
  }

  async listModels(): Promise<ModelObject[]> {
    return Object.values(SIMULATOR_MODELS).flat().map((id) => ({ id, object: 'model', created: 0, owned_by: 'sluice-simulator' }));
  }

  async listVoices(): Promise<VoiceInfo[]> { return VOICES; }

  async close(): Promise<void> {}
}

export const simulatorFactory: ProviderFactory = (cfg, deps) => new SimulatorAdapter(cfg, deps);
