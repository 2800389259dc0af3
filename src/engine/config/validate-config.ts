// Validation with field paths: a bad config is refused with a message naming the field.
import { ENDPOINTS, isEndpoint } from '../../shared/targets.ts';
import { MAX_RULE_TIMEOUT_MS } from '../../shared/routing.ts';
import { isObj } from '../../shared/is-obj.ts';
import { MAX_PRICE_USD, PROVIDER_ID, PROVIDER_SOURCES, type ProviderConfig, type SluiceConfig } from '../../shared/config.ts';
import type { ErrorIssue } from '../../shared/openai.ts';
import { BadRequestError } from '../errors.ts';
import { CONFIG_KEYS, PROVIDER_KEYS } from './config-keys.ts';
import { unknownKeyIssues } from './unknown-keys.ts';

export class ConfigError extends BadRequestError {
  readonly issues: string[];
  /** `issues`, each `path: words`; or `problems`, each with its path (and code, where it has one), which it is made from. */
  constructor(issues: string[] | ErrorIssue[]) {
    const problems = issues.map((i) => (typeof i === 'string' ? toIssue(i) : i));
    const lines = problems.map(issueLine);
    super(lines.join('; '), problems[0]?.param ?? null, 'SLUICE_INVALID_CONFIG');
    this.issues = lines;
    this.problems = problems;
  }
}

/** A problem as one line, `path: words`: what toIssue reads back. */
export const issueLine = (i: ErrorIssue): string => (i.param ? `${i.param}: ${i.message}` : i.message);

