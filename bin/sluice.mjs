#!/usr/bin/env node
// The `sluice` command (npm link, npx sluice). The CLI is TypeScript run by Node's own type stripping
// (Node ≥ 22.18 / 23.6): on such a Node it runs here; on an older one it runs under the Node 24 that
// `npm ci` put in node_modules, or says what is missing. `sluice serve` (or `sluice` alone) gets the host's Node flags.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HOST_CHILD_STDIO, superviseHostChild } from '../scripts/host-child.mjs';
import { HOST_ENV, HOST_NODE_FLAGS } from '../scripts/host-node-flags.mjs';

const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

// no command is `serve` (the CLI's default), which needs the host's flags as much
const serving = process.argv[2] === 'serve' || process.argv[2] === undefined;

if (process.features.typescript && !serving) {
  await import(cli);
} else {
  // `serve` runs in a child either way: the host's Node flags must be given at process start.
  const node = process.features.typescript ? process.execPath : fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
  if (!existsSync(node)) {
    process.stderr.write(`sluice needs Node 24 (it runs its TypeScript sources directly); this is Node ${process.versions.node}.\n`
      + 'Run `npm ci` in the sluice folder (it installs Node 24 on Linux x64), or install Node 24.\n');
    process.exit(1);
  }
  const child = spawn(node, ['--disable-warning=ExperimentalWarning', ...(serving ? HOST_NODE_FLAGS : []), cli, ...process.argv.slice(2)], {
    stdio: serving ? HOST_CHILD_STDIO : 'inherit', env: serving ? { ...process.env, ...HOST_ENV } : process.env,
  });
  if (serving) superviseHostChild(child);
  else for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => { if (signal) process.kill(process.pid, signal); else process.exit(code ?? 1); });
}
