import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../shared/alerts.ts';
import { translator } from '../i18n/translate.ts';
import { alertText, formatMetricValue, kindLabel, ruleName } from './alert-text.ts';

const en = translator('en');
const zh = translator('zh-CN');

function alert(kind: string, figures: Alert['figures'], extra: Partial<Alert> = {}): Alert {
  return {
    id: 'a1', kind, key: 'k', severity: 'warning', title: 'engine title', message: 'engine message', figures,
    openedAt: 0, updatedAt: 0, resolvedAt: null, acknowledgedAt: null, occurrences: 1, ...extra,
  };
}

describe('alertText', () => {
  it('words an anomaly in the bad direction of its metric, with units, in either language', () => {
    const a = alert('anomaly', { metric: 'cache.hitRate', value: 0.12, baseline: 0.8, reason: 'spike' }, { key: 'cache.hitRate' });
    // open, it ends with what to do
    expect(alertText(en, a, 'en')).toEqual({
      title: 'Cache hit rate unusually low',
      message: 'Cache hit rate is 12.0 % against a usual 80.0 % (sudden change). See the Cache page: a clear, a shorter time to live or prompts that no longer repeat lower it.',
    });
    expect(alertText(zh, a, 'zh-CN')).toEqual({
      title: '缓存命中率异常偏低', message: '缓存命中率当前为 12.0 %，平常为 80.0 %（突变）。请查看“缓存”页：清除缓存、缩短缓存有效期或提示不再重复都会使命中率下降。',
    });
    // resolved, there is nothing left to do
    expect(alertText(en, { ...a, resolvedAt: 1 }, 'en').message).toBe('Cache hit rate is 12.0 % against a usual 80.0 % (sudden change).');
  });

  it('words an error rate above the fixed limit health uses, which has no baseline, in either language', () => {
    const a = alert('anomaly', { metric: 'errorRate', value: 0.292, limit: 0.2, reason: 'limit' }, { key: 'errorRate' });
    expect(alertText(en, a, 'en')).toEqual({
      title: 'Error rate above 20.0 %',
      message: 'Error rate is 29.2 %, above the 20.0 % at which health reports “degraded”. To see which provider fails, filter the Requests page by “Server or upstream errors (5xx)”; the Routing page shows each provider’s recent errors.',
    });
    expect(alertText(zh, a, 'zh-CN')).toEqual({
      title: '错误率超过 20.0 %',
      message: '错误率为 29.2 %，超过健康检查判定为“降级”的 20.0 %。在“请求”页按“服务端或上游错误（5xx）”筛选，可看到是哪个提供方出错；“路由”页列出各提供方最近的错误。',
    });
  });

  it('words a throughput anomaly by the way it moved', () => {
    const up = alert('anomaly', { metric: 'throughput.rps', value: 90, baseline: 10, reason: 'drift' });
    const down = alert('anomaly', { metric: 'throughput.rps', value: 1, baseline: 10, reason: 'drift' });
    expect(alertText(en, up, 'en').title).toBe('Throughput unusually high');
    expect(alertText(zh, down, 'zh-CN').title).toBe('吞吐量异常偏低');
    expect(alertText(en, down, 'en').message).toBe('Throughput is 1 req/s against a usual 10 req/s (gradual drift). See on the Requests page which clients changed their traffic.');
  });

  it("keeps a rule's own name as its title and words the condition", () => {
    const since = Date.UTC(2026, 11, 3, 8, 0, 0);
    const a = alert('rule', { metric: 'latency.p95Ms', value: 812.4, threshold: 500, comparator: '>', forSeconds: 30, since }, { title: '慢了' });
    const text = alertText(zh, a, 'zh-CN');
    expect(text.title).toBe('慢了');
    expect(text.message).toMatch(/^p95 延迟为 812 ms（> 500 ms），始于 \S*2026/);
    expect(text.message).not.toContain(String(since));
  });

  it('words a resolved rule that has no value left', () => {
    const since = Date.UTC(2026, 11, 3, 8, 0, 0);
    const a = alert('rule', { metric: 'throughput.rps', value: null, threshold: 0.05, comparator: '>', forSeconds: 0, since }, { title: 'High tput' });
    expect(alertText(zh, a, 'zh-CN').message).toMatch(/^吞吐量为 —（> 0\.05 req\/s）/);
  });

  it("words Sluice's part of an upstream's HTTP error in the reader's language, keeping the upstream's own words", () => {
    // QA: "flaky/flaky-chat 的熔断器已打开，最后的错误：Upstream provider 'flaky' answered 500: fake upstream exploded。"
    const figures = {
      target: 'flaky/flaky-chat', failures: 5, lastError: "Upstream provider 'flaky' answered 500: fake upstream exploded",
      lastStatus: 500, lastUpstreamMessage: 'fake upstream exploded',
    };
    const zhText = alertText(zh, alert('upstream-outage', figures), 'zh-CN').message;
    expect(zhText).toMatch(/^flaky\/flaky-chat 的熔断器已打开，最后的错误：上游提供方 flaky 返回 500：fake upstream exploded。/);
    expect(zhText).not.toContain('answered');
    expect(alertText(en, alert('upstream-outage', figures), 'en').message)
      .toMatch(/^The circuit breaker for flaky\/flaky-chat opened after: Upstream provider ‘flaky’ answered 500: fake upstream exploded\./);
    // an error that is not an HTTP answer (a timeout), or an alert stored before the figures came apart, keeps the engine's sentence
    expect(alertText(zh, alert('upstream-outage', { target: 'flaky/flaky-chat', lastError: "Upstream provider 'flaky' timed out (headers) after 30000 ms." }), 'zh-CN').message)
      .toContain("最后的错误：Upstream provider 'flaky' timed out");
  });

  it('words runaway loops, outages, cache rebuilds, budgets and storage failures', () => {
    expect(alertText(zh, alert('runaway', { client: 'app-1', count: 40, windowSeconds: 60, usual: 2.5 }), 'zh-CN')).toEqual({
      title: 'app-1 可能陷入失控循环',
      message: 'app-1 在 60 秒内发送了 40 次相同的提示（平常最多 5 次）。请检查 app-1 是否陷入重试循环或智能体在不断重复：可在“请求”页搜索它；客户端限额（scheduling.clientLimits）可加以限制。',
    });
    // QA: the outage alert ended at "fail fast." with no pointer to the breaker's Reset or the provider's settings
    expect(alertText(en, alert('upstream-outage', { target: 'openai/gpt-4o', lastError: 'HTTP 503' }), 'en').message)
      .toBe('The circuit breaker for openai/gpt-4o opened after: HTTP 503. Requests fall back or fail fast. Check openai’s address and key in Settings → Providers; its breaker closes by itself once a probe succeeds, or at once with Reset on the Routing page.');
    expect(alertText(zh, alert('upstream-outage', { target: 'openai/gpt-4o' }), 'zh-CN').message)
      .toBe('openai/gpt-4o 的熔断器已打开；请求将转到备用目标或立即失败。请在“设置 → 提供方”中检查 openai 的地址和密钥；探测成功后熔断器会自动关闭，也可在“路由”页点击“重置”立即关闭。');
    expect(alertText(en, alert('budget', { level: 'exhausted' }, { key: 'daily' }), 'en').message)
      .toBe('The budget daily is used up; requests it covers are refused or rerouted. Raise its limit on the Routing page if this use is expected; otherwise it resets when its window ends.');
    expect(alertText(zh, alert('cache-rebuilt', { reason: 'x' }), 'zh-CN').message).toMatch(/无需处理：缓存会随请求重新填充。$/);
    expect(alertText(en, alert('storage', { error: 'SQLITE_FULL' }), 'en').message).toMatch(/ Free space on the disk that holds Sluice’s data folder\.$/);
    const spend = alert('rule', { metric: 'spend.usdPerHour', value: 2, threshold: 1, comparator: '>', forSeconds: 0, since: 0 }, { title: 'Spend' });
    expect(alertText(en, spend, 'en').message).toMatch(/\. See on the Requests page which models and clients spend; a budget on the Routing page caps the spend\.$/);
    expect(alertText(zh, alert('cache-rebuilt', { reason: 'file is not a database' }), 'zh-CN').title).toBe('缓存数据库已重建');
    expect(alertText(zh, alert('budget', { level: 'exhausted' }, { key: 'daily' }), 'zh-CN').title).toBe('预算 daily 已用完');
    expect(alertText(en, alert('budget', { level: 'threshold' }, { key: 'daily' }), 'en').title).toBe('Budget daily nearly used');
    expect(alertText(zh, alert('storage', { error: 'SQLITE_FULL' }), 'zh-CN').title).toBe('Sluice 数据所在的磁盘已满');
  });

  it('words one alert for a client looping through many prompts, and older alerts without the prompt count', () => {
    const figures = { client: 'ip:127.0.0.1', prompts: 40, fingerprint: 'ab12', count: 31, windowSeconds: 10, threshold: 30, usual: 0 };
    const done = { resolvedAt: 1 }; // resolved: the words without what to do
    expect(alertText(en, alert('runaway', figures, done), 'en')).toEqual({
      title: 'Possible runaway loop from ip:127.0.0.1',
      message: 'ip:127.0.0.1 is repeating 40 prompts, the most repeated 31 times in 10 s (a new client: no usual rate yet).',
    });
    expect(alertText(zh, alert('runaway', figures, done), 'zh-CN').message).toBe('ip:127.0.0.1 正在反复发送 40 个提示，其中最多的一个在 10 秒内发送了 31 次（新客户端，尚无平常频率）。');
    expect(alertText(en, alert('runaway', { ...figures, prompts: 1 }, done), 'en').message).toBe('ip:127.0.0.1 sent the same prompt 31 times in 10 s (a new client: no usual rate yet).');
    // a client with a usual rate is held to it
    expect(alertText(en, alert('runaway', { ...figures, usual: 3 }, done), 'en').message).toBe('ip:127.0.0.1 is repeating 40 prompts, the most repeated 31 times in 10 s (usually at most 6).');
  });

  it('says why an alert was closed when Sluice restarted, in either language', () => {
    const a = alert('anomaly', { metric: 'spend.usdPerHour', value: 4, baseline: 0.5, reason: 'spike', resolvedBy: 'restart' }, { resolvedAt: 1 });
    expect(alertText(en, a, 'en')).toEqual({
      title: 'Spend rate unusually high',
      message: 'Spend rate is $4.00/h against a usual $0.50/h (sudden change). Closed when Sluice restarted: what watched it starts afresh, and a new alert opens if the problem is still there.',
    });
    expect(alertText(zh, a, 'zh-CN').message).toBe('花费速率当前为 $4.00/h，平常为 $0.50/h（突变）。Sluice 重启时已关闭：监测从头开始，如果问题仍在，会发出新的告警。');
    // a kind the panel does not know keeps the engine's words, and the reason still shows
    expect(alertText(en, alert('something-new', { resolvedBy: 'disabled' }, { resolvedAt: 1 }), 'en').message)
      .toBe('engine message Closed when Sluice restarted with alerts turned off.');
    expect(alertText(zh, alert('runaway', { client: 'c', count: 3, windowSeconds: 10, usual: 1, resolvedBy: 'disabled' }, { resolvedAt: 1 }), 'zh-CN').message)
      .toBe('c 在 10 秒内发送了 3 次相同的提示（平常最多 2 次）。Sluice 重启时告警功能已关闭，此告警随之关闭。');
  });

  it("falls back to the engine's words for a kind or figures it does not know", () => {
    expect(alertText(zh, alert('something-new', {}), 'zh-CN')).toEqual({ title: 'engine title', message: 'engine message' });
    expect(alertText(zh, alert('anomaly', { metric: 'not.a.metric', value: 1, baseline: 2 }), 'zh-CN').title).toBe('engine title');
    expect(kindLabel(zh, 'upstream-outage')).toBe('上游故障');
    expect(kindLabel(zh, 'something-new')).toBe('something-new');
  });

  it('formats metric values with their units', () => {
    expect(formatMetricValue('errorRate', 0.256)).toBe('25.6 %');
    expect(formatMetricValue('eventLoop.p99Ms', 3.25)).toBe('3.25 ms');
    expect(formatMetricValue('throughput.rps', 0.05)).toBe('0.05 req/s'); // not 0.1, as a rule's threshold was shown
    expect(formatMetricValue('latency.p95Ms', 812.4)).toBe('812 ms');
    expect(formatMetricValue('spend.usdPerHour', 1.5)).toBe('$1.50/h');
    expect(formatMetricValue('queue.depth', 12)).toBe('12');
  });
});

describe('a rule saved without a name', () => {
  const unnamed = { name: 'cache.hitRate < 0.4 for 300 s', metric: 'cache.hitRate', comparator: '<', threshold: 0.4, forSeconds: 300 };
  it('is named by its condition in the reader\'s language; a name its author wrote stays as written', () => {
    expect(ruleName(zh, unnamed)).toBe('缓存命中率 < 40.0 %，持续 300 秒');
    expect(ruleName(zh, { ...unnamed, name: 'Hit rate low' })).toBe('Hit rate low');
    expect(ruleName(zh, { ...unnamed, name: 'errorRate > 0.1', metric: 'errorRate', comparator: '>', threshold: 0.1, forSeconds: 0 })).toMatch(/^错误率 > /);
  });

  it('its alert is titled the same way', () => {
    const a = alert('rule', { metric: 'cache.hitRate', comparator: '<', threshold: 0.4, forSeconds: 300, value: 0.2, since: 0 }, { title: unnamed.name });
    expect(alertText(zh, a, 'zh-CN').title).toBe('缓存命中率 < 40.0 %，持续 300 秒');
  });
});
