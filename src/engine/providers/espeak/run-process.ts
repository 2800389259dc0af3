// Runs a local program as an upstream: spawn with an argument array (never a shell), text on
// stdin, stdout collected up to a size limit, killed on timeout or abort. Failures are SluiceErrors
// so the pipeline treats a local engine like any other upstream (retry, fallback, metrics).
import { spawn } from 'node:child_process';
import type { Clock } from '../../clock.ts';
import { UpstreamProtocolError, UpstreamTimeoutError, UpstreamUnreachableError } from '../../errors.ts';

export interface RunProcessOptions {
  /** Provider id, for error messages. */
  provider: string;
  command: string;
  args: readonly string[];
  stdin?: Uint8Array | string;
  timeoutMs: number;
  maxOutputBytes: number;
  clock: Clock;
  signal?: AbortSignal;
}

export class ProcessOutputTooLargeError extends UpstreamProtocolError {
  constructor(provider: string, limit: number) {
    super(provider, `output exceeded the limit of ${limit} bytes`);
  }
}

export function runProcess(opts: RunProcessOptions): Promise<Buffer> {
  const { provider, command, timeoutMs, maxOutputBytes, clock, signal } = opts;
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
  if (!(maxOutputBytes > 0)) throw new RangeError(`maxOutputBytes must be positive, got ${maxOutputBytes}`);
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<Buffer>((resolve, reject) => {
    const child = spawn(command, [...opts.args], { stdio: ['pipe', 'pipe', 'pipe'], shell: false, windowsHide: true });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let done = false;
    const finish = (err: unknown, value?: Buffer) => {
      if (done) return;
      done = true;
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err !== undefined) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        reject(err);
      } else {
        resolve(value!);
      }
    };
    const onAbort = () => finish(signal!.reason);
    const timer = clock.setTimeout(() => finish(new UpstreamTimeoutError(provider, 'total', timeoutMs)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    child.on('error', (err: NodeJS.ErrnoException) => {
      finish(new UpstreamUnreachableError(provider, `cannot run ${command}: ${err.code ?? err.message}`, err));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxOutputBytes) return finish(new ProcessOutputTooLargeError(provider, maxOutputBytes));
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => { if (stderr.length < 2000) stderr += chunk.toString('utf8'); });
    child.on('close', (code, sig) => {
      if (code === 0) return finish(undefined, Buffer.concat(chunks, size));
      const why = stderr.trim().split('\n')[0]?.slice(0, 300) || 'no message';
      finish(new UpstreamProtocolError(provider, `${command} exited with ${code ?? sig}: ${why}`));
    });
    child.stdin.on('error', () => { /* the program exited without reading its input: 'close' reports why */ });
    child.stdin.end(opts.stdin ?? '');
  });
}
