// `npm test`: every check, in order — system programs, types, lint, unit and integration tests,
// the panel build, and the browser tests. Stops at the first failing step, exits non-zero.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureSystemDeps } from './system-deps.mjs';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules/.bin', name);

if (!ensureSystemDeps()) process.exit(1);

const steps = [
  ['typecheck (engine, CLI, desktop shell)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.node.json']],
  ['typecheck (control panel)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.web.json']],
  ['lint', bin('eslint'), ['--max-warnings=0', '.']],
  ['unit and integration tests', bin('vitest'), ['run']],
  ['build (panel, main, preload)', bin('electron-vite'), ['build']],
  ['security scan of the Electron shell (no HIGH findings)', process.execPath, [join(root, 'scripts/security-scan.mjs')]],
  ['browser tests of the panel', bin('playwright'), ['test']],
];

for (const [name, cmd, args] of steps) {
  process.stdout.write(`\n▶ ${name}\n`);
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR } });
  if (r.status !== 0) {
    process.stdout.write(`\n✗ ${name} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status || 1);
  }
  process.stdout.write(`✓ ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)\n`);
}
process.stdout.write('\nAll checks passed.\n');
