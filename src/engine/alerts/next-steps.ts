// What to do about an alert, the last sentence of its message: where in the panel to look, what to
// change. In English, as the engine words alerts (webhooks, logs, desktop notifications); the panel
// words the same steps in the reader's language (src/renderer/src/i18n/alerts-messages.ts, `alerts.next.*`).
import type { AlertMetric } from '../../shared/alerts.ts';

const LATENCY = 'The Routing page shows each provider\'s latency; the Requests page, the slow requests and where their time went.';
const BUDGET = 'See on the Requests page what uses it, or raise its limit on the Routing page.';
const WAITING = 'Requests are waiting for their providers: the Routing page shows which are slow or failing.';

/** For an anomaly or a rule on a metric. */
export const METRIC_NEXT_STEP: Record<AlertMetric, string> = {
  'latency.p50Ms': LATENCY,
  'latency.p95Ms': LATENCY,
  'latency.p99Ms': LATENCY,
  'firstByte.p95Ms': LATENCY,
  errorRate: 'To see which provider fails, filter the Requests page by “Server or upstream errors (5xx)”; the Routing page shows each provider\'s recent errors.',
  'cache.hitRate': 'See the Cache page: a clear, a shorter time to live or prompts that no longer repeat lower it.',
  'throughput.rps': 'See on the Requests page which clients changed their traffic.',
  'eventLoop.p99Ms': 'Sluice\'s process is busy: check its CPU use and what else runs on the machine (a load test?).',
  'spend.usdPerHour': 'See on the Requests page which models and clients spend; a budget on the Routing page caps the spend.',
  'budget.dailyUsedFraction': BUDGET,
  'budget.monthlyUsedFraction': BUDGET,
  'queue.depth': WAITING,
  inFlight: WAITING,
};

export const NEXT_STEP = {
  outage: (provider: string) => `Check ${provider}'s address and key in Settings → Providers; its breaker closes by itself once a probe succeeds, or at once with Reset on the Routing page.`,
  runaway: (client: string) => `Check ${client} for a retry loop or an agent repeating itself: search the Requests page for it; a client limit (scheduling.clientLimits) caps it.`,
  budgetNear: BUDGET,
  budgetExhausted: 'Raise its limit on the Routing page if this use is expected; otherwise it resets when its window ends.',
  cacheRebuilt: 'Nothing to do: the cache fills again as requests come.',
  storageFull: 'Free space on the disk that holds Sluice\'s data folder.',
  storage: 'Check that Sluice\'s data folder is writable (permissions, a read-only disk).',
} as const;