/** `routing.rules[1].name: is required` → its path and its words. */
function toIssue(issue: string): ErrorIssue {
  const m = /^([A-Za-z_][\w.[\]'-]*): (.+)$/s.exec(issue);
  return m ? { param: m[1], message: m[2] } : { param: null, message: issue };
}

const PROVIDER_TYPES = new Set(['openai-compatible', 'simulator', 'anthropic', 'espeak', 'edge-tts']);

/** The longest delay a Node timer keeps: a longer one fires after 1 ms, so a longer setting would act at once. */
export const MAX_TIMER_MS = MAX_RULE_TIMEOUT_MS;

/** What a client sends after `Bearer ` and Sluice compares: visible ASCII, no spaces (a header value cannot carry more). */
export const CLIENT_TOKEN = /^[\x21-\x7e]{1,512}$/;
export const TOKEN_WORDS = 'must be 1–512 visible ASCII characters with no spaces (clients send it as Authorization: Bearer <token>)';

/** A price as the tables hold it: USD per million input and output tokens, each from 0 to MAX_PRICE_USD. */
export function isPrice(p: unknown): boolean {
  const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_PRICE_USD;
  return isObj(p) && ok(p.input) && ok(p.output);
}

export const PRICE_WORDS = `must be { input, output } in USD per million tokens, each from 0 to ${MAX_PRICE_USD} (a dollar a token)`;

export function validateProvider(p: unknown, path: string, issues: string[]): void {
  if (!isObj(p)) { issues.push(`${path}: must be an object`); return; }
  if (typeof p.id !== 'string' || !PROVIDER_ID.test(p.id)) issues.push(`${path}.id: must be lower-case letters, digits, '.', '_' or '-' (1–64 chars)`);
  if (typeof p.type !== 'string' || !PROVIDER_TYPES.has(p.type)) issues.push(`${path}.type: must be one of ${[...PROVIDER_TYPES].join(', ')}`);
  if (p.baseUrl !== undefined) {
    try {
      const u = new URL(String(p.baseUrl));
      if (u.protocol !== 'http:' && u.protocol !== 'https:') issues.push(`${path}.baseUrl: must be http or https`);
    } catch {
      issues.push(`${path}.baseUrl: not a valid URL`);
    }
  }
  if (p.type === 'openai-compatible' && p.baseUrl === undefined) issues.push(`${path}.baseUrl: required for openai-compatible providers`);
  if (p.label !== undefined && (typeof p.label !== 'string' || p.label.length > 200)) issues.push(`${path}.label: must be a string of at most 200 characters`);
  if (p.source !== undefined && !(PROVIDER_SOURCES as readonly unknown[]).includes(p.source)) issues.push(`${path}.source: must be one of ${PROVIDER_SOURCES.join(', ')}`);
  if (p.apiKey !== undefined && typeof p.apiKey !== 'string') issues.push(`${path}.apiKey: must be a string`);
  if (p.prices !== undefined) {
    if (!isObj(p.prices)) issues.push(`${path}.prices: must be an object of model → { input, output }`);
    else for (const [model, price] of Object.entries(p.prices)) if (!isPrice(price)) issues.push(`${path}.prices['${model}']: ${PRICE_WORDS}`);
  }
  if (p.models !== undefined && (!Array.isArray(p.models) || p.models.some((m) => typeof m !== 'string' || !m))) {
    issues.push(`${path}.models: must be a list of model names`);
  }
  if (p.maxConnections !== undefined && !(Number.isInteger(p.maxConnections) && (p.maxConnections as number) > 0 && (p.maxConnections as number) <= 4096)) {
    issues.push(`${path}.maxConnections: must be an integer from 1 to 4096`);
  }
  if (p.endpoints !== undefined && (!Array.isArray(p.endpoints) || p.endpoints.length === 0 || p.endpoints.some((e) => !isEndpoint(e)))) {
    issues.push(`${path}.endpoints: must be a non-empty list of ${ENDPOINTS.join(', ')}`);
  }
  if (p.headers !== undefined) {
    if (!isObj(p.headers)) issues.push(`${path}.headers: must be an object of header names to string values`);
    else for (const [k, v] of Object.entries(p.headers)) if (typeof v !== 'string') issues.push(`${path}.headers['${k}']: must be a string`);
  }
  if (p.options !== undefined && !isObj(p.options)) issues.push(`${path}.options: must be an object`);
  bool(p, 'enabled', path, issues);
  if (p.timeouts !== undefined) {
    if (!isObj(p.timeouts)) issues.push(`${path}.timeouts: must be an object`);
    else for (const k of ['connectMs', 'headersMs', 'bodyMs'] as const) {
      const v = p.timeouts[k];
      if (v !== undefined && !(typeof v === 'number' && v > 0 && v <= 3_600_000)) issues.push(`${path}.timeouts.${k}: must be a number of milliseconds above 0 and at most 3600000 (an hour)`);
    }
  }
}

function num(obj: Record<string, unknown>, key: string, path: string, issues: string[], min: number, max: number, integer = true): void {
  const v = obj[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    issues.push(`${path}.${key}: must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
}

function bool(obj: Record<string, unknown>, key: string, path: string, issues: string[]): void {
  const v = obj[key];
  if (v !== undefined && typeof v !== 'boolean') issues.push(`${path}.${key}: must be true or false`);
}

export interface ValidateConfigOptions {
  /** How to name the provider at `index` of the merged list, e.g. by its index in the config file. Default `providers[index]`. */
  providerPath?: (provider: unknown, index: number) => string;
}

/** Checks the keys of every section and the values of the sections the core owns; later capabilities validate their own values. */
export function validateConfig(cfg: SluiceConfig, opts: ValidateConfigOptions = {}): void {
  const providerPath = opts.providerPath ?? ((_p: unknown, i: number) => `providers[${i}]`);
  const issues: string[] = [];
  const { providers, ...sections } = cfg;
  unknownKeyIssues(sections, CONFIG_KEYS, '', issues);
  if (Array.isArray(providers)) providers.forEach((p, i) => unknownKeyIssues(p, PROVIDER_KEYS, providerPath(p, i), issues));
  if (!isObj(cfg.server)) issues.push('server: must be an object');
  else {
    num(cfg.server as unknown as Record<string, unknown>, 'port', 'server', issues, 0, 65535);
    num(cfg.server as unknown as Record<string, unknown>, 'bodyLimitBytes', 'server', issues, 1024, 1024 ** 3);
    num(cfg.server as unknown as Record<string, unknown>, 'shutdownGraceMs', 'server', issues, 0, 3_600_000);
    if (typeof cfg.server.host !== 'string' || !cfg.server.host) issues.push('server.host: must be a host name or address');
    const hosts: unknown = cfg.server.allowedHosts;
    if (hosts !== undefined && (!Array.isArray(hosts) || hosts.some((h) => typeof h !== 'string' || !/^[^\s/]+$/.test(h)))) {
      issues.push('server.allowedHosts: must be a list of host names, e.g. ["myhost", "myhost.local"]');
    }
    const token: unknown = cfg.server.clientToken;
    if (token !== undefined && (typeof token !== 'string' || !CLIENT_TOKEN.test(token))) issues.push(`server.clientToken: ${TOKEN_WORDS}`);
  }
  if (!Array.isArray(cfg.providers)) issues.push('providers: must be a list');
  else {
    const seen = new Set<string>();
    cfg.providers.forEach((p: ProviderConfig, i) => {
      const path = providerPath(p, i);
      validateProvider(p, path, issues);
      if (seen.has(p?.id)) issues.push(`${path}.id: duplicate provider id '${p.id}'`);
      seen.add(p?.id);
    });
  }
  if (!isObj(cfg.cache)) issues.push('cache: must be an object');
  else {
    const c = cfg.cache as unknown as Record<string, unknown>;
    num(c, 'memoryMaxBytes', 'cache', issues, 0, 64 * 1024 ** 3);
    num(c, 'diskMaxBytes', 'cache', issues, 0, 1024 ** 4);
    num(c, 'ttlSeconds', 'cache', issues, 0, 10 * 365 * 86400);
    num(c, 'staleMaxSeconds', 'cache', issues, 0, 10 * 365 * 86400);
    if (c.mode !== undefined && c.mode !== 'all' && c.mode !== 'deterministic') issues.push(`cache.mode: must be 'all' or 'deterministic'`);
    bool(c, 'enabled', 'cache', issues);
    bool(c, 'serveStale', 'cache', issues);
    if (c.perModel !== undefined && !Array.isArray(c.perModel)) issues.push('cache.perModel: must be a list');
    else (c.perModel as unknown[] | undefined)?.forEach((o, i) => {
      const path = `cache.perModel[${i}]`;
      if (!isObj(o)) { issues.push(`${path}: must be an object`); return; }
      if (typeof o.model !== 'string' || !o.model) issues.push(`${path}.model: must be a model name or glob`);
      num(o, 'ttlSeconds', path, issues, 0, 10 * 365 * 86400);
      if (o.mode !== undefined && o.mode !== 'all' && o.mode !== 'deterministic') issues.push(`${path}.mode: must be 'all' or 'deterministic'`);
      bool(o, 'enabled', path, issues);
    });
  }
  if (!isObj(cfg.log)) issues.push('log: must be an object');
  else {
    num(cfg.log as unknown as Record<string, unknown>, 'maxRows', 'log', issues, 100, 100_000_000);
    bool(cfg.log as unknown as Record<string, unknown>, 'bodies', 'log', issues);
  }
  if (issues.length) throw new ConfigError(issues);
}
