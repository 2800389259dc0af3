// Where configuration comes from, in order: defaults < config file < environment < command line.
import { existsSync, readFileSync } from 'node:fs';
import type { ProviderConfig, SluiceConfig } from '../../shared/config.ts';
import { defaultConfig } from './defaults.ts';
import { ConfigError, validateConfig } from './validate-config.ts';

export interface ConfigOverrides {
  host?: string;
  port?: number;
  configPath?: string;
}

type Env = Record<string, string | undefined>;

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep merge of plain objects; arrays and scalars from `over` replace. */
export function mergeConfig<T>(base: T, over: unknown): T {
  if (!isObj(base) || !isObj(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? mergeConfig(out[k], v) : v;
  return out as T;
}

/** Providers named by the environment: OPENAI_API_KEY / OPENAI_BASE_URL, ANTHROPIC_API_KEY, SLUICE_PROVIDERS_JSON. */
export function providersFromEnv(env: Env): ProviderConfig[] {
  const out: ProviderConfig[] = [];
  if (env.OPENAI_API_KEY || env.OPENAI_BASE_URL) {
    const baseUrl = (env.OPENAI_BASE_URL || 'https://api.openai.com/v1').replace(/\/+$/, '');
    out.push({ id: 'openai', type: 'openai-compatible', label: `OpenAI-compatible (${new URL(baseUrl).host})`, baseUrl, apiKey: env.OPENAI_API_KEY, source: 'env' });
  }
  if (env.ANTHROPIC_API_KEY) {
    out.push({ id: 'anthropic', type: 'anthropic', label: 'Anthropic', baseUrl: (env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com').replace(/\/+$/, ''), apiKey: env.ANTHROPIC_API_KEY, source: 'env' });
  }
  return out;
}

export function loadConfig(env: Env, overrides: ConfigOverrides = {}): { config: SluiceConfig; configPath: string | null } {
  let cfg = defaultConfig();
  const configPath = overrides.configPath ?? env.SLUICE_CONFIG ?? null;
  if (configPath) {
    if (!existsSync(configPath)) throw new ConfigError([`config: file not found: ${configPath}`]);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(configPath, 'utf8'));
    } catch (err) {
      throw new ConfigError([`config: ${configPath} is not valid JSON (${(err as Error).message})`]);
    }
    if (!isObj(parsed)) throw new ConfigError(['config: the file must hold a JSON object']);
    const fileProviders = Array.isArray(parsed.providers) ? (parsed.providers as ProviderConfig[]).map((p) => ({ source: 'config' as const, ...p })) : undefined;
    cfg = mergeConfig(cfg, { ...parsed, providers: undefined });
    if (fileProviders) cfg.providers = [...cfg.providers.filter((p) => !fileProviders.some((f) => f.id === p.id)), ...fileProviders];
  }
  for (const p of providersFromEnv(env)) {
    if (!cfg.providers.some((q) => q.id === p.id)) cfg.providers.push(p);
  }
  if (env.SLUICE_HOST) cfg.server.host = env.SLUICE_HOST;
  if (env.SLUICE_PORT !== undefined && env.SLUICE_PORT !== '') cfg.server.port = Number(env.SLUICE_PORT);
  if (env.SLUICE_CLIENT_TOKEN) cfg.server.clientToken = env.SLUICE_CLIENT_TOKEN;
  if (overrides.host) cfg.server.host = overrides.host;
  if (overrides.port !== undefined) cfg.server.port = overrides.port;
  validateConfig(cfg);
  return { config: cfg, configPath };
}
