// Where configuration comes from, in order: defaults < config file < environment < command line.
import { isObj } from '../../shared/is-obj.ts';
import { existsSync, readFileSync } from 'node:fs';
import type { ProviderConfig, SluiceConfig } from '../../shared/config.ts';
import { defaultConfig } from './defaults.ts';
import { listenHostProblem } from './listen-host.ts';
import { CLIENT_TOKEN, ConfigError, TOKEN_WORDS, validateConfig } from './validate-config.ts';

export interface ConfigOverrides {
  host?: string;
  port?: number;
  configPath?: string;
}

type Env = Record<string, string | undefined>;

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

export interface LoadedConfig {
  config: SluiceConfig;
  configPath: string | null;
  /** Where server.host came from, for a message about it: `--host`, `SLUICE_HOST`, `server.host in <file>` or `the default`. */
  hostSource: string;
}

export function loadConfig(env: Env, overrides: ConfigOverrides = {}): LoadedConfig {
  let cfg = defaultConfig();
  const configPath = overrides.configPath ?? env.SLUICE_CONFIG ?? null;
  // the config file's providers as written, so that a message names a provider by its index there
  let fileProviders: unknown[] = [];
  let hostInFile = false;
  if (configPath) {
    if (!existsSync(configPath)) throw new ConfigError([`config: file not found: ${configPath}`]);
    let parsed: unknown;
    try {
      // a byte-order mark (Windows editors write one) is not part of the JSON
      parsed = JSON.parse(readFileSync(configPath, 'utf8').replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new ConfigError([`config: ${configPath} is not valid JSON (${(err as Error).message})`]);
    }
    if (!isObj(parsed)) throw new ConfigError(['config: the file must hold a JSON object']);
    const { providers, ...sections } = parsed;
    hostInFile = isObj(sections.server) && sections.server.host !== undefined;
    cfg = mergeConfig(cfg, sections);
    if (Array.isArray(providers)) {
      fileProviders = providers.map((p) => (isObj(p) ? { source: 'config' as const, ...p } : p));
      const ids = new Set(fileProviders.map((p) => (isObj(p) ? p.id : undefined)));
      cfg.providers = [...cfg.providers.filter((p) => !ids.has(p.id)), ...(fileProviders as ProviderConfig[])];
    } else if (providers !== undefined) {
      cfg.providers = providers as ProviderConfig[]; // refused below: must be a list
    }
  }
  if (Array.isArray(cfg.providers)) {
    for (const p of providersFromEnv(env)) {
      if (!cfg.providers.some((q) => q?.id === p.id)) cfg.providers.push(p);
    }
  }
  const server = cfg.server;
  if (isObj(server)) { // else refused below: must be an object
    if (env.SLUICE_HOST) server.host = env.SLUICE_HOST;
    if (env.SLUICE_PORT !== undefined && env.SLUICE_PORT !== '') {
      const port = Number(env.SLUICE_PORT);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError([`SLUICE_PORT: must be a port number from 0 to 65535, got '${env.SLUICE_PORT.slice(0, 40)}'`]);
      server.port = port;
    }
    if (env.SLUICE_CLIENT_TOKEN) {
      // named as what was set: the check below would blame server.clientToken
      if (!CLIENT_TOKEN.test(env.SLUICE_CLIENT_TOKEN)) throw new ConfigError([`SLUICE_CLIENT_TOKEN: ${TOKEN_WORDS}`]);
      server.clientToken = env.SLUICE_CLIENT_TOKEN;
    }
    if (overrides.host) server.host = overrides.host;
    if (overrides.port !== undefined) server.port = overrides.port;
  }
  const hostSource = overrides.host ? '--host' : env.SLUICE_HOST ? 'SLUICE_HOST' : hostInFile ? `server.host in ${configPath}` : 'the default';
  // a flag's or a variable's bad address is named here; the file's is named with its path when the engine starts
  const hostProblem = overrides.host || env.SLUICE_HOST ? listenHostProblem(cfg.server.host) : null;
  if (hostProblem) throw new ConfigError([`${hostSource}: '${cfg.server.host}' ${hostProblem}`]);
  validateConfig(cfg, {
    providerPath: (p, i) => {
      const inFile = fileProviders.indexOf(p);
      if (inFile >= 0) return `providers[${inFile}]`;
      return isObj(p) && typeof p.id === 'string' ? `providers['${p.id}']` : `providers[${i}]`;
    },
  });
  return { config: cfg, configPath, hostSource };
}
