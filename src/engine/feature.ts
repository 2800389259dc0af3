// How a capability plugs into the engine. Each capability (cache, routing, metrics and alerts,
// batching, speech, semantic cache) is a Feature built from the EngineHost: it may add migrations,
// pipeline stages in a named slot, admin route implementations, HTTP routes, and a service other
// features can use. The composition root (engine.ts) builds them in the order of features.ts.
import type { ProviderConfig, SluiceConfig } from '../shared/config.ts';
import type { EngineEvent } from '../shared/events.ts';
import type { AdminRouter } from './admin/admin-router.ts';
import type { EventBus } from './admin/event-bus.ts';
import type { IncomingMessage } from 'node:http';
import type { EngineDeps } from './deps.ts';
import type { HttpRouter } from './http/http-router.ts';
import type { Usage } from '../shared/openai.ts';
import type { Endpoint } from '../shared/targets.ts';
import type { Handler, RequestContext, Stage } from './pipeline/context.ts';
import type { CallTarget } from './pipeline/provider-call.ts';
import type { FinishedRequest } from './pipeline/record-stage.ts';
import type { ModelCatalog } from './providers/model-catalog.ts';
import type { ProviderRegistry } from './providers/registry.ts';
import type { Db, Migration } from './store/database.ts';
import type { RequestLog } from './store/request-log.ts';
import type { SettingsRepository } from './store/settings-repository.ts';

/**
 * Services that features offer each other, by name. Each feature adds its own entry with
 * `declare module '../feature.ts' { interface Services { name: Type } }` in its feature file.
 */
export interface Services {
  /** Prices a request's usage on its served target (USD); offered by the routing feature. */
  pricing: { costOf(ctx: RequestContext, usage: Usage): number };
}

/**
 * Where a stage sits, outermost first:
 * admission (client limits) → route → speech (sentence mode) → refuse (what the first target's provider
 * refuses anyway, before the cache looks) → cache → coalesce → batch → (terminal).
 */
export const STAGE_SLOTS = ['admission', 'route', 'speech', 'refuse', 'cache', 'coalesce', 'batch'] as const;
export type StageSlot = (typeof STAGE_SLOTS)[number];

export interface EngineHost {
  readonly deps: EngineDeps;
  config(): SluiceConfig;
  readonly db: Db;
  readonly events: EventBus;
  readonly admin: AdminRouter;
  readonly http: HttpRouter;
  readonly registry: ProviderRegistry;
  readonly catalog: ModelCatalog;
  readonly settings: SettingsRepository;
  readonly requestLog: RequestLog;
  readonly services: Partial<Services>;
  emit(event: EngineEvent): void;
  /** Called for every finished request (after it is logged). Listeners must be quick. */
  onFinished(listener: (done: FinishedRequest) => void): void;
  /** The whole pipeline, for features that issue requests of their own (e.g. sentence mode, semantic embeddings). */
  handler(): Handler;
  /** The pipeline from the given slot inward (e.g. 'refuse' for per-sentence speech). */
  handlerFrom(slot: StageSlot): Handler;
  /** Number of requests in flight right now. */
  inFlight(): number;
  /** The proxy endpoint's own check of a request body (throws its 400), returning the body as the pipeline gets it. */
  validateRequest(endpoint: Endpoint, body: Record<string, unknown>): Record<string, unknown>;
  /** Throws 401 when a client token is set and the request does not carry it; for client routes outside the proxy endpoints. */
  assertClient(req: IncomingMessage): void;
  /** Throws (401/403) unless the request carries the admin token and no foreign Origin; for admin actions on plain HTTP routes. */
  assertAdmin(req: IncomingMessage): void;
}

export interface Feature {
  readonly name: string;
  readonly stages?: ReadonlyArray<{ slot: StageSlot; stage: Stage }>;
  /** Wraps every upstream call (e.g. the scheduler's queue and concurrency limit). */
  wrapCall?(call: CallTarget): CallTarget;
  /** Replaces the terminal handler (e.g. retries and fallback over ctx.targets). At most one feature. */
  terminal?(call: CallTarget): Handler;
  /**
   * Providers found on this machine (e.g. espeak-ng on PATH), added at start when the engine looks
   * for local providers; a configured provider with the same id wins.
   */
  detectProviders?(): ProviderConfig[] | Promise<ProviderConfig[]>;
  /** Runs after the engine listens (first request may arrive any time after). */
  start?(): void | Promise<void>;
  /** Runs on shutdown, after in-flight requests finished, before the database closes. */
  stop?(): void | Promise<void>;
}

export interface FeatureDefinition {
  readonly name: string;
  /** Migrations for sluice.db, run before any feature is created. Versions unique engine-wide, each new one above all others (see features.ts). */
  readonly migrations?: readonly Migration[];
  create(host: EngineHost): Feature;
}
