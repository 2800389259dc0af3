// How one request may be cached: the config's defaults, overridden by the first matching per-model
// entry (glob on the requested model), then by the routing rule's policy, then by the request's
// own x-sluice-cache-ttl. A pure function of data.
import type { CacheConfig } from '../../shared/config.ts';
import type { CachePolicy } from '../../shared/targets.ts';

export interface EffectiveCachePolicy {
  enabled: boolean;
  ttlSeconds: number;
  mode: 'deterministic' | 'all';
}

/** `*` matches any run of characters, `?` one; everything else is literal; case-sensitive. */
export function globMatches(pattern: string, text: string): boolean {
  const re = '^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$';
  return new RegExp(re, 's').test(text);
}

export function resolveCachePolicy(
  cfg: CacheConfig, requestedModel: string, rule: CachePolicy | null, requestTtlSeconds: number | null = null,
): EffectiveCachePolicy {
  const out: EffectiveCachePolicy = { enabled: cfg.enabled, ttlSeconds: cfg.ttlSeconds, mode: cfg.mode ?? 'all' };
  const per = (cfg.perModel ?? []).find((p) => globMatches(p.model, requestedModel));
  if (per) {
    if (per.enabled !== undefined) out.enabled = out.enabled && per.enabled;
    if (per.ttlSeconds !== undefined) out.ttlSeconds = per.ttlSeconds;
    if (per.mode !== undefined) out.mode = per.mode;
  }
  if (rule) {
    if (rule.enabled !== undefined) out.enabled = out.enabled && rule.enabled;
    if (rule.ttlSeconds !== undefined) out.ttlSeconds = rule.ttlSeconds;
    if (rule.mode !== undefined) out.mode = rule.mode;
  }
  if (requestTtlSeconds !== null) out.ttlSeconds = requestTtlSeconds;
  return out;
}
