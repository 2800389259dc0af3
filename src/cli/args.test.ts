import { describe, expect, it } from 'vitest';
import { logLevelFromEnv, parseArgs, USAGE, UsageError } from './args.ts';

describe('sluice command line', () => {
  it('serve takes host, port, data dir, config and log level, in both --flag value and --flag=value forms', () => {
    expect(parseArgs(['serve', '--host', '127.0.0.2', '--port=0', '--data-dir', '/d', '--config=/c.json', '--log-level', 'debug'])).toEqual({
      command: 'serve', host: '127.0.0.2', port: 0, dataDir: '/d', config: '/c.json', logLevel: 'debug',
    });
  });

  it('defaults to serve, and its usage says so', () => {
    expect(parseArgs([])).toEqual({ command: 'serve' });
    expect(USAGE).toMatch(/serve .*the default/s);
    expect(USAGE).toContain('`sluice` alone serves');
  });

  it.each([
    [['serve', '--port', '99999'], /--port must be a number/],
    [['serve', '--port', 'abc'], /--port must be a number/],
    [['serve', '--host'], /--host needs a value/],
    [['serve', '--bogus'], /Unknown option '--bogus'/],
    [['frobnicate'], /Unknown command 'frobnicate'/],
  ])('%j is refused with a message saying what is wrong', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('knows help, version and bench', () => {
    expect(parseArgs(['--help']).command).toBe('help');
    expect(parseArgs(['version']).command).toBe('version');
    // as `npm run serve -- --version` passes them: after serve
    expect(parseArgs(['serve', '--version']).command).toBe('version');
    expect(parseArgs(['serve', '--port', '0', '-h']).command).toBe('help');
    expect(parseArgs(['bench', '--concurrency', '4'])).toEqual({ command: 'bench', argv: ['--concurrency', '4'] });
  });

  it('SLUICE_LOG_LEVEL is checked like --log-level; unset or empty leaves the default', () => {
    expect(logLevelFromEnv({ SLUICE_LOG_LEVEL: 'warn' })).toBe('warn');
    expect(logLevelFromEnv({})).toBeUndefined();
    expect(logLevelFromEnv({ SLUICE_LOG_LEVEL: '' })).toBeUndefined();
    expect(() => logLevelFromEnv({ SLUICE_LOG_LEVEL: 'verbose' })).toThrow(UsageError);
    expect(() => logLevelFromEnv({ SLUICE_LOG_LEVEL: 'verbose' })).toThrow("SLUICE_LOG_LEVEL must be debug, info, warn or error, got 'verbose'.");
  });

  it('the help names the environment variable of every serve option', () => {
    expect(parseArgs(['serve', '--help']).command).toBe('help');
    for (const env of ['SLUICE_HOST', 'SLUICE_PORT', 'SLUICE_DATA_DIR', 'SLUICE_CONFIG']) expect(USAGE).toContain(`env ${env}`);
    expect(USAGE).toMatch(/--log-level .*env SLUICE_LOG_LEVEL/);
  });
});
