// The `scheduling` config section merged over its defaults and checked field by field, so a bad
// value is refused at start with the path of the field (e.g. `scheduling.limiter.backoffRatio`).
// `limits` at the top level is accepted as a shorthand for `scheduling.clientLimits` (not beside a different one).
import { isDeepStrictEqual } from 'node:util';
import { isObj } from '../../shared/is-obj.ts';
import type { SluiceConfig } from '../../shared/config.ts';
import {
  defaultScheduling, type ClientLimit, type ClientLimitsConfig, type SchedulingConfig,
} from '../../shared/scheduling.ts';
import { CLIENT_LIMITS_KEYS } from '../config/config-keys.ts';
import { unknownKeyIssues } from '../config/unknown-keys.ts';
import { ConfigError } from '../config/validate-config.ts';

function merge<T>(base: T, over: unknown): T {
  if (!isObj(base) || !isObj(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? merge(out[k], v) : v;
  return out as T;
}

class Checker {
  readonly issues: string[] = [];

  bool(obj: Record<string, unknown>, key: string, path: string): void {
    if (typeof obj[key] !== 'boolean') this.issues.push(`${path}.${key}: must be true or false`);
  }

  num(obj: Record<string, unknown>, key: string, path: string, min: number, max: number, opts: { integer?: boolean; exclusiveMin?: boolean; exclusiveMax?: boolean; nullable?: boolean } = {}): void {
    const v = obj[key];
    if (v === null && opts.nullable) return;
    const ok = typeof v === 'number' && Number.isFinite(v)
      && (opts.exclusiveMin ? v > min : v >= min) && (opts.exclusiveMax ? v < max : v <= max)
      && (!opts.integer || Number.isInteger(v));
    if (!ok) {
      const range = !opts.exclusiveMin && !opts.exclusiveMax
        ? `from ${min} to ${max}`
        : `${opts.exclusiveMin ? 'above' : 'at least'} ${min} and ${opts.exclusiveMax ? 'below' : 'at most'} ${max}`;
      this.issues.push(`${path}.${key}: must be ${opts.integer ? 'an integer' : 'a number'} ${range}${opts.nullable ? ', or null' : ''}`);
    }
  }

  section(obj: Record<string, unknown>, key: string, path: string): Record<string, unknown> | null {
    const v = obj[key];
    if (!isObj(v)) { this.issues.push(`${path}.${key}: must be an object`); return null; }
    return v;
  }

  limit(l: unknown, path: string): void {
    if (!isObj(l)) { this.issues.push(`${path}: must be an object`); return; }
    for (const k of Object.keys(l)) {
      if (k === 'client' || k === 'requestsPerMinute' || k === 'tokensPerMinute') continue;
      this.issues.push(`${path}.${k}: unknown field (use requestsPerMinute or tokensPerMinute)`);
    }
    for (const k of ['requestsPerMinute', 'tokensPerMinute'] as const) {
      if (l[k] !== undefined) this.num(l, k, path, 0, 1e12, { exclusiveMin: true });
    }
  }
}

/** Check a client limits section; returns the issues (empty when valid). `path` prefixes each issue. */
export function clientLimitsIssues(raw: unknown, path: string): string[] {
  const c = new Checker();
  checkClientLimits(c, raw, path);
  return c.issues;
}

function checkClientLimits(c: Checker, raw: unknown, path: string): void {
  if (!isObj(raw)) { c.issues.push(`${path}: must be an object`); return; }
  c.bool(raw, 'enabled', path);
  c.limit(raw.default, `${path}.default`);
  if (!Array.isArray(raw.rules)) { c.issues.push(`${path}.rules: must be a list`); return; }
  raw.rules.forEach((r, i) => {
    const at = `${path}.rules[${i}]`;
    if (!isObj(r)) { c.issues.push(`${at}: must be an object`); return; }
    if (typeof r.client !== 'string' || r.client.trim() === '' || r.client.length > 128) c.issues.push(`${at}.client: must be a client id or glob (1–128 chars)`);
    c.limit(r, at);
  });
}

/** The scheduling section of `config`, over the defaults; throws ConfigError naming every bad field. */
export function resolveSchedulingConfig(config: SluiceConfig): SchedulingConfig {
  const raw = config.scheduling;
  if (raw !== undefined && !isObj(raw)) throw new ConfigError(['scheduling: must be an object']);
  let cfg = merge(defaultScheduling(), raw);
  if (config.limits !== undefined) {
    if (!isObj(config.limits)) throw new ConfigError(['limits: must be an object']);
    // a shorthand beside the long form: which one was meant cannot be told, so neither wins silently
    const long = isObj(raw) ? raw.clientLimits : undefined;
    if (long !== undefined && !isDeepStrictEqual(long, config.limits)) {
      throw new ConfigError(['limits: is shorthand for scheduling.clientLimits, which the file sets too, differently: keep one of them']);
    }
    cfg = { ...cfg, clientLimits: merge(cfg.clientLimits, config.limits) };
  }
  const c = new Checker();
  const root = cfg as unknown as Record<string, unknown>;
  const b = c.section(root, 'batching', 'scheduling');
  if (b) {
    const p = 'scheduling.batching';
    c.bool(b, 'enabled', p);
    c.num(b, 'maxBatchSize', p, 1, 2048, { integer: true });
    c.num(b, 'maxBatchTokens', p, 1, 10_000_000, { integer: true });
    c.num(b, 'maxWaitMs', p, 0, 60_000);
    c.num(b, 'maxInFlightPerKey', p, 1, 1024, { integer: true });
    c.num(b, 'gatherMs', p, 0, 60_000);
  }
  const s = c.section(root, 'scheduler', 'scheduling');
  if (s) {
    const p = 'scheduling.scheduler';
    c.bool(s, 'enabled', p);
    c.num(s, 'queueTimeoutMs', p, 1, 3_600_000);
    c.num(s, 'maxQueueDepth', p, 0, 1_000_000, { integer: true });
    c.num(s, 'agingMs', p, 1, 3_600_000);
  }
  const l = c.section(root, 'limiter', 'scheduling');
  if (l) {
    const p = 'scheduling.limiter';
    c.bool(l, 'enabled', p);
    c.num(l, 'minLimit', p, 1, 4096, { integer: true });
    c.num(l, 'maxLimit', p, 1, 4096, { integer: true });
    c.num(l, 'initialLimit', p, 1, 4096, { integer: true });
    c.num(l, 'backoffRatio', p, 0, 1, { exclusiveMin: true, exclusiveMax: true });
    c.num(l, 'latencyTolerance', p, 1, 1000, { nullable: true });
    c.num(l, 'latencySlackMs', p, 0, 3_600_000);
    c.num(l, 'minLatencyWindowMs', p, 1, 86_400_000);
    if (c.issues.length === 0) {
      const { minLimit, maxLimit, initialLimit } = cfg.limiter;
      if (maxLimit < minLimit) c.issues.push(`${p}.maxLimit: must be at least minLimit (${minLimit})`);
      if (initialLimit < minLimit || initialLimit > maxLimit) c.issues.push(`${p}.initialLimit: must lie from minLimit (${minLimit}) to maxLimit (${maxLimit})`);
    }
  }
  checkClientLimits(c, cfg.clientLimits, config.limits !== undefined ? 'limits' : 'scheduling.clientLimits');
  if (c.issues.length > 0) throw new ConfigError(c.issues);
  return cfg;
}

/** A client limits section as sent by the panel: checked, and copied to plain data. */
export function parseClientLimits(raw: unknown): ClientLimitsConfig {
  const issues = clientLimitsIssues(raw, 'clientLimits');
  // the config file's keys are checked with the whole file; a key saved here would be dropped without a word
  unknownKeyIssues(raw, CLIENT_LIMITS_KEYS, 'clientLimits', issues);
  if (issues.length > 0) throw new ConfigError(issues);
  const r = raw as ClientLimitsConfig;
  const pick = (l: ClientLimit): ClientLimit => ({
    ...(l.requestsPerMinute !== undefined ? { requestsPerMinute: l.requestsPerMinute } : {}),
    ...(l.tokensPerMinute !== undefined ? { tokensPerMinute: l.tokensPerMinute } : {}),
  });
  return { enabled: r.enabled, default: pick(r.default), rules: r.rules.map((x) => ({ client: x.client, ...pick(x) })) };
}
