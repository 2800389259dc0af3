// Axis labels for a chart's time range: seconds for live, hours for a day, dates for weeks.
import type { HistoryRange } from '../../../shared/metrics.ts';

export type DashboardRange = 'live' | Exclude<HistoryRange, '5m'>;
export const DASHBOARD_RANGES: readonly DashboardRange[] = ['live', '1h', '24h', '7d', '30d'];

const p = (n: number) => String(n).padStart(2, '0');

export function timeTickFormatter(range: DashboardRange): (ts: number) => string {
  if (range === 'live') return (ts) => { const d = new Date(ts); return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`; };
  if (range === '1h' || range === '24h') return (ts) => { const d = new Date(ts); return `${p(d.getHours())}:${p(d.getMinutes())}`; };
  return (ts) => { const d = new Date(ts); return `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:00`; };
}
