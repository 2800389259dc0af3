// Admin routes of metrics: the live snapshot and history, with their query validated.
import { HISTORY_RANGES, type HistoryRange } from '../../shared/metrics.ts';
import type { AdminRouter } from '../admin/admin-router.ts';
import { refuseUnknown } from '../admin/refuse-unknown.ts';
import { BadRequestError } from '../errors.ts';
import type { MetricsService } from './metrics-feature.ts';
import { RECENT_SAMPLES } from './recent-samples.ts';

export function implementMetricsAdmin(admin: AdminRouter, metrics: MetricsService): void {
  admin.implement('metricsLive', ({ query }) => {
    refuseUnknown(query, ['window'], 'parameter', 'GET /metrics/live');
    const w = query.window === undefined ? 10 : Number(query.window);
    if (!Number.isInteger(w) || w < 1 || w > 60) throw new BadRequestError(`window must be a whole number of seconds from 1 to 60, got '${query.window}'.`, 'window');
    return metrics.snapshot(w);
  });
  admin.implement('metricsRecent', ({ query }) => {
    const s = query.seconds === undefined ? RECENT_SAMPLES : Number(query.seconds);
    if (!Number.isInteger(s) || s < 1 || s > RECENT_SAMPLES) throw new BadRequestError(`seconds must be a whole number from 1 to ${RECENT_SAMPLES}, got '${query.seconds}'.`, 'seconds');
    return metrics.recent(s);
  });
  admin.implement('metricsHistory', ({ query }) => {
    refuseUnknown(query, ['range', 'scope'], 'parameter', 'GET /metrics/history');
    const range = query.range ?? '1h';
    if (!(HISTORY_RANGES as readonly string[]).includes(range)) throw new BadRequestError(`range must be one of ${HISTORY_RANGES.join(', ')}, got '${range}'.`, 'range');
    const scope = query.scope ?? 'all';
    if (!/^(all|provider:.+|model:.+)$/.test(scope) || scope.length > 300) throw new BadRequestError(`scope must be 'all', 'provider:<id>' or 'model:<name>', got '${scope.slice(0, 80)}'.`, 'scope');
    return metrics.history(range as HistoryRange, scope);
  });
}
