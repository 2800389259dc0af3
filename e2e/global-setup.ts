// Builds the panel and the headless CLI bundle the browser tests run (scripts/ensure-ui.mjs: only
// when the build is missing or older than its sources).
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

export default function globalSetup(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts/ensure-ui.mjs')], { cwd: ROOT, stdio: 'inherit' });
}
