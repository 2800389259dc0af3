// Plain HTTP routes of metrics: `GET /metrics` (Prometheus text) and the JSON summaries older tools
// poll. They are read-only and carry no admin token (scrapers and health checks cannot hold a
// per-launch token); they sit behind the Host guard like everything else, and behind the client
// token when one is configured (listening beyond loopback). Clearing the cache is an action, so
// `POST /performance/cache/clear` requires the admin token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EngineHost } from '../feature.ts';
import { ServiceUnavailableError, UnauthorizedError } from '../errors.ts';
import { sendJson } from '../http/error-response.ts';
import { assertBearer } from '../http/guards.ts';
import {
  cacheStatsBody, detailedHealthBody, healthOf, performanceHealthBody, performanceMetricsBody, v1PerformanceBody, type SummaryInput,
} from './legacy-summaries.ts';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus, type PrometheusInput } from './prometheus-exposition.ts';

export interface MetricsHttpSources {
  summary(): SummaryInput;
  prometheus(): PrometheusInput;
}

const NO_STORE = { 'cache-control': 'no-store' };

export function mountMetricsHttp(host: EngineHost, src: MetricsHttpSources): void {
  // With a client token configured, either the client token or the admin token will do.
  const readOnly = (req: IncomingMessage) => {
    const token = host.config().server.clientToken;
    if (!token) return;
    try {
      assertBearer(req.headers, token);
    } catch {
      try { host.assertAdmin(req); } catch { throw new UnauthorizedError(); }
    }
  };
  const json = (body: (s: SummaryInput) => unknown) => (req: IncomingMessage, res: ServerResponse) => {
    readOnly(req);
    sendJson(res, 200, body(src.summary()), NO_STORE);
  };
  const r = host.http;
  r.on('GET', '/metrics', (req, res) => {
    readOnly(req);
    const text = renderPrometheus(src.prometheus());
    res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text), ...NO_STORE });
    res.end(req.method === 'HEAD' ? undefined : text);
  });
  r.on('GET', '/performance/metrics', json(performanceMetricsBody));
  r.on('GET', '/v1/performance', json(v1PerformanceBody));
  r.on('GET', '/performance/cache/stats', json(cacheStatsBody));
  // Health answers 503 when unhealthy, so plain HTTP checks (load balancers, uptime monitors) notice.
  const health = (body: (s: SummaryInput) => unknown) => (req: IncomingMessage, res: ServerResponse) => {
    readOnly(req);
    const s = src.summary();
    sendJson(res, healthOf(s).status === 'unhealthy' ? 503 : 200, body(s), NO_STORE);
  };
  r.on('GET', '/performance/health', health(performanceHealthBody));
  r.on('GET', '/v1/health/detailed', health(detailedHealthBody));
  r.on('POST', '/performance/cache/clear', (req, res) => {
    host.assertAdmin(req);
    const cache = host.services.cache;
    if (!cache) throw new ServiceUnavailableError('The cache is not part of this build of Sluice.', 'SLUICE_CACHE_UNAVAILABLE');
    const result = cache.clear({});
    sendJson(res, 200, { cleared: true, ...result }, NO_STORE);
  });
}
