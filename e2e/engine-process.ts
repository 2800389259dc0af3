// Starts a real headless engine as `npm run serve` runs it (the built CLI bundle, out/main/cli.js, with the
// host's Node flags) as a child process on port 0 in a fresh data dir. global-setup.ts builds it when stale.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HOST_ENV, HOST_NODE_FLAGS } from '../scripts/host-node-flags.mjs';

const ROOT = resolve(import.meta.dirname, '..');

export interface RunningEngine {
  baseUrl: string;
  token: string;
  panelUrl: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startEngine(timeoutMs = 20_000): Promise<RunningEngine> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-e2e-'));
  const token = randomBytes(18).toString('base64url');
  const env: NodeJS.ProcessEnv = { ...process.env, ...HOST_ENV, SLUICE_ADMIN_TOKEN: token, SLUICE_LOG_LEVEL: 'warn', SLUICE_DATA_DIR: dataDir };
  // Hermetic: no real upstreams from the developer's environment.
  for (const k of Object.keys(env)) if (/_API_KEY$|_BASE_URL$/.test(k)) delete env[k];
  const child: ChildProcess = spawn(
    join(ROOT, 'node_modules/.bin/node'),
    ['--disable-warning=ExperimentalWarning', ...HOST_NODE_FLAGS, 'out/main/cli.js', 'serve', '--port', '0', '--data-dir', dataDir],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { out += b.toString(); });

  const baseUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`engine did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolveUrl(m[1].replace(/\/+$/, '')); }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`engine exited with ${code}:\n${out}`)); });
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(hard);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { baseUrl, token, panelUrl: `${baseUrl}/ui/#token=${encodeURIComponent(token)}`, dataDir, output: () => out, stop };
}
