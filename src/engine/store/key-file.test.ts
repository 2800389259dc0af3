import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyFile } from './key-file.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
const dir = () => { const d = mkdtempSync(join(tmpdir(), 'sluice-keys-')); dirs.push(d); return d; };

describe('KeyFile', () => {
  it('round-trips keys in keys.json, readable by the owner only, whatever the umask', () => {
    const d = dir();
    const old = process.umask(0o000);
    try {
      new KeyFile({ dir: d }).write({ openai: 'sk-one', other: 'sk-two' });
    } finally {
      process.umask(old);
    }
    expect(statSync(join(d, 'keys.json')).mode & 0o777).toBe(0o600);
    expect(new KeyFile({ dir: d }).read()).toEqual({ openai: 'sk-one', other: 'sk-two' });
  });

  it('tightens a file someone made readable, ignores junk, and removes the file when no key is left', () => {
    const d = dir();
    const file = join(d, 'keys.json');
    writeFileSync(file, JSON.stringify({ a: 'sk-a', b: 42, c: '' }));
    chmodSync(file, 0o644);
    expect(new KeyFile({ dir: d }).read()).toEqual({ a: 'sk-a' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, '{not json');
    expect(new KeyFile({ dir: d }).read()).toEqual({});
    new KeyFile({ dir: d }).write({});
    expect(existsSync(file)).toBe(false);
    expect(new KeyFile({ dir: d }).read()).toEqual({});
  });

  it('replaces the file atomically (no temp file left behind)', () => {
    const d = dir();
    const kf = new KeyFile({ dir: d });
    kf.write({ a: 'sk-1' });
    kf.write({ a: 'sk-2' });
    expect(JSON.parse(readFileSync(join(d, 'keys.json'), 'utf8'))).toEqual({ a: 'sk-2' });
    expect(existsSync(`${join(d, 'keys.json')}.${process.pid}.tmp`)).toBe(false);
  });

  it("keeps Sluice's own secrets apart from provider keys: writing either leaves the other as it was", () => {
    const d = dir();
    const kf = new KeyFile({ dir: d });
    kf.write({ openai: 'sk-one' });
    kf.setSecret('alerts:webhookHeaders', '{"x-token":"abc"}');
    kf.write({ openai: 'sk-two' });
    expect(kf.read()).toEqual({ openai: 'sk-two' });
    expect(kf.secret('alerts:webhookHeaders')).toBe('{"x-token":"abc"}');
    kf.write({});
    expect(kf.secret('alerts:webhookHeaders')).toBe('{"x-token":"abc"}');
    kf.setSecret('alerts:webhookHeaders', undefined);
    expect(existsSync(join(d, 'keys.json'))).toBe(false);
    expect(() => kf.setSecret('openai', 'x')).toThrow(/named with a ':'/);
  });

  it('refuses a missing folder option', () => {
    expect(() => new KeyFile({ dir: '' })).toThrow(/dir must be a folder path/);
  });
});
