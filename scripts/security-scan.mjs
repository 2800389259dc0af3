// Scans the Electron shell with Doyensec's Electronegativity and fails on any HIGH finding.
// The scanner (and its old toolchain) is installed on first use into node_modules/.cache, so it
// stays out of the app's dependency tree.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
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
const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

// Run offline (see offline-got.cjs): the scanner's own network fetches crash it where requests time out.
// The scanner writes the CSV header and the rows with two fs.writeFile calls it does not wait for (one
// truncating, one appending); on a libuv pool of several threads the header can land over the start of
// the rows. One pool thread runs them in the order they were issued.
const entry = realpathSync(bin);
function scan() {
  rmSync(out, { force: true }); // the scanner overwrites in place: a shorter report would keep a stale tail
  return spawnSync(process.execPath, ['-r', join(root, 'scripts/offline-got.cjs'), entry, '-i', join(root, 'src'), '-r', '-e', '45.4.1', '-o', out], {
    encoding: 'utf8', timeout: 300_000, env: { ...process.env, UV_THREADPOOL_SIZE: '1' },
  });
}

/** RFC 4180 rows: fields may be quoted, and quoted fields may hold commas, quotes ("") and newlines. */
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field.trim()); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field.trim()); field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  row.push(field.trim());
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

const run = scan();
if (run.status !== 0 || !existsSync(out)) {
  process.stdout.write(`${run.stdout ?? ''}\n${run.stderr ?? ''}\n${run.error ? String(run.error) : ''}\n`);
  process.stdout.write(`✗ Electronegativity failed (exit ${run.status ?? run.signal})\n`);
  process.exit(1);
}
const [header, ...rows] = parseCsv(readFileSync(out, 'utf8'));
const col = (name) => header.findIndex((h) => h.toLowerCase() === name);
const [ISSUE, SEVERITY, FILE, LOCATION] = ['issue', 'severity', 'filename', 'location'].map(col);
if ([ISSUE, SEVERITY, FILE, LOCATION].includes(-1)) {
  process.stdout.write(`✗ unexpected report header: ${header.join(', ')}\n`);
  process.exit(1);
}
const unreadable = rows.filter((r) => !SEVERITIES.includes(r[SEVERITY]));
if (unreadable.length) {
  // never pass a scan whose findings we could not read
  process.stdout.write(`✗ ${unreadable.length} findings with no readable severity:\n${unreadable.map((r) => `  ${r.join(' | ')}`).join('\n')}\n`);
  process.exit(1);
}
const bySeverity = {};
for (const r of rows) bySeverity[r[SEVERITY]] = (bySeverity[r[SEVERITY]] ?? 0) + 1;
const high = rows.filter((r) => r[SEVERITY] === 'HIGH' || r[SEVERITY] === 'CRITICAL');
process.stdout.write(`Electronegativity: ${rows.length} findings ${JSON.stringify(bySeverity)}\n`);
for (const r of rows) process.stdout.write(`  ${r[SEVERITY].padEnd(8)} ${r[ISSUE]} ${r[FILE]}:${r[LOCATION]}\n`);
if (high.length) {
  process.stdout.write(`✗ ${high.length} high-severity findings\n`);
  process.exit(1);
}
