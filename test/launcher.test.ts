// The launcher as a user (or a process manager) runs it: `npm run serve`, i.e. npm → sh -c →
// scripts/start.mjs → the headless host. Whatever ends the launcher, the host shuts down gracefully
// (its lock released) instead of living on as an orphan holding the port.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const started: ChildProcess[] = [];
const dirs: string[] = [];
/** Hosts that may still run (a failing test): by data dir, so a pid is signalled only while it still holds that dir. */
const hosts: Array<{ pid: number; dataDir: string }> = [];

// start.mjs runs the built host (out/main/cli.js): build it now if it is missing or stale, as npm start would
beforeAll(() => { execFileSync(process.execPath, [join(root, 'scripts/ensure-ui.mjs')], { cwd: root, stdio: 'ignore' }); }, 180_000);

afterEach(() => {
  for (const c of started.splice(0)) c.kill('SIGKILL');
  for (const h of hosts.splice(0)) if (holderPid(h.dataDir) === h.pid) process.kill(h.pid, 'SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs `command`, which starts Sluice headless on port 0 in a fresh data dir; resolves once it listens. */
async function launch(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-launcher-'));
  dirs.push(dataDir);
  const child = spawn(command, [...args, '--port', '0', '--data-dir', dataDir], {
    cwd: root, env: { ...env, SLUICE_LOG_LEVEL: 'warn', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  // 'close': every process holding the output pipes (npm, sh, start.mjs, the host) has ended. (Not
  // kill(pid, 0): an orphan stays a zombie until whatever adopted it reaps it.)
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => { const m = /listening on (\S+)/.exec(out); if (m) resolve(m[1]); });
    void closed.then(() => reject(new Error(`ended before listening: ${out}`)));
  });
  hosts.push({ pid: holderPid(dataDir)!, dataDir });
  return { child, url, dataDir, closed, output: () => out };
}

/** The pid in the data dir's lock holder file: the host, while it runs. */
function holderPid(dataDir: string): number | null {
  const file = join(dataDir, 'sluice.lock.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid : null;
}

const withoutNpm = (env: NodeJS.ProcessEnv) => Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('npm_')));

describe('the launcher', () => {
  it('SIGTERM to `npm run serve` stops Sluice gracefully: no orphan keeps the port', async () => {
    const s = await launch('npm', ['run', '--silent', 'serve', '--'], withoutNpm(process.env));
    s.child.kill('SIGTERM'); // npm passes it to its `sh -c` only, which dies of it
    await s.closed;
    expect(s.output()).toContain('is gone; stopping Sluice.');
    expect(s.output()).toContain('SIGTERM: finishing in-flight requests…');
    expect(holderPid(s.dataDir)).toBe(null); // released by a clean stop
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
  });

  it('the host learns through its IPC channel that start.mjs was killed (-9), and stops gracefully', async () => {
    const s = await launch(process.execPath, [join(root, 'scripts/start.mjs'), '--headless'], withoutNpm(process.env));
    s.child.kill('SIGKILL');
    await s.closed;
    expect(s.output()).toContain('launcher gone: finishing in-flight requests…');
    expect(holderPid(s.dataDir)).toBe(null);
  });

  it('SIGTERM to start.mjs still stops the host it started, exit code 0', async () => {
    const s = await launch(process.execPath, [join(root, 'scripts/start.mjs'), '--headless'], withoutNpm(process.env));
    const exited = new Promise<number | null>((resolve) => s.child.on('exit', (code) => resolve(code)));
    s.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await s.closed;
    expect(s.output()).toContain('SIGTERM: finishing in-flight requests…');
    expect(s.output()).not.toContain('is gone');
  });
});
