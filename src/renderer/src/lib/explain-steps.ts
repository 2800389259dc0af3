// The steps of a routing explanation the panel lists: its last step says what becomes of the request,
// which the line under the list says already (where it goes, or why it fails), so it is not listed twice.
import type { ExplainResult } from '../../../shared/routing.ts';
import type { TraceSaying, TraceSayingId } from '../../../shared/trace.ts';

/** Steps that end a decision with what becomes of the request. */
const OUTCOMES: ReadonlySet<TraceSayingId> = new Set(['explain.willTry', 'explain.refused', 'explain.noTarget', 'explain.invalidBody', 'explain.targetRefuses']);

/** The steps to list, each with its sentence as data: all but a last one that is the outcome. */
export function stepsBeforeOutcome(result: Pick<ExplainResult, 'steps' | 'stepSays'>): Array<{ message: string; say: TraceSaying | undefined }> {
  const steps = result.steps.map((message, i) => ({ message, say: result.stepSays?.[i] }));
  const last = steps.at(-1)?.say;
  return last && OUTCOMES.has(last.id) ? steps.slice(0, -1) : steps;
}
