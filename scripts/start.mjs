// `npm start`: the desktop app where Electron can start; otherwise the headless host, which
// prints the control-panel URL. (No display, or no Electron runtime — as on CI machines — means headless.)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_CHILD_STDIO, superviseHostChild } from './host-child.mjs';
import { HOST_ENV, HOST_NODE_FLAGS, HOST_V8_FLAGS } from './host-node-flags.mjs';

const root = new URL('..', import.meta.url).pathname;
const node = process.execPath;
const args = process.argv.slice(2);

spawnSync(node, [join(root, 'scripts/ensure-ui.mjs')], { stdio: 'inherit' });

function electronBinary() {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const electron = electronBinary();
const forceHeadless = args.includes('--headless') || process.env.SLUICE_HEADLESS === '1';
// --help and --version answer and exit: no window, and no banner about a URL that will not follow
const justAsking = args.some((a) => ['--help', '-h', '--version', '-v'].includes(a));

let child;
if (electron && hasDisplay && !forceHeadless && !justAsking) {
  // Electron's main process hosts the engine; it takes V8 flags only from its command line
  child = spawn(electron, [`--js-flags=${HOST_V8_FLAGS.join(' ')}`, root, ...args.filter((a) => a !== '--headless')], { stdio: 'inherit', env: { ...process.env, ...HOST_ENV } });
} else {
  const why = forceHeadless ? 'headless requested' : !electron ? 'the Electron runtime is not installed' : 'no display';
  if (!justAsking) process.stderr.write(`Starting Sluice headless (${why}); open the control-panel URL below in a browser.\n`);
  child = spawn(node, [...HOST_NODE_FLAGS, join(root, 'out/main/cli.js'), 'serve', ...args.filter((a) => a !== '--headless')], { stdio: HOST_CHILD_STDIO, env: { ...process.env, ...HOST_ENV } });
}
superviseHostChild(child);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
