// A problem the engine found in a routing document (a save, an import, a rule or budget form), in the
// reader's language: by the code it sends with each problem (src/shared/routing-issues.ts), with the
// values its words name. A problem without a known code (an older engine, another kind of error) keeps
// the engine's words.
import type { ErrorIssue } from '../../../shared/openai.ts';
import { isRoutingIssueCode, type RoutingIssueCode } from '../../../shared/routing-issues.ts';
import type { MessageKey } from '../i18n/en.ts';
import type { Translate } from '../i18n/translate.ts';

/** The panel's sentence for each code; the forms' own checks say the first few in the same words. */
const SENTENCES: Record<RoutingIssueCode, MessageKey> = {
  required: 'routing.form.problem.required',
  idChars: 'routing.form.problem.idChars',
  integer: 'routing.form.problem.integer',
  number: 'routing.form.problem.number',
  minAboveMax: 'routing.form.problem.minAboveMax',
  noTargets: 'routing.form.problem.noTargets',
  weightCount: 'routing.form.problem.weightCount',
  providerId: 'routing.problem.providerId',
  duplicate: 'routing.problem.duplicate',
  unknownProvider: 'routing.problem.unknownProvider',
  unknownAlias: 'routing.problem.unknownAlias',
  unknownClass: 'routing.problem.unknownClass',
  unknownKey: 'routing.problem.unknownKey',
  object: 'routing.problem.object',
  list: 'routing.problem.list',
  listOf: 'routing.problem.listOf',
  oneOf: 'routing.problem.oneOf',
  boolean: 'routing.problem.boolean',
  globs: 'routing.problem.globs',
  tags: 'routing.problem.tags',
  modelName: 'routing.problem.modelName',
  text: 'routing.problem.text',
  positiveInteger: 'routing.problem.positiveInteger',
  positiveNumber: 'routing.problem.positiveNumber',
  integerRange: 'routing.problem.integerRange',
  numberRange: 'routing.problem.numberRange',
  fraction: 'routing.problem.fraction',
  similarity: 'routing.problem.similarity',
  timeout: 'routing.problem.timeout',
  price: 'routing.problem.price',
  maxDelayBelowBase: 'routing.problem.maxDelayBelowBase',
  targetsOrAlias: 'routing.problem.targetsOrAlias',
  weightsList: 'routing.problem.weightsList',
  weightPositive: 'routing.problem.weightPositive',
};

/** What a problem is made of, as far as wording it goes. */
export type CodedProblem = Pick<ErrorIssue, 'message' | 'code' | 'vars'>;

/** A problem as a message key with its values, or the engine's words when the panel does not know its code. */
export function routingProblemText(p: CodedProblem): { key: MessageKey; params?: Record<string, string | number> } | { message: string } {
  if (!isRoutingIssueCode(p.code)) return { message: p.message };
  const key = p.code === 'unknownKey' && p.vars?.near !== undefined ? 'routing.problem.unknownKeyNear' : SENTENCES[p.code];
  return p.vars ? { key, params: p.vars } : { key };
}

/** A problem in the reader's language. */
export function routingProblemWords(t: Translate, p: CodedProblem): string {
  const text = routingProblemText(p);
  return 'key' in text ? t(text.key, text.params) : text.message;
}
