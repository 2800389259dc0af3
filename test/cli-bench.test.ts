// `sluice bench` as a user runs it: options it cannot use are refused up front, named as typed, and
// what is left out takes the same defaults as the admin API's load tests.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadTestResult } from '../src/shared/loadtest.ts';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

const root = new URL('..', import.meta.url).pathname;

function bench(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'src/cli/main.ts'), 'bench', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => { out += d; });
    child.stderr!.on('data', (d) => { err += d; });
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

let sluice: TestEngine;
beforeAll(async () => { sluice = await startTestEngine({ providers: [fastSimulator] }); });
afterAll(async () => { await sluice.stop(); });

describe('sluice bench', () => {
  it('names the option at fault, as typed, and exits 2 before sending anything', async () => {
    const cases: Array<[string[], string]> = [
      [['--requests', '-5'], "--requests: expected an integer from 1 to 10000000, got '-5'."],
      [['--repeat', '2'], "--repeat: expected a number from 0 to 1, got '2'."],
      [['--concurrency', 'many'], "--concurrency: expected an integer from 1 to 1000, got 'many'."],
      [['--duration', 'soon'], "--duration: expected a number of seconds above 0 and at most 86400, got 'soon'."],
      [['--url', 'notaurl'], "--url: expected the http:// or https:// address of a running Sluice, such as http://127.0.0.1:8640, got 'notaurl'."],
      [['--requests', '5', '--duration', '3'], 'give --requests or --duration, not both.'],
    ];
    for (const [args, words] of cases) {
      const r = await bench(args.includes('--url') ? args : [...args, '--url', sluice.url]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toBe(`sluice bench: ${words}\n`);
      expect(r.err).not.toMatch(/totalRequests|repeatRatio|durationSeconds|ERR_INVALID_URL/);
    }
    // nothing reached Sluice
    expect(await (await sluice.admin('/admin/api/requests')).json()).toEqual([]);
  });

  it('runs with the defaults the admin API takes for what it leaves out', async () => {
    const r = await bench(['--url', sluice.url, '--requests', '4', '--json']);
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out) as LoadTestResult;
    expect(result.spec).toEqual({ endpoint: 'chat', model: 'sim-chat', concurrency: 10, repeatRatio: 0.3, totalRequests: 4 });
    expect(result.succeeded).toBe(4);
  });
});
