// Sluice as a real child process for the hardening tests (`sluice serve`), with its stdout and
// stderr captured, on a data dir the test owns (so it can be restarted on the same one).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

export interface SluiceChild {
  child: ChildProcess;
  /** Resolves with the URL once Sluice listens; rejects if it exits first. */
  ready: Promise<string>;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string | null>;
  stdout(): string;
  stderr(): string;
  kill(signal?: NodeJS.Signals): Promise<number | string | null>;
}

export interface SluiceChildOptions {
  dataDir: string;
  args?: string[];
  env?: Record<string, string>;
  /** Written to <dataDir>/config.json and passed with --config. */
  config?: object;
  adminToken?: string;
}

export function spawnSluice(opts: SluiceChildOptions): SluiceChild {
  const args = ['--disable-warning=ExperimentalWarning', join(root, 'src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', opts.dataDir, ...(opts.args ?? [])];
  if (opts.config) {
    const file = join(opts.dataDir, 'config.json');
    writeFileSync(file, JSON.stringify(opts.config));
    args.push('--config', file);
  }
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ANTHROPIC_API_KEY: '', SLUICE_HOST: '', SLUICE_CLIENT_TOKEN: '',
      SLUICE_LOG_LEVEL: 'warn', SLUICE_ADMIN_TOKEN: opts.adminToken ?? 'hardening-admin-token', ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => { out += d; });
  child.stderr!.on('data', (d: Buffer) => { err += d; });
  const exited = new Promise<number | string | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`sluice exited (${code}) before listening: ${err.slice(0, 2000)}`)));
  });
  ready.catch(() => {});
  return {
    child, ready, exited,
    stdout: () => out,
    stderr: () => err,
    kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
