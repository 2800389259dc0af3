// Builds the control panel, the Electron main/preload bundles and the headless CLI bundle
// (out/main/cli.js) when the build is missing or older than its sources, so `npm start` and
// `npm run serve` always run the current code. The build takes a few seconds.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const built = [join(root, 'out/renderer/index.html'), join(root, 'out/main/cli.js')];

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sources = ['src', 'electron.vite.config.ts', 'package-lock.json'].map((d) => join(root, d)).filter(existsSync);
const newestSource = Math.max(...sources.map((p) => (statSync(p).isDirectory() ? newest(p) : statSync(p).mtimeMs)));
const stale = built.some((f) => !existsSync(f) || newestSource > statSync(f).mtimeMs);
if (stale) {
  process.stderr.write('Building Sluice (panel, desktop shell, headless CLI)…\n');
  execFileSync(join(root, 'node_modules/.bin/electron-vite'), ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
