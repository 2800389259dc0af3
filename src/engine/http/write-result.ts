// Send a ProxyResult: a complete body with its length, or a stream chunk by chunk with
// backpressure. A stream that fails after the headers went out ends with an SSE error event,
// which OpenAI's SDKs surface as an error; so does one still open when `signal` aborts (the engine
// shutting down), without waiting for its next chunk.
import type { ServerResponse } from 'node:http';
import type { ProxyResult } from '../pipeline/context.ts';
import { UpstreamStreamErrorEvent } from '../errors.ts';
import { errorBody, toSluiceError } from './error-response.ts';

function drain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { res.off('drain', done); res.off('close', done); resolve(); };
    res.on('drain', done);
    res.on('close', done);
  });
}

export async function writeResult(res: ServerResponse, result: ProxyResult, headers: Record<string, string>, signal?: AbortSignal): Promise<void> {
  const all = { ...result.headers, ...headers };
  if (result.body) {
    all['content-length'] = String(result.body.length);
    res.writeHead(result.status, all);
    res.end(result.body);
    return;
  }
  const stream = result.stream;
  if (!stream) {
    res.writeHead(result.status, { ...all, 'content-length': '0' });
    res.end();
    return;
  }
  res.writeHead(result.status, all);
  const isSse = String(all['content-type'] ?? '').includes('text/event-stream');
  /** The last words of a stream that cannot go on: an SSE error event (unless the upstream's own went through), or (not SSE) a cut. */
  const fail = (err: unknown) => {
    if (res.writableEnded) return;
    if (!res.destroyed && isSse) res.end(err instanceof UpstreamStreamErrorEvent ? undefined : `data: ${JSON.stringify(errorBody(toSluiceError(err)))}\n\n`);
    else res.destroy();
  };
  // at once, not at the stream's next chunk, which may be long in coming
  const onAbort = () => fail(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal?.aborted) onAbort();
    for await (const chunk of stream) {
      if (res.destroyed || res.writableEnded) break;
      if (!res.write(chunk)) await drain(res);
    }
    if (!res.writableEnded) res.end();
  } catch (err) {
    fail(err);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
