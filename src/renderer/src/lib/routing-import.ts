// Importing a routing file on the Routing page: what the file would replace (rules, aliases and budgets
// now → in the file), a file that is no routing export told apart before anything is sent, and the
// engine's refusal as a list of problems with their paths, worded in the reader's language.
import type { ErrorIssue } from '../../../shared/openai.ts';
import type { MessageKey } from '../i18n/en.ts';
import { issuesFromError } from './routing-edit.ts';

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
  text: { key: MessageKey; params?: Record<string, string> } | { message: string };
}

/**
 * The engine's phrasings of the problems the rule and budget forms word themselves, and the few only a
 * file can have. The engine sends its issues in English without a code; one it words otherwise keeps its words.
 */
const WORDINGS: ReadonlyArray<[RegExp, MessageKey, (m: RegExpExecArray) => Record<string, string>]> = [
  [/^is required$/, 'routing.form.problem.required', () => ({})],
  [/^must be 1-64 letters, digits, \. _ -/, 'routing.form.problem.idChars', () => ({})],
  [/^must be a non-negative integer$/, 'routing.form.problem.integer', () => ({})],
  [/^must be a non-negative number$/, 'routing.form.problem.number', () => ({})],
  [/^must not be below minPromptTokens$/, 'routing.form.problem.minAboveMax', () => ({})],
  [/^must name at least one target$/, 'routing.form.problem.noTargets', () => ({})],
  [/^are required for the weighted strategy$/, 'routing.form.problem.weightCount', () => ({})],
  [/^unknown provider '(.*)'$/, 'routing.import.problem.unknownProvider', (m) => ({ name: m[1] })],
  [/^unknown alias '(.*)'$/, 'routing.import.problem.unknownAlias', (m) => ({ name: m[1] })],
  [/^duplicate (?:rule|budget) id '(.*)'$/, 'routing.import.problem.duplicate', (m) => ({ name: m[1] })],
  [/^duplicate alias '(.*)'$/, 'routing.import.problem.duplicate', (m) => ({ name: m[1] })],
  [/^must be one of (.+)$/, 'routing.import.problem.oneOf', (m) => ({ choices: m[1] })],
  [/^must be '([^']+)' or '([^']+)'$/, 'routing.import.problem.oneOf', (m) => ({ choices: `${m[1]}, ${m[2]}` })],
  [/^must be a list of ((?:chat|embeddings|speech|simple|medium|complex|very-complex)(?:, [\w-]+)*)$/, 'routing.import.problem.listOf', (m) => ({ choices: m[1] })],
  [/^must be true or false$/, 'routing.import.problem.boolean', () => ({})],
  [/^must be a list\b/, 'routing.import.problem.list', () => ({})],
  [/^must be an object\b/, 'routing.import.problem.object', () => ({})],
  [/^needs exactly one of targets or alias$/, 'routing.import.problem.targetsOrAlias', () => ({})],
  [/^must be a number of milliseconds ≥ 100$/, 'routing.import.problem.timeout', () => ({})],
  [/^must be a fraction in \(0, 1\]/, 'routing.import.problem.fraction', () => ({})],
];

/** One engine message in the reader's terms, when the panel knows its kind. */
export function importProblemText(message: string): ImportProblem['text'] {
  for (const [pattern, key, params] of WORDINGS) {
    const m = pattern.exec(message);
    if (m) return { key, params: params(m) };
  }
  return { message };
}

/**
 * The problems of a refused import: the engine's `error.issues` (each with its path), or its one message
 * with the path `param` names taken off the front, as the rule form reads a refused save.
 */
export function importProblems(message: string, param: string | null | undefined, issues?: readonly ErrorIssue[] | null): ImportProblem[] {
  const list = issues?.length ? issues : [{ param: param ?? null, message: issuesFromError(message, param)[0].message }];
  return list.map((i) => ({ path: i.param ?? '', text: importProblemText(i.message) }));
}
