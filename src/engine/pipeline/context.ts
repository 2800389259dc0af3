// What travels through the pipeline: one RequestContext in, one ProxyResult out.
// Stages are `(next) => handler`; each reads and annotates the context.
import type { IncomingHttpHeaders } from 'node:http';
import type { CachePolicy, CacheResult, Endpoint, Priority, Target } from '../../shared/targets.ts';
import type { Usage } from '../../shared/openai.ts';
import type { TraceSaying } from '../../shared/trace.ts';

export interface TraceStep {
  stage: string;
  message: string;
  /** The message as data, for the panel to say in the reader's language. */
  say?: TraceSaying;
  [k: string]: unknown;
}

export interface Timings {
  /** Waiting in the scheduler's queue. */
  queueMs: number;
  /** From the first upstream attempt to the response headers of the one that answered, or to the last one's failure. */
  upstreamMs: number;
  /** From arrival to the first body byte sent to the client (streams). */
  firstByteMs: number | null;
  totalMs: number;
}

export interface CacheDirectives {
  /** Skip the read (Cache-Control: no-cache). */
  noRead: boolean;
  /** Neither read nor write (Cache-Control: no-store). */
  noStore: boolean;
  ttlSeconds: number | null;
  namespace: string;
}

export interface RequestContext {
  readonly id: string;
  readonly endpoint: Endpoint;
  /** The path the client used, e.g. /v1/chat/completions or /llm/chat/completions. */
  readonly path: string;
  readonly method: string;
  /** The validated request body in OpenAI's shape (chat, embeddings or speech request). */
  body: any;
  readonly headers: IncomingHttpHeaders;
  /** Hash of the client's credential scope: entries never cross tenants. '' when anonymous. */
  readonly tenant: string;
  /** Who sent it, for per-client limits and the runaway detector (never a raw key). */
  readonly client: string;
  /** Aborted when the client disconnects. */
  readonly signal: AbortSignal;
  /** Wall clock at arrival (ms since epoch) and monotonic at arrival. */
  readonly receivedAt: number;
  readonly t0: number;
  readonly requestedModel: string;
  readonly stream: boolean;
  readonly priority: Priority;
  readonly tags: readonly string[];
  readonly cacheDirectives: CacheDirectives;

  /** Filled by the route stage: targets in the order to try them. */
  targets: Target[];
  /** Timeout for each upstream attempt, from the route (ms). */
  timeoutMs: number | null;
  /** Cache policy from the matched routing rule (null: the config's defaults and per-model overrides). */
  cachePolicy: CachePolicy | null;
  /** Human-readable account of the decisions taken (route, cache, retries). */
  trace: TraceStep[];
  timings: Timings;
  cacheResult: CacheResult;
  cacheKey: string | null;
  attempts: number;
  /** The target that answered. */
  served: Target | null;
  usage: Usage | null;
  costUsd: number;
  /** Batch size when this request went upstream inside a batch. */
  batchSize: number | null;
  /** Free-form annotations other stages want to pass down (kept small). */
  notes: Record<string, unknown>;
}

export interface ProxyResult {
  status: number;
  /** Response headers; the edge adds x-request-id, x-sluice-provider, x-sluice-model, x-sluice-cache. */
  headers: Record<string, string>;
  /** A complete body, or a stream of bytes (SSE or audio) sent with backpressure. Exactly one is set. */
  body?: Buffer;
  stream?: AsyncIterable<Uint8Array>;
  /** The parsed form of a JSON `body`, when a stage already has it (saves parsing twice). */
  json?: unknown;
  /**
   * Set on a complete `body` by the record stage: the request's bookkeeping (log row, live event,
   * metrics, spend), which the client need not wait for. Whoever sends or consumes the result calls
   * it once, after the body has gone out (or failed to).
   */
  afterSend?: () => void;
}

export type Handler = (ctx: RequestContext) => Promise<ProxyResult>;
export type Stage = (next: Handler) => Handler;

export function compose(stages: Stage[], terminal: Handler): Handler {
  return stages.reduceRight<Handler>((next, stage) => stage(next), terminal);
}
