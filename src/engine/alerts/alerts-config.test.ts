import { describe, it, expect } from 'vitest';
import { resolveAlertsConfig, validateNotificationSettings } from './alerts-config.ts';

describe('resolveAlertsConfig', () => {
  it('gives defaults when the section is absent', () => {
    const c = resolveAlertsConfig(undefined);
    expect(c.enabled).toBe(true);
    expect(c.rules).toEqual([]);
    expect(c.notifications.webhookUrl).toBeNull();
    expect(c.notifications.minSeverity).toBe('warning');
    expect(c.retentionMs).toBe(90 * 86_400_000);
  });

  it('fills detector tuning over the defaults and turns detectors off', () => {
    const c = resolveAlertsConfig({ detectors: { errorRate: { warmupSamples: 5 }, 'cache.hitRate': false }, webhookUrl: 'https://hooks.example/x', runaway: { windowSeconds: 30, minRepeats: 5 } });
    expect(c.detectors.errorRate).toMatchObject({ direction: 'up', minScale: 0.02, warmupSamples: 5 });
    expect(c.detectors['cache.hitRate']).toBe(false);
    expect(c.notifications.webhookUrl).toBe('https://hooks.example/x');
    expect(c.runaway).toEqual({ windowMs: 30_000, minRepeats: 5 });
  });

  it('names the offending field', () => {
    expect(() => resolveAlertsConfig({ rules: [{ id: 'a', metric: 'errorRate', comparator: '>', threshold: 2 }] })).toThrow(/alerts\.rules\[0\]\.threshold/);
    expect(() => resolveAlertsConfig({ detectors: { 'latency.p50Ms': {} } })).toThrow(/alerts\.detectors\.latency\.p50Ms: has no anomaly detector/);
    expect(() => resolveAlertsConfig({ detectors: { errorRate: { warmupSamples: 1.5 } } })).toThrow(/alerts\.detectors\.errorRate\.warmupSamples/);
    // spend's samples are blocks of seconds and its baseline keeps 120 of them: a start-up error, not a crash
    expect(() => resolveAlertsConfig({ detectors: { 'spend.usdPerHour': { warmupSamples: 200 } } })).toThrow(/alerts\.detectors\.spend\.usdPerHour\.warmupSamples: must be at most 120/);
    expect(() => resolveAlertsConfig({ webhook: { maxAttempts: 0 } })).toThrow(/alerts\.webhook\.maxAttempts/);
    expect(() => resolveAlertsConfig({ runaway: { factor: 0.5 } })).toThrow(/alerts\.runaway\.factor/);
    expect(() => resolveAlertsConfig({ webhok: 'x' })).toThrow(/alerts\.webhok: is not a known setting/);
    expect(() => resolveAlertsConfig('on')).toThrow(/alerts: must be an object/);
  });

  it('refuses webhookUrl beside a different notifications.webhookUrl, naming both, rather than letting one win silently', () => {
    expect(() => resolveAlertsConfig({ webhookUrl: 'https://a.example/x', notifications: { webhookUrl: 'https://b.example/y' } }))
      .toThrow(/^alerts\.webhookUrl: is shorthand for alerts\.notifications\.webhookUrl, which the file sets too, to another URL: keep one of them/);
    const same = resolveAlertsConfig({ webhookUrl: 'https://a.example/x', notifications: { webhookUrl: 'https://a.example/x', minSeverity: 'critical' } });
    expect(same.notifications).toMatchObject({ webhookUrl: 'https://a.example/x', minSeverity: 'critical' });
  });
});

describe('validateNotificationSettings', () => {
  it('keeps what is not given and checks what is', () => {
    const base = validateNotificationSettings({ webhookUrl: 'http://127.0.0.1:9/h', minSeverity: 'critical' });
    const next = validateNotificationSettings({ notifyResolved: false }, 'settings', base);
    expect(next).toMatchObject({ webhookUrl: 'http://127.0.0.1:9/h', minSeverity: 'critical', notifyResolved: false });
    expect(validateNotificationSettings({ webhookUrl: '' }, 'settings', base).webhookUrl).toBeNull();
    expect(() => validateNotificationSettings({ webhookUrl: 'file:///etc/passwd' }, 'settings')).toThrow(/settings\.webhookUrl/);
    expect(() => validateNotificationSettings({ webhookHeaders: { 'x-a': 'b\r\nx: y' } }, 'settings')).toThrow(/settings\.webhookHeaders\.x-a/);
    expect(() => validateNotificationSettings({ minSeverity: 'loud' }, 'settings')).toThrow(/settings\.minSeverity/);
    expect(validateNotificationSettings({ desktop: false }, 'settings', base)).toMatchObject({ desktop: false, minSeverity: 'critical' });
    expect(() => validateNotificationSettings({ desktop: 'yes' }, 'settings')).toThrow(/settings\.desktop: must be true or false/);
  });
});
