import { describe, expect, it } from 'vitest';
import { defaultScheduling } from '../../shared/scheduling.ts';
import { defaultConfig } from '../config/defaults.ts';
import { parseClientLimits, resolveSchedulingConfig } from './scheduling-config.ts';

const withSection = (over: Record<string, unknown>) => ({ ...defaultConfig(), ...over });

describe('resolveSchedulingConfig', () => {
  it('gives the defaults when the section is absent, and merges a partial section over them', () => {
    expect(resolveSchedulingConfig(defaultConfig())).toEqual(defaultScheduling());
    const cfg = resolveSchedulingConfig(withSection({ scheduling: { batching: { maxWaitMs: 25 } } }));
    expect(cfg.batching).toEqual({ ...defaultScheduling().batching, maxWaitMs: 25 });
  });

  it('names every bad field by its path', () => {
    expect(() => resolveSchedulingConfig(withSection({ scheduling: { batching: { maxBatchSize: 0 }, limiter: { backoffRatio: 1 } } })))
      .toThrow(/scheduling\.batching\.maxBatchSize: .*; scheduling\.limiter\.backoffRatio/);
    expect(() => resolveSchedulingConfig(withSection({ scheduling: { limiter: { minLimit: 4, initialLimit: 2 } } })))
      .toThrow('scheduling.limiter.initialLimit: must lie from minLimit (4)');
    expect(() => resolveSchedulingConfig(withSection({ scheduling: { limiter: { latencySlackMs: -5 } } })))
      .toThrow(/scheduling\.limiter\.latencySlackMs/);
    expect(resolveSchedulingConfig(withSection({ scheduling: { limiter: { latencySlackMs: 0 } } })).limiter.latencySlackMs).toBe(0);
    expect(() => resolveSchedulingConfig(withSection({ scheduling: { clientLimits: { rules: [{ client: '', requestsPerMinute: 5 }] } } })))
      .toThrow('scheduling.clientLimits.rules[0].client');
  });

  it('accepts a top-level `limits` section as the client limits', () => {
    const cfg = resolveSchedulingConfig(withSection({ limits: { enabled: true, default: { requestsPerMinute: 60 } } }));
    expect(cfg.clientLimits).toEqual({ enabled: true, default: { requestsPerMinute: 60 }, rules: [] });
    expect(() => resolveSchedulingConfig(withSection({ limits: { default: { tokensPerMinute: 'many' } } }))).toThrow('limits.default.tokensPerMinute');
  });

  it('refuses `limits` beside a different scheduling.clientLimits, naming both, rather than letting one win silently', () => {
    const limits = { enabled: true, default: { requestsPerMinute: 60 } };
    expect(() => resolveSchedulingConfig(withSection({ limits, scheduling: { clientLimits: { enabled: true, default: { requestsPerMinute: 5 } } } })))
      .toThrow(/^limits: is shorthand for scheduling\.clientLimits, which the file sets too, differently: keep one of them/);
    expect(resolveSchedulingConfig(withSection({ limits, scheduling: { clientLimits: limits } })).clientLimits.default).toEqual({ requestsPerMinute: 60 });
  });
});

describe('parseClientLimits', () => {
  it('keeps only the known fields and refuses unknown ones', () => {
    expect(parseClientLimits({ enabled: true, default: {}, rules: [{ client: 'app:*', tokensPerMinute: 1000 }] }))
      .toEqual({ enabled: true, default: {}, rules: [{ client: 'app:*', tokensPerMinute: 1000 }] });
    expect(() => parseClientLimits({ enabled: true, default: { rpm: 3 }, rules: [] })).toThrow('clientLimits.default.rpm: unknown field');
  });
});
