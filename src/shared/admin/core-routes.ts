// Admin routes of the core: health, engine info, providers, models, the request log, settings.
import type { ProviderType } from '../config.ts';
import type { RequestSummary } from '../events.ts';
import { route } from './route.ts';
import type { TraceSaying } from '../trace.ts';
import type { CacheResult, Endpoint } from '../targets.ts';

export interface EngineInfo {
  name: 'sluice';
  version: string;
  startedAt: number;
  uptimeMs: number;
  listen: { host: string; port: number; url: string };
  uiUrl: string;
  dataDir: string;
  host: 'desktop' | 'headless';
  paused: boolean;
  node: string;
}

export interface ProviderView {
  id: string;
  type: ProviderType;
  label: string;
  baseUrl: string | null;
  /** Masked: `sk-…abcd`, or null when none. */
  apiKey: string | null;
  source: string;
  enabled: boolean;
  endpoints: string[];
  /** Models it is known to serve: its configured list, else what it lists. */
  models: string[];
  /** The configured list alone ([] when it follows its listing, or serves any name if `open`). */
  configuredModels: string[];
  open: boolean;
  options?: Record<string, unknown>;
}

export interface RequestListQuery {
  limit?: number;
  /** A ms time: requests received before it. */
  before?: number;
  /** A request id, the last row of the page before: the next page, with no row skipped or repeated. */
  beforeId?: string;
  endpoint?: string;
  model?: string;
  provider?: string;
  /** ok, error, a class (2xx, 4xx, 5xx …) or one code (429): see status-filter.ts. */
  status?: string;
  cache?: string;
  text?: string;
}

/** The values the request log holds of each field it can be filtered by: what the panel's filter menus offer. */
export interface RequestLogValues {
  model: string[];
  requestedModel: string[];
  provider: string[];
  endpoint: Array<RequestSummary['endpoint']>;
  status: number[];
  cache: CacheResult[];
  /** Fields with more values than the limit asked for: their lists hold those of the newest rows. */
  truncated: RequestValueField[];
}
export type RequestValueField = Exclude<keyof RequestLogValues, 'truncated'>;

export interface RequestDetail extends RequestSummary {
  detail: {
    trace: Array<{ stage: string; message: string; say?: TraceSaying; [k: string]: unknown }>;
    timings: Record<string, number | null>;
    cacheKey: string | null;
    /** The upstream's own id for the answer or error the client was sent (its support asks for it), when it gave one. */
    upstreamRequestId?: string;
    requestHeaders: Record<string, string>;
    requestBody?: string;
    responseBody?: string;
  };
}

export interface ModelView {
  id: string;
  provider: string;
  owned_by: string;
  /** What the model is for, as far as its provider and its name tell (a chat alias should not switch to a speech model). */
  endpoints: Endpoint[];
}

export interface ProviderInput {
  id: string;
  type: ProviderType;
  label?: string;
  baseUrl?: string;
  /** Omit to keep the stored key; '' to remove it. */
  apiKey?: string;
  models?: string[];
  enabled?: boolean;
  maxConnections?: number;
  options?: Record<string, unknown>;
}

/** The whole-number settings and the ranges the engine takes them in (bytes, seconds, rows). */
export const GENERAL_SETTING_RANGES = {
  cacheTtlSeconds: { min: 0, max: 10 * 365 * 86400 },
  cacheMemoryMaxBytes: { min: 0, max: 64 * 1024 ** 3 },
  cacheDiskMaxBytes: { min: 0, max: 1024 ** 4 },
  logMaxRows: { min: 100, max: 100_000_000 },
} as const satisfies Record<string, { min: number; max: number }>;

export interface GeneralSettings {
  logBodies: boolean;
  logMaxRows: number;
  cacheEnabled: boolean;
  cacheTtlSeconds: number;
  cacheMode: 'deterministic' | 'all';
  cacheMemoryMaxBytes: number;
  cacheDiskMaxBytes: number;
  serveStale: boolean;
}

/** PUT /admin/api/settings: the keys to set (saved, winning over the config file), or null to give a key back to the file. */
export type GeneralSettingsInput = { [K in keyof GeneralSettings]?: GeneralSettings[K] | null };

export const coreRoutes = {
  health: route<void, void, { ok: true; status: 'running' | 'paused' }>('GET', '/admin/api/health'),
  info: route<void, void, EngineInfo>('GET', '/admin/api/info'),
  pause: route<void, { paused: boolean }, { paused: boolean }>('POST', '/admin/api/engine/pause'),
  providersList: route<void, void, ProviderView[]>('GET', '/admin/api/providers'),
  providerSave: route<void, ProviderInput, ProviderView>('PUT', '/admin/api/providers/:id'),
  providerDelete: route<void, void, { deleted: boolean }>('DELETE', '/admin/api/providers/:id'),
  modelsList: route<void, void, ModelView[]>('GET', '/admin/api/models'),
  requestsList: route<RequestListQuery, void, RequestSummary[]>('GET', '/admin/api/requests'),
  // before requestDetail, whose :id would take 'values' (a request id is 24 hex digits, never that)
  requestValues: route<{ limit?: number }, void, RequestLogValues>('GET', '/admin/api/requests/values'),
  requestTest: route<void, { model: string }, TestRequestResult>('POST', '/admin/api/requests/test'),
  requestDetail: route<void, void, RequestDetail>('GET', '/admin/api/requests/:id'),
  settingsGet: route<void, void, GeneralSettings>('GET', '/admin/api/settings'),
  settingsSave: route<void, GeneralSettingsInput, GeneralSettings>('PUT', '/admin/api/settings'),
} as const;

/** What the panel's test request got: sent through the proxy endpoint as an app sends it, with the client token when one is set. */
export interface TestRequestResult {
  status: number;
  latencyMs: number;
  requestId: string | null;
  provider: string | null;
  model: string | null;
  cache: string | null;
  /** The error Sluice answered with, when status is 400 or more. */
  error: { message: string; code: string | null } | null;
}

/** The live event stream (server-sent events; Authorization: Bearer <admin token>). */
export const EVENTS_PATH = '/admin/api/events';
