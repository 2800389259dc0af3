// The one interface every upstream speaks. Adapters translate their wire protocol to OpenAI's
// shapes; the pipeline never knows which adapter it is talking to.
import type { ChatCompletionRequest, EmbeddingsRequest, ModelObject, SpeechRequest } from '../../shared/openai.ts';
import type { ProviderConfig } from '../../shared/config.ts';
import type { Endpoint } from '../../shared/targets.ts';
import type { EngineDeps } from '../deps.ts';

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
  close(): Promise<void>;
}

export type ProviderFactory = (config: ProviderConfig, deps: EngineDeps) => ProviderAdapter;
