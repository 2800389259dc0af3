// A finished request as metrics and alerts count it: the record stage's summary plus what only the
// cache (money saved on a hit) and batching (went up in a batch) stages noted on the context.
import type { RequestSummary } from '../../shared/events.ts';
import type { RequestContext } from '../pipeline/context.ts';
import type { RecordedRequest } from './recorded-request.ts';

export function toRecordedRequest(ctx: RequestContext, summary: RequestSummary): RecordedRequest {
  const saved = ctx.notes.savedCostUsd;
  return {
    ...summary,
    savedUsd: typeof saved === 'number' && Number.isFinite(saved) ? saved : 0,
    batched: ctx.batchSize !== null,
  };
}
