import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendError } from '../http/error-response.ts';
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
  // as the engine's router calls it: what it throws becomes an error answer
  server = createServer((req, res) => {
    try {
      ui(req, res, new URL(req.url ?? '/', 'http://x'));
    } catch (err) {
      sendError(res, err);
    }
  });
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
    expect(missing.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(((await missing.json()) as { error: unknown }).error).toMatchObject({
      message: 'No file /ui/favicon.ico in the control panel.', type: 'invalid_request_error', code: 'unknown_path',
    });
    const route = await fetch(`${base}/ui/some/where`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>panel</title>');
  });

  it('never serves a file outside its directory', async () => {
    const escaped = await fetch(`${base}/ui/%2e%2e/outside.txt`);
    expect(await escaped.text()).not.toContain('secret');
    const encoded = await fetch(`${base}/ui/..%2Foutside.txt`);
    expect(encoded.status).toBe(404);
    expect(await encoded.text()).not.toContain('secret');
  });

  it('never repeats a control character of the path in its 404', async () => {
    for (const path of ['/ui/index.html%00.js', '/ui/a%0D%0Ab.png', '/ui/%1B%5B31mred.css']) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(404);
      const text = await res.text();
      const { message } = (JSON.parse(text) as { error: { message: string } }).error;
      expect(message, path).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect(message).toBe(`No file ${path} in the control panel.`);
    }
  });
});
