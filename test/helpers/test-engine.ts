// Start a real engine for a test: port 0, a fresh temp data dir, quiet logs, no local detection.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderConfig, SluiceConfig } from '../../src/shared/config.ts';
import { createEngine, defaultConfig, defaultDeps, silentLogger, type Engine, type EngineDeps } from '../../src/engine/index.ts';
import { mergeConfig } from '../../src/engine/config/load-config.ts';

export interface TestEngine {
  engine: Engine;
  url: string;
  dataDir: string;
  admin(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export async function startTestEngine(opts: {
  providers?: ProviderConfig[];
  config?: Partial<Record<keyof SluiceConfig, unknown>>;
  deps?: Partial<EngineDeps>;
  dataDir?: string;
  keepDataDir?: boolean;
} = {}): Promise<TestEngine> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'sluice-test-'));
  let config = defaultConfig();
  config.server.port = 0;
  config.server.shutdownGraceMs = 2_000;
  if (opts.providers) config.providers = [...config.providers.filter((p) => !opts.providers!.some((q) => q.id === p.id)), ...opts.providers];
  if (opts.config) config = mergeConfig(config, opts.config);
  const engine = createEngine(config, defaultDeps(dataDir, { logger: silentLogger, ...opts.deps }), { detectLocal: false, adminToken: ADMIN_TOKEN });
  const url = await engine.start();
  return {
    engine, url, dataDir,
    admin: (path, init = {}) => fetch(url + path, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...(init.headers as Record<string, string> ?? {}) },
    }),
    async stop() {
      await engine.stop();
      if (!opts.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A simulator with no artificial delays, for fast tests. */
export const fastSimulator: ProviderConfig = {
  id: 'simulator', type: 'simulator', label: 'Simulator', source: 'builtin',
  options: { ttftMs: 1, tokensPerSecond: 100_000, failureRate: 0, extraLatencyMs: 0 },
};

/** A plain chat request to `url`. */
export function postChat(url: string, model: string, content = 'hi'): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
  });
}

/** The newest row of the request log (summary fields). */
export async function lastLogged(sluice: TestEngine): Promise<{ attempts: number; costUsd: number; status: number; provider: string }> {
  const rows = (await (await sluice.admin('/admin/api/requests?limit=1')).json()) as Array<{ attempts: number; costUsd: number; status: number; provider: string }>;
  return rows[0];
}
