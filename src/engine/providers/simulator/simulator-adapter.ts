// The built-in simulator: answers chat (plain and streamed, n choices, JSON modes, tool calls and reasoning),
// embeddings and speech with no network and no keys, at a realistic pace. Clearly labelled as such.
import type { ProviderConfig } from '../../../shared/config.ts';
import type {
  ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, ChatMessage, EmbeddingsRequest, ModelObject, SpeechRequest, ToolCall,
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
import { simulatedJsonContent } from './simulated-json.ts';
import { cutToTokens, roughTokens, seedOf, seededRandom, simulatedAnswer, simulatedEmbedding, streamPieces } from './simulated-text.ts';
import { toolArguments, toolToCall } from './simulated-tool-call.ts';


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

function text(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (p as { text?: unknown }).text).filter((t) => typeof t === 'string').join(' ');
  return '';
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
    const prompt = req.messages.map((m) => `${m.role}:${text(m.content)}`).join('\n');
    const seed = seedOf(`${req.model}\n${prompt}\n${req.seed ?? ''}`);
    const last = req.messages[req.messages.length - 1];
    const tool = toolToCall(req, last);
    const toolCalls: ToolCall[] | undefined = tool ? [{
      id: `call_${seed.toString(16)}`, type: 'function',
      function: { name: tool.name, arguments: toolArguments(tool.parameters, text(last?.content), seed) },
    }] : undefined;
    const reasoning = req.model.includes('reason') ? `Thinking about: ${text(last?.content).slice(0, 60)}` : undefined;
    const reasoningTokens = reasoning ? roughTokens(reasoning) : 0;
    // JSON modes answer JSON; a token limit cuts the answer where a model would stop, and says so
    const prose = simulatedAnswer(seed);
    const whole = simulatedJsonContent(req.response_format, prose, seededRandom(seed ^ 0x9e3779b9)) ?? prose;
    const limit = req.max_completion_tokens ?? req.max_tokens;
    const { text: answer, cut } = typeof limit === 'number' ? cutToTokens(whole, Math.max(1, limit - reasoningTokens)) : { text: whole, cut: false };
    const n = Math.min(Math.max(1, req.n ?? 1), 8);
    const promptTokens = roughTokens(prompt);
    const perChoice = (toolCalls ? roughTokens(toolCalls[0].function.arguments ?? '') : roughTokens(answer)) + reasoningTokens;
    const completionTokens = perChoice * n;
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    const id = `chatcmpl-sim${seed.toString(16)}`;
    const created = Math.floor(this.#deps.clock.now() / 1000);
    const finish = toolCalls ? 'tool_calls' : cut ? 'length' : 'stop';

    if (!req.stream) {
      await sleep(this.#deps.clock, this.#jitter(this.#opts.ttftMs) + (perChoice / this.#opts.tokensPerSecond) * 1000 * 0.2, ctx.signal);
      const message: ChatMessage = { role: 'assistant', content: toolCalls ? null : answer };
      if (toolCalls) message.tool_calls = toolCalls;
      if (reasoning) message.reasoning_content = reasoning;
      const body: ChatCompletion = {
        id, object: 'chat.completion', created, model: req.model, system_fingerprint: 'sluice-simulator',
        choices: Array.from({ length: n }, (_, index) => ({ index, message, finish_reason: finish, logprobs: null })),
        usage,
      };
      const bytes = Buffer.from(JSON.stringify(body));
      return { status: 200, headers: {}, body: { kind: 'json', bytes, json: body } };
    }

    const clock = this.#deps.clock;
    const opts = this.#opts;
    const ttft = this.#jitter(opts.ttftMs);
    const includeUsage = req.stream_options?.include_usage === true;
    // every step of the answer once for each of the n choices, as OpenAI interleaves them
    const events = (delta: Partial<ChatMessage>, finish_reason: string | null = null): Uint8Array => {
      let out = '';
      for (let index = 0; index < n; index++) {
        const c: ChatCompletionChunk = {
          id, object: 'chat.completion.chunk', created, model: req.model, system_fingerprint: 'sluice-simulator',
          choices: [{ index, delta, finish_reason, logprobs: null }],
        };
        out += `data: ${JSON.stringify(c)}\n\n`;
      }
      return Buffer.from(out);
    };
    const signal = ctx.signal;
    async function* stream(): AsyncGenerator<Uint8Array> {
      await sleep(clock, ttft, signal);
      yield events({ role: 'assistant', content: '' });
      const perPieceMs = 2000 / opts.tokensPerSecond;
      if (reasoning) for (const piece of streamPieces(reasoning)) { yield events({ reasoning_content: piece }); await sleep(clock, perPieceMs, signal); }
      if (toolCalls) {
        const tc = toolCalls[0];
        yield events({ tool_calls: [{ index: 0, id: tc.id, type: 'function', function: { name: tc.function.name, arguments: '' } }] });
        const args = tc.function.arguments ?? '';
        for (let i = 0; i < args.length; i += 12) {
          yield events({ tool_calls: [{ index: 0, function: { arguments: args.slice(i, i + 12) } }] });
          await sleep(clock, perPieceMs, signal);
        }
      } else {
        for (const piece of streamPieces(answer)) { yield events({ content: piece }); await sleep(clock, perPieceMs, signal); }
      }
      yield events({}, finish);
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
