// Importing a routing file on the Routing page: what the file would replace (rules, aliases and budgets
// now → in the file), a file that is no routing export told apart before anything is sent, and the
// engine's refusal as a list of problems with their paths, worded in the reader's language by their codes.
import type { ErrorIssue } from '../../../shared/openai.ts';
import { issuesFromError } from './routing-edit.ts';
import { routingProblemText } from './routing-problem-words.ts';

export interface RoutingCounts { rules: number; aliases: number; budgets: number }

/** What the panel reads from a file before asking: the counts it would install, or why it is no routing file. */
export type ImportRead = { ok: true; counts: RoutingCounts } | { ok: false; problem: 'notObject' | 'format' | 'version' };

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const count = (v: unknown): number => (Array.isArray(v) ? v.length : 0);

/** How many rules, aliases and budgets a routing document holds (a missing list holds none: the import empties it). */
export function routingCounts(routing: Record<string, unknown>): RoutingCounts {
  return { rules: count(routing.rules), aliases: count(routing.aliases), budgets: count(routing.budgets) };
}

/** Reads an import file as the engine does (an export file `{ format, version, routing }`, or a bare routing document). */
export function readImport(value: unknown): ImportRead {
  if (!isObj(value)) return { ok: false, problem: 'notObject' };
  if (!('format' in value)) return { ok: true, counts: routingCounts(value) };
  if (value.format !== 'sluice-routing') return { ok: false, problem: 'format' };
  if (value.version !== 1) return { ok: false, problem: 'version' };
  return isObj(value.routing) ? { ok: true, counts: routingCounts(value.routing) } : { ok: false, problem: 'notObject' };
}

/** One problem of a refused import: where it is (`rules[0].name`), and what, as a message key or the engine's words. */
export interface ImportProblem {
  path: string;
  text: ReturnType<typeof routingProblemText>;
}

/**
 * The problems of a refused import: the engine's `error.issues` (each with its path and code), or its one
 * message with the path `param` names taken off the front, as the rule form reads a refused save.
 */
export function importProblems(message: string, param: string | null | undefined, issues?: readonly ErrorIssue[] | null): ImportProblem[] {
  const list: readonly ErrorIssue[] = issues?.length ? issues : [{ param: param ?? null, message: issuesFromError(message, param)[0].message }];
  return list.map((i) => ({ path: i.param ?? '', text: routingProblemText(i) }));
}
