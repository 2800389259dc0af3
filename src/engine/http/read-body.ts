// Read a request body into memory, refusing anything over the limit as soon as it is known.
import type { IncomingMessage } from 'node:http';
import { BadRequestError, PayloadTooLargeError } from '../errors.ts';

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    throw new PayloadTooLargeError(limitBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      req.resume();
      throw new PayloadTooLargeError(limitBytes);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

const MAX_DEPTH = 64;

/** Parse a JSON object body. Malformed JSON, invalid UTF-8, non-objects and absurd nesting are 400s. */
export function parseJsonObject(bytes: Buffer): Record<string, unknown> {
  if (bytes.length === 0) throw new BadRequestError('Request body is empty; expected a JSON object.', null, 'SLUICE_INVALID_JSON');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BadRequestError('Request body is not valid UTF-8.', null, 'SLUICE_INVALID_JSON');
  }
  if (nestingDepth(text) > MAX_DEPTH) {
    throw new BadRequestError(`Request body nests deeper than ${MAX_DEPTH} levels.`, null, 'SLUICE_INVALID_JSON');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`Request body is not valid JSON: ${(err as Error).message}`, null, 'SLUICE_INVALID_JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadRequestError('Request body must be a JSON object.', null, 'SLUICE_INVALID_JSON');
  }
  return value as Record<string, unknown>;
}

/** Bracket depth outside strings, computed in one pass before JSON.parse can recurse. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) { if (++depth > max) max = depth; }
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}
