// Send a ProxyResult: a complete body with its length, or a stream chunk by chunk with
// backpressure. A stream that fails after the headers went out ends with an SSE error event,
// which OpenAI's SDKs surface as an error.
import type { ServerResponse } from 'node:http';
import type { ProxyResult } from '../pipeline/context.ts';
import { errorBody, toSluiceError } from './error-response.ts';

function drain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { res.off('drain', done); res.off('close', done); resolve(); };
    res.on('drain', done);
    res.on('close', done);
  });
}

export async function writeResult(res: ServerResponse, result: ProxyResult, headers: Record<string, string>): Promise<void> {
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
  try {
    for await (const chunk of stream) {
      if (res.destroyed) break;
      if (!res.write(chunk)) await drain(res);
    }
    res.end();
  } catch (err) {
    if (!res.destroyed && isSse) {
      res.end(`data: ${JSON.stringify(errorBody(toSluiceError(err)))}\n\n`);
    } else {
      res.destroy();
    }
  }
}
