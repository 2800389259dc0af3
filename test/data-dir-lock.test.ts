// One Sluice per data dir, in one process as in two: a second engine on a data dir in use is refused
// before it opens anything there, and the dir is free again once the first stops.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let dataDir: string;
const running: TestEngine[] = [];
const start = async () => {
  const e = await startTestEngine({ dataDir, keepDataDir: true });
  running.push(e);
  return e;
};
beforeEach(() => { dataDir = mkdtempSync(join(tmpdir(), 'sluice-lock-engines-')); });
afterEach(async () => {
  for (const e of running.splice(0)) await e.stop().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the data dir lock', () => {
  it('refuses a second engine on the same data dir, naming the first; once the first stops, the dir is free', async () => {
    const first = await start();
    await first.admin('/admin/api/settings', { method: 'PUT', body: JSON.stringify({ cacheTtlSeconds: 60 }) });
    await expect(start()).rejects.toMatchObject({
      code: 'SLUICE_DATA_DIR_IN_USE',
      message: expect.stringContaining(`data dir ${dataDir} is in use by another Sluice (pid ${process.pid}, at ${first.url}, `),
    });
    expect(((await (await first.admin('/admin/api/settings')).json()) as { cacheTtlSeconds: number }).cacheTtlSeconds).toBe(60);
    await first.stop();
    running.splice(running.indexOf(first), 1);
    expect(existsSync(join(dataDir, 'sluice.lock.json'))).toBe(false);
    const next = await start();
    expect(((await (await next.admin('/admin/api/settings')).json()) as { cacheTtlSeconds: number }).cacheTtlSeconds).toBe(60);
  });
});
