import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticUi } from './static-ui.ts';

let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-ui-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>panel</title>');
  writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(dir, 'favicon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(join(dir, '..', 'outside.txt'), 'secret');
  const ui = createStaticUi(dir);
  server = createServer((req, res) => ui(req, res, new URL(req.url ?? '/', 'http://x')));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(dir, '..', 'outside.txt'), { force: true });
});

describe('the control panel files', () => {
  it('serves the panel with its CSP, its assets as immutable, and its icon', async () => {
    const page = await fetch(`${base}/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<title>panel</title>');
    const asset = await fetch(`${base}/ui/assets/app-1234.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const icon = await fetch(`${base}/ui/favicon.png`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/png');
  });

  it('answers a missing file with 404, not with the page, and any other path with the page', async () => {
    const missing = await fetch(`${base}/ui/favicon.ico`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('No file favicon.ico');
    const route = await fetch(`${base}/ui/some/where`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>panel</title>');
  });

  it('never serves a file outside its directory', async () => {
    const escaped = await fetch(`${base}/ui/%2e%2e/outside.txt`);
    expect(await escaped.text()).not.toContain('secret');
  });
});
