// Number, time and size formatting for the panel, locale-aware.
import { CACHE_RESULTS, isEndpoint, type CacheResult, type Endpoint } from '../../../shared/targets.ts';

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(digits)}%`;
}

/**
 * Dollars, the one way every page writes money: from a dollar up, cents; below, `significant` digits
 * (two unless said) and at least cents, so $0.0129 reads $0.013 on the Cache page as $0.0029 does on
 * the Dashboard (it had read $0.01), and a real cost never reads as $0.00.
 */
export function formatUsd(usd: number, significant = 2): string {
  if (!usd || !Number.isFinite(usd)) return '$0';
  const sign = usd < 0 ? '-' : '';
  const abs = Math.abs(usd);
  const rounded = Number(abs.toPrecision(significant));
  if (rounded >= 1) return `${sign}$${abs.toFixed(2)}`;
  const decimals = Math.max(2, significant - 1 - Math.floor(Math.log10(rounded)));
  // trailing zeros past the cents say nothing: $0.010 is $0.01
  return `${sign}$${rounded.toFixed(decimals).replace(/(\.\d\d\d*?)0+$/, '$1')}`;
}

export function formatInt(n: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n);
}

export function formatDecimal(n: number, locale: string, digits = 1): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u += 1; }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** HH:MM:SS.mmm in local time. */
export function formatClock(ts: number): string {
  const d = new Date(ts);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

export function formatDateTime(ts: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(ts));
}

/** A duration as its two largest units in the reader's language: "10m 15s" in English, "10分钟15秒" in Chinese. */
export function formatDuration(ms: number, locale: string): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts: Array<[number, 'day' | 'hour' | 'minute' | 'second']> =
    d ? [[d, 'day'], [h, 'hour']] : h ? [[h, 'hour'], [m, 'minute']] : m ? [[m, 'minute'], [s % 60, 'second']] : [[s, 'second']];
  const unit = (n: number, u: string) => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'narrow' }).format(n);
  return new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' }).format(parts.map(([n, u]) => unit(n, u)));
}

/** An endpoint's name in the reader's language ("对话"); anything else as it is. */
/** A request's cache result in the reader's language (English keeps the wire names: hit-memory, …). */
export function cacheResultLabel(t: (key: `cache.result.${CacheResult}`) => string, result: string): string {
  return (CACHE_RESULTS as readonly string[]).includes(result) ? t(`cache.result.${result as CacheResult}`) : result;
}

export function endpointLabel(t: (key: `endpoint.${Endpoint}`) => string, endpoint: string): string {
  return isEndpoint(endpoint) ? t(`endpoint.${endpoint}`) : endpoint;
}
