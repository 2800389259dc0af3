// The `sluice serve` options the desktop app honours too (npm start passes them on to Electron):
// --host, --port, --data-dir, --config, --log-level, and the same environment variables.
// Electron and Chromium add switches of their own to argv, so anything else is left alone.
import { logLevelFromEnv, parseArgs, type ServeArgs } from '../cli/args.ts';

const OURS = new Set(['--host', '--port', '--data-dir', '--config', '--log-level']);

/** Our options from an Electron argv (throws UsageError on a bad value, like the CLI). */
export function launchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ServeArgs {
  const picked: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const flag = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    if (!OURS.has(flag)) continue;
    picked.push(arg);
    if (!arg.includes('=') && i + 1 < argv.length) picked.push(argv[++i]);
  }
  const args = parseArgs(['serve', ...picked]) as ServeArgs;
  return {
    ...args,
    dataDir: args.dataDir ?? (env.SLUICE_DATA_DIR || undefined),
    logLevel: args.logLevel ?? logLevelFromEnv(env),
  };
}
