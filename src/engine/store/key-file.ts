// Provider keys at rest when no OS keychain seals them (the headless host): a separate
// `keys.json` in the data dir, readable and writable by this user only (0600), written atomically.
// Keeping them out of sluice.db means the database, its WAL and its backups never hold a key.
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const KEY_FILE_NAME = 'keys.json';

export interface KeyFileOptions {
  /** Folder holding keys.json (the data dir). */
  dir: string;
}

export class KeyFile {
  readonly path: string;

  constructor(opts: KeyFileOptions) {
    if (!opts || typeof opts.dir !== 'string' || opts.dir === '') throw new TypeError('KeyFile: dir must be a folder path');
    this.path = join(opts.dir, KEY_FILE_NAME);
  }

  /** Keys by provider id; empty when the file does not exist or cannot be read. */
  read(): Record<string, string> {
    if (!existsSync(this.path)) return {};
    try {
      if ((statSync(this.path).mode & 0o077) !== 0) chmodSync(this.path, 0o600);
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
      const out: Record<string, string> = {};
      for (const [id, key] of Object.entries(parsed)) if (typeof key === 'string' && key) out[id] = key;
      return out;
    } catch {
      return {};
    }
  }

  /** Replace the stored keys (atomically: a temp file created 0600, synced, renamed over). Empty removes the file. */
  write(keys: Record<string, string>): void {
    if (Object.keys(keys).length === 0) {
      if (existsSync(this.path)) unlinkSync(this.path);
      return;
    }
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(keys, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }
}
