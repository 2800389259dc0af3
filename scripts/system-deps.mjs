// The programs the test suite drives for real: Chromium (panel e2e), espeak-ng (offline speech),
// promtool (Prometheus exposition check). Installed with apt when missing and we are root;
// elsewhere a clear message says what to install.
import { execFileSync, spawnSync } from 'node:child_process';

export const SYSTEM_DEPS = [
  { bin: 'chromium', pkg: 'chromium', why: 'browser tests of the control panel' },
  { bin: 'espeak-ng', pkg: 'espeak-ng', why: 'offline text-to-speech tests' },
  { bin: 'promtool', pkg: 'prometheus', why: 'checking the /metrics exposition' },
  { check: 'fc-list :lang=zh family | grep -q .', pkg: 'fonts-noto-cjk', why: 'Chinese text in the panel screenshots and browser tests' },
];

const has = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
const present = (d) => (d.bin ? has(d.bin) : spawnSync('sh', ['-c', d.check], { stdio: 'ignore' }).status === 0);

export function ensureSystemDeps({ quiet = false } = {}) {
  const missing = SYSTEM_DEPS.filter((d) => !present(d));
  if (missing.length === 0) return true;
  const pkgs = [...new Set(missing.map((d) => d.pkg))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.platform === 'linux' && isRoot && has('apt-get')) {
    if (!quiet) process.stderr.write(`Installing ${pkgs.join(', ')} with apt (needed for: ${missing.map((d) => d.why).join('; ')})…\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: ['ignore', 'ignore', 'inherit'], env });
    return SYSTEM_DEPS.every(present);
  }
  process.stderr.write(
    `The test suite needs these programs, which are missing:\n` +
      missing.map((d) => `  - ${d.bin ?? d.pkg} (package '${d.pkg}'): ${d.why}`).join('\n') +
      `\nInstall them with your package manager (Debian/Ubuntu: sudo apt-get install ${pkgs.join(' ')}) and run the tests again.\n`,
  );
  return false;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(ensureSystemDeps() ? 0 : 1);
