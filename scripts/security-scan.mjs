// Scans the Electron shell with Doyensec's Electronegativity and fails on any HIGH finding.
// The scanner (and its old toolchain) is installed on first use into node_modules/.cache, so it
// stays out of the app's dependency tree.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const VERSION = '1.10.3';
const prefix = join(root, 'node_modules/.cache/electronegativity');
const bin = join(prefix, 'node_modules/.bin/electronegativity');
if (!existsSync(bin)) {
  mkdirSync(prefix, { recursive: true });
  process.stdout.write(`Installing @doyensec/electronegativity@${VERSION} (first run)…\n`);
  execFileSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', `@doyensec/electronegativity@${VERSION}`], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const out = join(prefix, 'findings.csv');
execFileSync(bin, ['-i', join(root, 'src'), '-r', '-e', '45.4.1', '-o', out], { stdio: ['ignore', 'ignore', 'ignore'], timeout: 300_000 });
const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
const bySeverity = {};
for (const r of rows) bySeverity[r[1].replaceAll('"', '')] = (bySeverity[r[1].replaceAll('"', '')] ?? 0) + 1;
const high = rows.filter((r) => r[1].includes('HIGH') || r[1].includes('CRITICAL'));
process.stdout.write(`Electronegativity: ${rows.length} findings ${JSON.stringify(bySeverity)}\n`);
for (const r of rows) process.stdout.write(`  ${r[1].replaceAll('"', '').padEnd(8)} ${r[0]} ${r[3]}:${r[4]}\n`);
if (high.length) {
  process.stdout.write(`✗ ${high.length} high-severity findings\n`);
  process.exit(1);
}
