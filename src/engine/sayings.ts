// A sentence made once as the engine's English (what API users and the request log read) and as data
// the panel words in the reader's language (src/shared/trace.ts), side by side so the two cannot drift.
import type { TraceSaying, TraceSayingId, TraceSayingValue } from '../shared/trace.ts';
import { BadRequestError } from './errors.ts';

export interface Said {
  readonly text: string;
  readonly say: TraceSaying;
}

export const said = (text: string, id: TraceSayingId, vars?: Record<string, TraceSayingValue>): Said => ({ text, say: vars ? { id, vars } : { id } });

/** A 400 whose message is `s`, carrying its sentence as data. */
export function badRequest(s: Said, param: string | null, code: string): BadRequestError {
  const err = new BadRequestError(s.text, param, code);
  err.say = s.say;
  return err;
}
