// `sluice bench`: drive a running Sluice with the same load generator as the panel's Load test page.
import { BadRequestError } from '../engine/errors.ts';
import { runLoadTest, validateLoadTestSpec } from '../engine/loadtest/load-test.ts';
import { LOADTEST_DEFAULTS, LOADTEST_ENDPOINTS, type LoadTestInput, type LoadTestSpec } from '../shared/loadtest.ts';

const D = LOADTEST_DEFAULTS;
const HELP = `Usage: sluice bench [options]

  --url <base>          Sluice to drive (default http://127.0.0.1:8640)
  --endpoint <name>     ${LOADTEST_ENDPOINTS.join(' | ')} (default ${D.endpoint})
  --model <name>        model to ask for (default ${D.model})
  --concurrency <n>     concurrent clients, 1–1000 (default ${D.concurrency})
  --requests <n>        stop after n requests (default ${D.totalRequests})
  --duration <s>        or stop after s seconds (instead of --requests)
  --repeat <ratio>      share of repeated prompts, 0–1 (default ${D.repeatRatio})
  --token <t>           client token, when Sluice requires one
  --json                print the result as JSON
`;

/** Each option that sets a field of the load test, and that field: an error about the field names the option. */
const FIELD_OPTIONS: Record<string, keyof LoadTestInput> = {
  endpoint: 'endpoint', model: 'model', concurrency: 'concurrency', requests: 'totalRequests', duration: 'durationSeconds', repeat: 'repeatRatio',
};
const OPTIONS = new Set([...Object.keys(FIELD_OPTIONS), 'url', 'token']);

/** A number option's value; NaN for one that is not a number, which the spec's check then names. */
const numberOf = (v: string): number => (/^\s*$/.test(v) ? NaN : Number(v));

/** The options as a load test (only those given: the rest take LOADTEST_DEFAULTS), or the words for the one that is wrong. */
function specOf(opts: Record<string, string>): { spec: LoadTestSpec } | { error: string } {
  if (opts.requests !== undefined && opts.duration !== undefined) return { error: 'give --requests or --duration, not both.' };
  const input: LoadTestInput = {};
  if (opts.endpoint !== undefined) input.endpoint = opts.endpoint as LoadTestSpec['endpoint'];
  if (opts.model !== undefined) input.model = opts.model;
  if (opts.concurrency !== undefined) input.concurrency = numberOf(opts.concurrency);
  if (opts.requests !== undefined) input.totalRequests = numberOf(opts.requests);
  if (opts.duration !== undefined) input.durationSeconds = numberOf(opts.duration);
  if (opts.repeat !== undefined) input.repeatRatio = numberOf(opts.repeat);
  try {
    return { spec: validateLoadTestSpec(input) };
  } catch (err) {
    if (!(err instanceof BadRequestError)) throw err;
    // the check words the field (totalRequests: …); the user typed the option (--requests)
    const option = Object.keys(FIELD_OPTIONS).find((o) => FIELD_OPTIONS[o] === err.param);
    if (!option) return { error: err.message };
    return { error: `--${option}: ${err.message.slice(`${err.param}: `.length)}, got '${opts[option]}'.` };
  }
}

/** The base URL to drive, or null when it is not an http(s) URL (every request would fail with ERR_INVALID_URL). */
function baseUrlOf(raw: string): string | null {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? raw.replace(/\/+$/, '') : null;
  } catch {
    return null;
  }
}

export async function runBenchCli(argv: string[]): Promise<number> {
  const opts: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') { process.stdout.write(HELP); return 0; }
    if (a === '--json') { opts.json = '1'; continue; }
    if (!a.startsWith('--') || !OPTIONS.has(a.slice(2)) || argv[i + 1] === undefined) { process.stderr.write(`Unexpected '${a}'.\n\n${HELP}`); return 2; }
    opts[a.slice(2)] = argv[++i];
  }
  const usage = (words: string) => { process.stderr.write(`sluice bench: ${words}\n`); return 2; };
  const baseUrl = baseUrlOf(opts.url ?? 'http://127.0.0.1:8640');
  if (!baseUrl) return usage(`--url: expected the http:// or https:// address of a running Sluice, such as http://127.0.0.1:8640, got '${opts.url}'.`);
  const checked = specOf(opts);
  if ('error' in checked) return usage(checked.error);
  const { spec } = checked;
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  let lastLine = 0;
  const result = await runLoadTest({
    baseUrl, spec, id: 'cli', token: opts.token, signal: ac.signal,
    onProgress: (p) => {
      if (opts.json) return;
      const line = `${p.done} requests, ${p.requestsPerSecond.toFixed(1)} req/s`;
      // a terminal redraws one line; a pipe or a CI log gets a line every few seconds
      if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
      else if (Date.now() - lastLine >= 5_000) { lastLine = Date.now(); process.stderr.write(`${line}\n`); }
    },
  });
  if (opts.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } else {
    if (process.stderr.isTTY) process.stderr.write('\n');
    const rows: Array<[string, string]> = [
      ['requests', String(result.requests)], ['requests/s', result.requestsPerSecond.toFixed(1)],
      ['p50 ms', result.latencyMs.p50.toFixed(2)], ['p95 ms', result.latencyMs.p95.toFixed(2)], ['p99 ms', result.latencyMs.p99.toFixed(2)],
      ['success rate', `${(result.successRate * 100).toFixed(1)} %`], ['hit rate', `${(result.hitRate * 100).toFixed(1)} %`],
      ['cache results', JSON.stringify(result.cacheResults)], ['errors', JSON.stringify(result.errors)],
    ];
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(14)} ${v}\n`);
  }
  return result.failed > 0 ? 1 : 0;
}
