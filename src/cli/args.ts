// Command-line parsing for `sluice`: small, strict, with messages that say what to type instead.
import type { LogLevel } from '../engine/logger.ts';

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

function isLogLevel(v: string): v is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(v);
}

export interface ServeArgs {
  command: 'serve';
  host?: string;
  port?: number;
  dataDir?: string;
  config?: string;
  logLevel?: LogLevel;
}

export type CliArgs = ServeArgs | { command: 'help' } | { command: 'version' } | { command: 'bench'; argv: string[] };

export class UsageError extends Error {}

export const USAGE = `Usage: sluice [command] [options]

Commands:
  serve            Start the gateway and the control panel (headless); the default:
                   \`sluice\` alone serves, on 127.0.0.1:8640 and the default data dir
                   unless the environment (SLUICE_PORT, SLUICE_DATA_DIR …) says otherwise
  bench            Run a load test against a running Sluice (see: sluice bench --help)
  help             Show this help
  version          Print the version

Options for serve:
  --host <addr>        Listen address (default 127.0.0.1; env SLUICE_HOST)
  --port <n>           Port, 0 picks a free one (default 8640; env SLUICE_PORT)
  --data-dir <path>    Where sluice.db lives (env SLUICE_DATA_DIR)
  --config <file>      JSON config file (env SLUICE_CONFIG)
  --log-level <level>  debug | info | warn | error (default info; env SLUICE_LOG_LEVEL)
`;

/** SLUICE_LOG_LEVEL, checked like --log-level; undefined when unset or empty. */
export function logLevelFromEnv(env: Record<string, string | undefined>): LogLevel | undefined {
  const v = env.SLUICE_LOG_LEVEL;
  if (v === undefined || v === '') return undefined;
  if (!isLogLevel(v)) throw new UsageError(`SLUICE_LOG_LEVEL must be debug, info, warn or error, got '${v}'.`);
  return v;
}

export function parseArgs(argv: string[]): CliArgs {
  // no command serves, as the usage says
  const [command = 'serve', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'version' || command === '--version' || command === '-v') return { command: 'version' };
  if (command === 'bench') return { command: 'bench', argv: rest };
  if (command !== 'serve') throw new UsageError(`Unknown command '${command}'.`);
  const out: ServeArgs = { command: 'serve' };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? rest[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '--host': out.host = value(); break;
      case '--port': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got '${v}'.`);
        out.port = n;
        break;
      }
      case '--data-dir': out.dataDir = value(); break;
      case '--config': out.config = value(); break;
      case '--log-level': {
        const v = value();
        if (!isLogLevel(v)) throw new UsageError(`--log-level must be debug, info, warn or error.`);
        out.logLevel = v;
        break;
      }
      case '--help': case '-h': return { command: 'help' };
      case '--version': case '-v': return { command: 'version' };
      default: throw new UsageError(`Unknown option '${arg}'.`);
    }
  }
  return out;
}
