import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../src/engine/clock.ts';
import { MemoryStore } from '../src/engine/cache/memory-store.ts';
import { SqliteStore } from '../src/engine/cache/sqlite-store.ts';
import { cacheStoreContract } from './cache-store-contract.ts';

cacheStoreContract('MemoryStore', ({ maxBytes, staleMaxMs }) => ({
  store: new MemoryStore({ maxBytes, staleMaxMs }),
  clock: new ManualClock(),
}));

cacheStoreContract('SqliteStore', ({ maxBytes, staleMaxMs }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cache-contract-'));
  const clock = new ManualClock();
  const make = () => new SqliteStore({ location: path.join(dir, 'cache.db'), maxBytes, staleMaxMs, clock });
  let store = make();
  return {
    store,
    clock,
    reopen: () => { store.close(); store = make(); return store; },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
