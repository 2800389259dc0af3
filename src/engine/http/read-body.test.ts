import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientClosedError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.ts';
import { nestingDepth, parseJsonObject, readBody } from './read-body.ts';

function incoming(headers: Record<string, string> = {}): PassThrough & IncomingMessage {
  return Object.assign(new PassThrough(), { headers }) as unknown as PassThrough & IncomingMessage;
}

describe('readBody', () => {
  it('joins the chunks of a body in order', async () => {
    const req = incoming();
    const body = readBody(req, 100);
    req.write('{"a":');
    req.write('1}');
    req.end();
    expect((await body).toString()).toBe('{"a":1}');
  });

  it('refuses a compressed body with a 415 that says to send it uncompressed', async () => {
    const err = await readBody(incoming({ 'content-encoding': 'gzip' }), 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedMediaTypeError);
    expect(err).toMatchObject({ status: 415, param: 'content-encoding' });
    expect((err as Error).message).toBe("Content-Encoding 'gzip' is not accepted: send the request body uncompressed.");
    const plain = incoming({ 'content-encoding': 'identity' });
    const body = readBody(plain, 100);
    plain.end('{}');
    expect((await body).toString()).toBe('{}');
  });

  it('refuses a declared length over the limit before reading anything', async () => {
    await expect(readBody(incoming({ 'content-length': '101' }), 100)).rejects.toBeInstanceOf(PayloadTooLargeError);
  });

  it('refuses a body without a declared length as soon as it passes the limit, and drains the rest', async () => {
    const req = incoming();
    const body = readBody(req, 10);
    req.write('0123456789');
    req.write('x');
    await expect(body).rejects.toBeInstanceOf(PayloadTooLargeError);
    req.end('more');
    await new Promise((r) => req.once('end', r)); // still flowing: the connection can carry the 413
  });

  it('a client that goes away before the body ends is a ClientClosedError (499), not an internal fault', async () => {
    const req = incoming();
    const body = readBody(req, 100);
    req.write('{"a":');
    req.destroy();
    const err = await body.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientClosedError);
    expect((err as ClientClosedError).status).toBe(499);
    await expect(readBody(req, 100)).rejects.toBeInstanceOf(ClientClosedError);
  });
});

/** The plain definition: every character looked at, strings skipped. */
function depthByEveryCharacter(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

describe('nestingDepth', () => {
  it('agrees with a character-by-character scan on any JSON, and on any text', () => {
    const tricky = fc.constantFrom('"', '\\', '\\"', '{', '}', '[', ']', '\\\\"', 'a', '中');
    const text = fc.array(fc.oneof(fc.string(), tricky), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 8 }), (v) => {
      const json = JSON.stringify(v);
      expect(nestingDepth(json)).toBe(depthByEveryCharacter(json));
    }), { numRuns: 500 });
    fc.assert(fc.property(text, (t) => { expect(nestingDepth(t)).toBe(depthByEveryCharacter(t)); }), { numRuns: 1000 });
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(nestingDepth(JSON.stringify({ a: '[[[{{{', b: 'say \\"[[[" twice', c: [[1]] }))).toBe(3);
    expect(nestingDepth('{"unterminated": "[[[[')).toBe(1);
  });

  it('refuses a body nested past 64 levels before parsing it, but not a long prompt', () => {
    expect(() => parseJsonObject(Buffer.from('{"a":' + '['.repeat(65) + ']'.repeat(65) + '}'))).toThrow(/deeper than 64/);
    const prompt = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: '[{'.repeat(100_000) }] });
    expect(parseJsonObject(Buffer.from(prompt)).model).toBe('m');
  });
});
