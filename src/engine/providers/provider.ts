// The one interface every upstream speaks. Adapters translate their wire protocol to OpenAI's
// shapes; the pipeline never knows which adapter it is talking to.
import type { ChatCompletionRequest, EmbeddingsRequest, ModelObject, SpeechRequest } from '../../shared/openai.ts';
import type { ProviderConfig } from '../../shared/config.ts';
import type { Endpoint } from '../../shared/targets.ts';
import type { EngineDeps } from '../deps.ts';
import type { SluiceError } from '../errors.ts';

export interface CallContext {
  /** Aborted when nobody is waiting for the answer any more (client gone, timeout, shutdown). */
  signal: AbortSignal;
  requestId: string;
  /** Overall time allowed for this call (routing rules may shorten it). */
  timeoutMs?: number;
}

/**
 * A successful upstream answer, already in OpenAI's shape.
 * Failures are thrown as SluiceError subclasses (UpstreamHttpError, UpstreamTimeoutError, …).
 */
export type UpstreamBody =
  /** A complete JSON answer: `bytes` are forwarded unchanged, `json` is the parsed form. */
  | { kind: 'json'; bytes: Buffer; json: unknown }
  /** OpenAI-format server-sent events (`data: {...}\n\n` … `data: [DONE]\n\n`), passed through as they arrive. */
  | { kind: 'sse'; stream: AsyncIterable<Uint8Array> }
  /** Complete audio. */
  | { kind: 'audio'; bytes: Buffer; contentType: string };

export interface UpstreamResponse {
  status: number;
  body: UpstreamBody;
  /** Upstream headers worth keeping (lower-case names), e.g. x-request-id, openai-processing-ms. */
  headers: Record<string, string>;
}

export interface VoiceInfo {
  id: string;
  name: string;
  language: string;
  gender?: string;
}

/** What `refuses` looks at: a validated body with the target's model (the simulator looks at all of a chat body). */
export interface RefusableRequest { model: string; voice?: unknown; response_format?: unknown; [field: string]: unknown }

export interface ProviderAdapter {
  readonly id: string;
  readonly type: string;
  readonly label: string;
  readonly endpoints: ReadonlySet<Endpoint>;
  chat?(req: ChatCompletionRequest, ctx: CallContext): Promise<UpstreamResponse>;
  embeddings?(req: EmbeddingsRequest, ctx: CallContext): Promise<UpstreamResponse>;
  speech?(req: SpeechRequest, ctx: CallContext): Promise<UpstreamResponse>;
  /** Models the upstream offers (may call it; callers cache the answer). */
  listModels(signal?: AbortSignal): Promise<ModelObject[]>;
  listVoices?(): Promise<VoiceInfo[]>;
  /** Audio formats this provider can produce for a voice (for clear 400s). */
  speechFormats?(voice: string): readonly string[];
  /**
   * The 400 this provider gives a request before calling anyone (one of its models asked for at another
   * endpoint, a voice it does not have, a format it cannot give), or null. Its calls throw the same, and
   * the explain tester asks it, so what explain says and what the proxy does cannot differ.
   */
  refuses?(endpoint: Endpoint, req: RefusableRequest): SluiceError | null | Promise<SluiceError | null>;
  close(): Promise<void>;
}

export type ProviderFactory = (config: ProviderConfig, deps: EngineDeps) => ProviderAdapter;
