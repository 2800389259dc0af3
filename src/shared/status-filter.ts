// The request log's status filter, read one way by the engine (in SQL) and by the panel (on rows that
// arrive live), so a filter finds the same requests in both.

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

/** 'ok': answered without an error (1–399); 'error': 4xx, 5xx or no answer at all (0); a class such as '4xx'; or one code. */
export type StatusFilter = 'ok' | 'error' | StatusClass | number;

/** A filter as a query carries it, or null when it names none of these. */
export function parseStatusFilter(raw: string): StatusFilter | null {
  if (raw === 'ok' || raw === 'error' || (STATUS_CLASSES as readonly string[]).includes(raw)) return raw as StatusFilter;
  if (!/^\d{3}$/.test(raw)) return null;
  const code = Number(raw);
  return code >= 100 && code <= 599 ? code : null;
}

/** The statuses a filter takes, as inclusive ranges. */
export function statusRanges(f: StatusFilter): Array<readonly [number, number]> {
  if (f === 'ok') return [[1, 399]];
  if (f === 'error') return [[0, 0], [400, 999]];
  if (typeof f === 'number') return [[f, f]];
  const from = Number(f[0]) * 100;
  return [[from, from + 99]];
}

export function matchesStatus(f: StatusFilter, status: number): boolean {
  return statusRanges(f).some(([from, to]) => status >= from && status <= to);
}
