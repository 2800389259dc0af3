// Defaults that make a fresh start useful: loopback only, the simulator always there, caching on.
import type { CacheConfig, LogConfig, ServerConfig, SluiceConfig } from '../../shared/config.ts';

export const DEFAULT_PORT = 8640;

export const defaultServer = (): ServerConfig => ({
  host: '127.0.0.1',
  port: DEFAULT_PORT,
  bodyLimitBytes: 20 * 1024 * 1024,
  allowedHosts: [],
  shutdownGraceMs: 10_000,
});

export const defaultCache = (): CacheConfig => ({
  enabled: true,
  memoryMaxBytes: 256 * 1024 * 1024,
  diskMaxBytes: 2 * 1024 * 1024 * 1024,
  ttlSeconds: 7 * 24 * 3600,
  mode: 'all',
  serveStale: true,
  staleMaxSeconds: 30 * 24 * 3600,
  perModel: [],
});

export const defaultLog = (): LogConfig => ({ maxRows: 100_000, bodies: false });

export function defaultConfig(): SluiceConfig {
  return {
    server: defaultServer(),
    providers: [{ id: 'simulator', type: 'simulator', label: 'Simulator (built-in, no network)', source: 'builtin', enabled: true }],
    cache: defaultCache(),
    log: defaultLog(),
  };
}
