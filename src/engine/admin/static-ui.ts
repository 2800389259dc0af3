// Serves the built control panel at /ui with a strict Content-Security-Policy.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MethodNotAllowedError, NotFoundError } from '../errors.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export const PANEL_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "font-src 'self' data:", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

export function createStaticUi(uiDir: string | null) {
  return (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new MethodNotAllowedError(req.method ?? '', url.pathname, ['GET', 'HEAD']);
    if (url.pathname === '/ui') {
      res.writeHead(308, { location: '/ui/' + url.search });
      res.end();
      return;
    }
    if (!uiDir || !existsSync(join(uiDir, 'index.html'))) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The control panel is not built yet. Run `npm run build` (npm start and npm run serve do it for you).\n');
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname.slice('/ui/'.length)) || 'index.html';
    } catch {
      rel = 'index.html';
    }
    const file = normalize(join(uiDir, rel));
    const inside = file.startsWith(normalize(uiDir) + sep);
    const found = inside && existsSync(file) && statSync(file).isFile();
    // a missing file (an asset, an icon) is a 404; any other path is the panel (it routes by #hash)
    // an error like Sluice's others (JSON, with an x-request-id); it names the path as sent, still
    // percent-encoded, never the decoded one, which may hold control characters (a NUL)
    if (!found && extname(rel) !== '' && extname(rel) !== '.html') {
      throw new NotFoundError(`No file ${url.pathname} in the control panel.`, 'SLUICE_UNKNOWN_PATH');
    }
    const target = found ? file : join(uiDir, 'index.html');
    const type = TYPES[extname(target)] ?? 'application/octet-stream';
    const immutable = target.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'content-type': type,
      'content-length': statSync(target).size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'content-security-policy': PANEL_CSP,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
    if (req.method === 'HEAD') { res.end(); return; }
    createReadStream(target).pipe(res);
  };
}
