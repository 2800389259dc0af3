// Sluice's configuration: serialisable data. The engine validates it (src/engine/config) and adds behaviour.
import type { Endpoint } from './targets.ts';

export type ProviderType = 'openai-compatible' | 'simulator' | 'anthropic' | 'espeak' | 'edge-tts';

export interface ModelPrice {
  /** USD per million input tokens. */
  input: number;
  /** USD per million output tokens. */
  output: number;
}

/**
 * The highest price Sluice takes, in USD per million tokens: a dollar a token. The dearest models sell
 * for hundreds of dollars per million tokens, so this leaves room for any real price and still refuses
 * the typos that are none (an exponent too many, a price per token entered as one per million): at
 * 1e308 one request's cost is no longer a number, which made the day's spend and every USD budget over
 * it unreadable.
 */
export const MAX_PRICE_USD = 1_000_000;

export interface ProviderConfig {
  id: string;
  type: ProviderType;
  label?: string;
  baseUrl?: string;
  /** Never logged, never sent on the event stream; masked in the admin API. */
  apiKey?: string;
  /** Models this provider serves. Empty: whatever it lists, and any name asked for explicitly as `provider/model`. */
  models?: string[];
  /** Per-model prices overriding the built-in table. */
  prices?: Record<string, ModelPrice>;
  endpoints?: Endpoint[];
  enabled?: boolean;
  /** Upper bound on concurrent upstream connections. */
  maxConnections?: number;
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
  headers?: Record<string, string>;
  /** Settings only one provider type understands (e.g. the simulator's pace and failure rate). */
  options?: Record<string, unknown>;
  /** Where the provider came from: the environment, detection, the config file, or the panel. */
  source?: ProviderSource;
}

/** A provider's id: 1–64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit (it is the `id/` of `id/model`). */
export const PROVIDER_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export const PROVIDER_SOURCES = ['env', 'detected', 'config', 'builtin', 'admin'] as const;
export type ProviderSource = (typeof PROVIDER_SOURCES)[number];

export interface ServerConfig {
  host: string;
  port: number;
  /** Max request body, bytes. */
  bodyLimitBytes: number;
  /** Extra Host names accepted besides loopback names (DNS-rebinding guard). */
  allowedHosts: string[];
  /** Required on proxy endpoints when set (mandatory when listening beyond loopback). */
  clientToken?: string;
  /** In-flight requests get this long to finish on shutdown. */
  shutdownGraceMs: number;
}

export interface CacheConfig {
  enabled: boolean;
  memoryMaxBytes: number;
  diskMaxBytes: number;
  /** Default time to live, seconds. */
  ttlSeconds: number;
  /** 'deterministic': cache chat only at temperature 0 (or unset and n=1 with a seed); 'all': cache everything. */
  mode: 'deterministic' | 'all';
  /** Serve an expired entry when the upstream fails. */
  serveStale: boolean;
  /** How long past expiry an entry may still be served stale, seconds. */
  staleMaxSeconds: number;
  /** Per-model overrides: glob on the requested model → policy. */
  perModel: Array<{ model: string; ttlSeconds?: number; mode?: 'deterministic' | 'all'; enabled?: boolean }>;
}

export interface LogConfig {
  /** Request log rows kept; oldest dropped. */
  maxRows: number;
  /** Store request and response bodies in the log (off by default). */
  bodies: boolean;
}

export interface SluiceConfig {
  server: ServerConfig;
  providers: ProviderConfig[];
  cache: CacheConfig;
  log: LogConfig;
  /** Subsections owned by later capabilities keep their own types; they are stored as data here. */
  [section: string]: unknown;
}
