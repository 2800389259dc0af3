// Request and alert ids: 24 hex characters, the first 11 the wall-clock ms, the last 13 random.
// Ids made later sort after earlier ones, so the request log's id index grows at its right edge;
// with fully random ids every insert landed on a random page of that index, which made a logged
// request cost 18 µs of the event loop instead of 6.5 (measured with 100,000 rows kept).
import { randomUUID } from 'node:crypto';

export function timeOrderedId(nowMs: number): string {
  const time = Math.max(0, Math.floor(nowMs)).toString(16).padStart(11, '0').slice(-11);
  // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx: past the version (4) and variant (V) digits, all random
  const u = randomUUID();
  return time + u.slice(20, 23) + u.slice(24, 34);
}
