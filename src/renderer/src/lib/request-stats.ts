// How a request summary reads at a glance: answered from the cache, or failed.
import type { RequestSummary } from '../../../shared/events.ts';

export const isHit = (c: string): boolean => c.startsWith('hit-') || c === 'coalesced' || c === 'stale';
export const isError = (r: Pick<RequestSummary, 'status'>): boolean => r.status >= 400 || r.status === 0;
