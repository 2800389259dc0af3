// The headless host as a user runs it: a real child process, the printed URLs, clean shutdown.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from './helpers/waiting.ts';

const root = new URL('..', import.meta.url).pathname;
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function newDataDir(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-cli-'));
  dirs.push(dataDir);
  return dataDir;
}

function serve(args: string[], env: Record<string, string> = {}, entry = 'src/cli/main.ts', dataDir = newDataDir()) {
  const child = spawn(process.execPath, [join(root, entry), 'serve', '--data-dir', dataDir, ...args], {
    env: { ...process.env, SLUICE_LOG_LEVEL: 'warn', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { err += d; });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => { const m = /listening on (\S+)/.exec(out); if (m) resolve(m[1]); });
    void exited.then((code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  ready.catch(() => {}); // awaited only by the tests that expect the server to come up
  return { child, dataDir, ready, exited, output: () => out, errors: () => err };
}

describe('sluice serve', () => {
  it('prints the URL, the OpenAI base URL and the panel URL with a token; --port 0 picks a free port', async () => {
    const s = serve(['--port', '0'], { SLUICE_ADMIN_TOKEN: 'cli-test-token' });
    const url = await s.ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(url).port)).toBeGreaterThan(0);
    expect(s.output()).toContain(`OpenAI base URL: ${url}/v1`);
    expect(s.output()).toContain(`Control panel:   ${url}/ui/#token=cli-test-token`);
    const info = await fetch(`${url}/admin/api/info`, { headers: { authorization: 'Bearer cli-test-token' } });
    expect(((await info.json()) as any).listen.url).toBe(url);
  });

  it('says a port in use is in use, and how to pick another, instead of a raw EADDRINUSE', async () => {
    const first = serve(['--port', '0']);
    const port = new URL(await first.ready).port;
    const second = serve(['--port', port]);
    expect(await second.exited).toBe(1);
    expect(second.errors()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(second.errors()).toContain('--port <n> (0 picks a free one)');
    expect(second.errors()).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('a second Sluice on the same data dir stops at start, naming the data dir, the first one (pid, URL) and what to do', async () => {
    const first = serve(['--port', '0']);
    const url = await first.ready;
    const second = serve(['--port', '0'], {}, 'src/cli/main.ts', first.dataDir);
    expect(await second.exited).toBe(1);
    expect(second.errors()).toContain(`sluice: data dir ${first.dataDir} is in use by another Sluice (pid ${first.child.pid}, at ${url}, started `);
    expect(second.errors()).toContain('Stop that one, or give this one a data dir of its own: --data-dir <path> or SLUICE_DATA_DIR.');
    expect(second.errors()).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('a Sluice killed with SIGKILL leaves no lock behind: the next one on its data dir starts', async () => {
    const first = serve(['--port', '0']);
    await first.ready;
    first.child.kill('SIGKILL');
    await first.exited;
    const next = serve(['--port', '0'], {}, 'src/cli/main.ts', first.dataDir);
    expect((await fetch(`${await next.ready}/healthz`)).status).toBe(200);
    expect(JSON.parse(readFileSync(join(first.dataDir, 'sluice.lock.json'), 'utf8'))).toMatchObject({ pid: next.child.pid });
  });

  it('says in words that a data dir which is a file, or cannot be written, cannot hold its data', async () => {
    const file = join(newDataDir(), 'a-file');
    writeFileSync(file, 'not a folder');
    const onFile = serve(['--port', '0'], {}, 'src/cli/main.ts', file);
    expect(await onFile.exited).toBe(1);
    expect(onFile.errors()).toBe(`sluice: data dir ${file} is a file, not a folder. Choose another folder (Sluice creates it if missing): --data-dir <path> or SLUICE_DATA_DIR.\n`);
    if (process.platform === 'linux') {
      // /sys refuses new folders even to root
      const denied = serve(['--port', '0'], {}, 'src/cli/main.ts', '/sys/sluice-data');
      expect(await denied.exited).toBe(1);
      expect(denied.errors()).toBe('sluice: data dir /sys/sluice-data cannot be created or written: permission denied. Choose another folder (Sluice creates it if missing): --data-dir <path> or SLUICE_DATA_DIR.\n');
    }
  });

  it('finishes an in-flight request on SIGTERM, then exits 0 with the database closed cleanly', async () => {
    const s = serve(['--port', '0']);
    const url = await s.ready;
    const pending = fetch(`${url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'take your time' }] }),
    });
    await new Promise((r) => setTimeout(r, 50));
    s.child.kill('SIGTERM');
    const res = await pending;
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).choices[0].message.content).toBeTruthy();
    expect(await s.exited).toBe(0);
    for (const file of ['sluice.db', 'requests.db']) expect(existsSync(join(s.dataDir, `${file}-wal`)) ? `${file}: wal left` : 'clean').toBe('clean');
    const db = new Database(join(s.dataDir, 'requests.db'), { readonly: true });
    expect((db.prepare('SELECT COUNT(*) AS n FROM request_log').get() as { n: number }).n).toBe(1);
    db.close();
  });

  it('refuses to listen beyond loopback without a client token', async () => {
    const s = serve(['--host', '0.0.0.0', '--port', '0']);
    expect(await s.exited).toBe(1);
    expect(s.errors()).toMatch(/Refusing to listen on 0\.0\.0\.0 without a client token/);
  });

  it('listening on every interface, answers requests that name this machine, prints where, and still refuses other names', async () => {
    const s = serve(['--host', '0.0.0.0', '--port', '0'], { SLUICE_CLIENT_TOKEN: 'cli-client-token' });
    const url = await s.ready;
    const port = Number(new URL(url).port);
    const lan = Object.values(networkInterfaces()).flat().find((a) => a && !a.internal && a.family === 'IPv4')?.address;
    /** GET /healthz with this Host header, over loopback (what another machine's request names). */
    const status = (host: string) => new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/healthz', headers: { host } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject).end();
    });
    expect(await status(`evil.example:${port}`)).toBe(403);
    if (lan) {
      expect(s.output()).toContain(`On the network:  http://${lan}:${port}/v1 (client token required)`);
      expect(await status(`${lan}:${port}`)).toBe(200);
    }
  });

  it('names the setting a bad listen address came from, instead of a bare getaddrinfo error or blaming the token', async () => {
    const fromEnv = serve(['--port', '0'], { SLUICE_HOST: 'bad host!', SLUICE_CLIENT_TOKEN: 'cli-client-token' });
    expect(await fromEnv.exited).toBe(1);
    expect(fromEnv.errors()).toContain("SLUICE_HOST: 'bad host!' is not an IP address or host name");
    expect(fromEnv.errors()).not.toContain('getaddrinfo');

    const configDir = mkdtempSync(join(tmpdir(), 'sluice-cli-config-'));
    dirs.push(configDir);
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ server: { host: 'not a host!' } }));
    const fromFile = serve(['--port', '0', '--config', join(configDir, 'config.json')]);
    expect(await fromFile.exited).toBe(1);
    expect(fromFile.errors()).toContain("server.host: 'not a host!' is not an IP address or host name");
    expect(fromFile.errors()).not.toContain('client token');

    // an address of another machine (TEST-NET-1): the listen fails, and the message says where the address came from
    const elsewhere = serve(['--host', '192.0.2.1', '--port', '0'], { SLUICE_CLIENT_TOKEN: 'cli-client-token' });
    expect(await elsewhere.exited).toBe(1);
    expect(elsewhere.errors()).toContain("cannot listen on '192.0.2.1' (from --host): not an address of this machine (EADDRNOTAVAIL)");
  });

  it('refuses at start, naming the key, a config value it would trip over on every request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-cli-config-'));
    dirs.push(dir);
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ server: { allowedHosts: 'myhost' } }));
    const s = serve(['--port', '0', '--config', config]);
    expect(await s.exited).toBe(1);
    expect(s.errors()).toMatch(/^sluice: server\.allowedHosts: must be a list of host names/m);
    expect(s.output()).not.toMatch(/listening on/);
  });

  it('exits 2 with usage on a bad option', async () => {
    const s = serve(['--port', 'many']);
    expect(await s.exited).toBe(2);
    expect(s.errors()).toContain('--port must be a number');
  });

  it('`sluice serve` through the command serves, and SIGTERM stops the host it started', async () => {
    const s = serve(['--port', '0'], {}, 'bin/sluice.mjs');
    const url = await s.ready;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('`sluice` alone serves as `sluice serve` does, with the host\'s Node flags', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-cli-'));
    dirs.push(dataDir);
    // a heap limit the default memory cache is over half of: the start warns only if the flag reached the host
    const child = spawn(process.execPath, [join(root, 'bin/sluice.mjs')], {
      env: { ...process.env, SLUICE_PORT: '0', SLUICE_DATA_DIR: dataDir, SLUICE_MAX_HEAP_MB: '300', SLUICE_LOG_LEVEL: 'warn', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let all = '';
    child.stdout!.on('data', (d) => { all += d; });
    child.stderr!.on('data', (d) => { all += d; });
    const exited = new Promise((r) => child.on('exit', r));
    await until(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(all), 'sluice to serve');
    expect(all).toContain(`Data dir:        ${dataDir}`);
    expect(all).toMatch(/over half the \d+ MB heap Sluice runs with/);
    // the command passes SIGTERM on to the host it started (a SIGKILL would leave that host running)
    child.kill('SIGTERM');
    await exited;
  });

  it('the sluice command (bin/sluice.mjs) runs the CLI, also under a Node without type stripping', async () => {
    const run = (node: string) => new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(node, [join(root, 'bin/sluice.mjs'), 'version'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout!.on('data', (d) => { out += d; });
      child.stderr!.on('data', (d) => { out += d; });
      child.on('exit', (code) => resolve({ code, out }));
    });
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; bin: { sluice: string } };
    expect(pkg.bin.sluice).toBe('bin/sluice.mjs');
    expect(await run(process.execPath)).toEqual({ code: 0, out: `${pkg.version}\n` });
    // the machine's own Node may be older (CI images ship Node 20); the command then uses node_modules' Node 24
    const system = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => existsSync(p) && p !== process.execPath);
    if (system) expect(await run(system)).toEqual({ code: 0, out: `${pkg.version}\n` });
  });
});
