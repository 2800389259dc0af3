// Child processes for benchmarks: Sluice itself (headless, its own process so its RSS and event
// loop are its own) and helper servers. All on loopback, killed at exit.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_ENV, HOST_NODE_FLAGS } from '../../scripts/host-node-flags.mjs';

const root = new URL('../..', import.meta.url).pathname;
const children = new Set<ChildProcess>();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

/** Start a script that prints a line `LISTENING <url>`; resolves with the URL. */
export function startScript(script: string, args: string[] = [], env: Record<string, string> = {}, nodeFlags: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', ...nodeFlags, script, ...args], {
    cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /LISTENING (\S+)/.exec(out) ?? /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}: ${out}`)));
  });
}

/** A field of /proc/<pid>/status in MB: VmRSS (now) or VmHWM (the peak so far). */
export function procStatusMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export function procCpuMs(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticksPerSecond = 100; // USER_HZ on Linux
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

export interface SluiceProcess { url: string; token: string; child: ChildProcess; peakRssMb(): number; rssMb(): number; stop(): Promise<void> }

export async function startSluice(opts: { config?: object; env?: Record<string, string> } = {}): Promise<SluiceProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
  const token = 'bench-admin-token';
  const env: Record<string, string> = { ...HOST_ENV, SLUICE_ADMIN_TOKEN: token, SLUICE_LOG_LEVEL: 'warn', ...opts.env };
  const args = ['serve', '--port', '0', '--data-dir', dataDir];
  if (opts.config) {
    const file = join(dataDir, 'config.json');
    (await import('node:fs')).writeFileSync(file, JSON.stringify(opts.config));
    args.push('--config', file);
  }
  // the headless host as `npm run serve` runs it: the bundled CLI, built (if stale) first, with its Node flags
  execFileSync(process.execPath, [join(root, 'scripts/ensure-ui.mjs')], { stdio: 'inherit' });
  const { url, child } = await startScript(join(root, 'out/main/cli.js'), args, env, HOST_NODE_FLAGS);
  return {
    url, token, child,
    peakRssMb: () => procStatusMb(child.pid, 'VmHWM'),
    rssMb: () => procStatusMb(child.pid, 'VmRSS'),
    stop: () => new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); }),
  };
}
