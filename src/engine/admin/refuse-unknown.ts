// Admin routes refuse a query parameter or body key they do not take, naming it and what they do take:
// one silently ignored (a misspelt filter, a key the route drops) would look like an answer.
import { BadRequestError } from '../errors.ts';

/** A 400 naming the first unknown key, when `input` has keys outside `known`. */
export function refuseUnknown(input: Record<string, unknown>, known: readonly string[], what: string, taker: string): void {
  const unknown = Object.keys(input).filter((k) => !known.includes(k));
  if (unknown.length) throw new BadRequestError(`Unknown ${what} ${unknown.map((k) => `'${k}'`).join(', ')}; ${taker} takes ${known.join(', ')}.`, unknown[0]);
}
