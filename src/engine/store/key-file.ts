// Provider keys at rest when no OS keychain seals them (the headless host): a separate
// `keys.json` in the data dir, readable and writable by this user only (0600), written atomically.
// Keeping them out of sluice.db means the database, its WAL and its backups never hold a key. Sluice's
// own secrets (alert webhook headers) are kept there too, under names with a ':'.
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const KEY_FILE_NAME = 'keys.json';

export interface KeyFileOptions {
  /** Folder holding keys.json (the data dir). */
  dir: string;
}

/** A provider id never has a ':' (validate-config.ts), so Sluice's own secrets, named with one, never meet a provider's key. */
const isOwnSecret = (name: string): boolean => name.includes(':');
function ownName(name: string): string {
  if (!isOwnSecret(name)) throw new TypeError(`KeyFile: a secret of Sluice's own is named with a ':' (got '${name}')`);
  return name;
}

export class KeyFile {
  readonly path: string;

  constructor(opts: KeyFileOptions) {
    if (!opts || typeof opts.dir !== 'string' || opts.dir === '') throw new TypeError('KeyFile: dir must be a folder path');
    this.path = join(opts.dir, KEY_FILE_NAME);
  }

  /** Keys by provider id; empty when the file does not exist or cannot be read. */
  read(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.#readAll()).filter(([name]) => !isOwnSecret(name)));
  }

  /** Replace the stored provider keys (atomically), keeping Sluice's own secrets. No key and no secret left removes the file. */
  write(keys: Record<string, string>): void {
    const own = Object.entries(this.#readAll()).filter(([name]) => isOwnSecret(name));
    this.#writeAll({ ...Object.fromEntries(own), ...keys });
  }

  /** One of Sluice's own secrets (not a provider key), by a name with a ':' such as `alerts:webhookHeaders`. */
  secret(name: string): string | undefined {
    return this.#readAll()[ownName(name)];
  }

  /** Keep (or, undefined or '', remove) one of Sluice's own secrets, leaving the provider keys as they are. */
  setSecret(name: string, value: string | undefined): void {
    const all = this.#readAll();
    if (value) all[ownName(name)] = value;
    else delete all[ownName(name)];
    this.#writeAll(all);
  }

  #readAll(): Record<string, string> {
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

  /** Replace the file (atomically: a temp file created 0600, synced, renamed over). Empty removes the file. */
  #writeAll(entries: Record<string, string>): void {
    if (Object.keys(entries).length === 0) {
      if (existsSync(this.path)) unlinkSync(this.path);
      return;
    }
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(entries, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }
}
