import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirError } from '../errors.ts';
import { DataDirLock, LOCK_HOLDER_FILE } from './data-dir-lock.ts';

let dir: string;
const held: DataDirLock[] = [];
const acquire = (pid = process.pid) => {
  const lock = DataDirLock.acquire({ dir, holder: { pid, host: 'headless', startedAt: Date.UTC(2026, 11, 3, 20, 0) } });
  held.push(lock);
  return lock;
};
const refusal = (): DataDirError => {
  try {
    acquire();
  } catch (err) {
    return err as DataDirError;
  }
  throw new Error('the second lock was granted');
};

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'sluice-lock-')); });
afterEach(() => {
  for (const l of held.splice(0)) l.release();
  rmSync(dir, { recursive: true, force: true });
});

describe('DataDirLock', () => {
  it('refuses a second holder, naming the first one (pid, URL, start) and what to do', () => {
    acquire(4242).announce('http://127.0.0.1:18540');
    const err = refusal();
    expect(err).toBeInstanceOf(DataDirError);
    expect(err.code).toBe('SLUICE_DATA_DIR_IN_USE');
    expect(err.message).toBe(`data dir ${dir} is in use by another Sluice (pid 4242, at http://127.0.0.1:18540, started 2026-12-03T20:00:00.000Z). `
      + 'Two on one data dir would overwrite each other\'s settings. Stop that one, or give this one a data dir of its own: --data-dir <path> or SLUICE_DATA_DIR.');
  });

  it('says the holder is not listening yet before it announces its URL', () => {
    acquire(4242);
    expect(refusal().message).toContain('(pid 4242, not listening yet, started ');
  });

  it('is free again once released, and the holder file is gone', () => {
    acquire().release();
    expect(existsSync(join(dir, LOCK_HOLDER_FILE))).toBe(false);
    acquire();
    expect(JSON.parse(readFileSync(join(dir, LOCK_HOLDER_FILE), 'utf8'))).toMatchObject({ pid: process.pid, url: null });
  });

  it('is taken over when the holder file names a process that is gone (the OS dropped its lock)', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(dir, LOCK_HOLDER_FILE), JSON.stringify({ pid: dead, host: 'headless', startedAt: 0, url: 'http://127.0.0.1:1' }));
    acquire().announce('http://127.0.0.1:2');
    expect(JSON.parse(readFileSync(join(dir, LOCK_HOLDER_FILE), 'utf8'))).toMatchObject({ pid: process.pid, url: 'http://127.0.0.1:2' });
  });
});
