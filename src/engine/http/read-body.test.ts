import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ClientClosedError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.ts';
import { readBody } from './read-body.ts';

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
