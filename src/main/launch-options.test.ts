import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli/args.ts';
import { launchOptions } from './launch-options.ts';

describe('launchOptions', () => {
  it('takes the serve options from an Electron argv and leaves Chromium switches alone', () => {
    const argv = ['/opt/electron', '/app', '--no-sandbox', '--port', '9000', '--data-dir=/tmp/s', '--enable-logging', '--host', '127.0.0.1'];
    expect(launchOptions(argv, {})).toEqual({ command: 'serve', port: 9000, dataDir: '/tmp/s', host: '127.0.0.1', logLevel: undefined });
  });

  it('falls back to SLUICE_DATA_DIR and SLUICE_LOG_LEVEL; flags win', () => {
    expect(launchOptions([], { SLUICE_DATA_DIR: '/data', SLUICE_LOG_LEVEL: 'debug' })).toMatchObject({ dataDir: '/data', logLevel: 'debug' });
    expect(launchOptions(['--data-dir', '/flag'], { SLUICE_DATA_DIR: '/data' }).dataDir).toBe('/flag');
  });

  it('refuses a bad value the way the CLI does', () => {
    expect(() => launchOptions(['--port', 'many'], {})).toThrow(UsageError);
    expect(() => launchOptions([], { SLUICE_LOG_LEVEL: 'verbose' })).toThrow(/SLUICE_LOG_LEVEL must be debug, info, warn or error/);
  });
});
