// A closed-loop load generator: N workers, each sending its next request when the previous one
// ends, for a fixed time. Records latency and (for streams) time to the first body byte.
import { Pool } from 'undici';

export interface LoadOptions {
  url: string;
  path: string;
  body: string;
  headers?: Record<string, string>;
  concurrency: number;
  durationMs: number;
  warmupMs?: number;
}

/** `requests` counts the measured window; `total` every request answered, warm-up and drain included. */
export interface LoadResult { requests: number; total: number; errors: number; rps: number; latencies: number[]; ttfb: number[] }

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(o.url, { connections: o.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const headers = { 'content-type': 'application/json', ...o.headers };
  const latencies: number[] = [];
  const ttfb: number[] = [];
  let errors = 0;
  let total = 0;
  let recording = false;
  let stop = false;
  const one = async () => {
    const t0 = performance.now();
    try {
      const res = await pool.request({ method: 'POST', path: o.path, headers, body: o.body });
      let first = -1;
      for await (const _chunk of res.body) if (first < 0) first = performance.now() - t0;
      if (res.statusCode >= 400) errors++;
      if (recording) { latencies.push(performance.now() - t0); ttfb.push(first); }
    } catch {
      errors++;
    }
    total++;
  };
  const worker = async () => { while (!stop) await one(); };
  const workers = Array.from({ length: o.concurrency }, worker);
  await new Promise((r) => setTimeout(r, o.warmupMs ?? 500));
  recording = true;
  const t = performance.now();
  await new Promise((r) => setTimeout(r, o.durationMs));
  recording = false;
  const elapsed = performance.now() - t;
  const requests = latencies.length;
  stop = true;
  await Promise.all(workers);
  await pool.close();
  return { requests, total, errors, rps: (requests / elapsed) * 1000, latencies, ttfb };
}
