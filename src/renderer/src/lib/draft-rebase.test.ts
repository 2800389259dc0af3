import { describe, expect, it } from 'vitest';
import { rebaseDraft } from './draft-rebase.ts';

describe('rebaseDraft', () => {
  it('keeps what the user edited and takes the server’s value for the rest', () => {
    const before = { ttl: 3600, logBodies: false, rows: 1000 };
    const draft = { ttl: 1800, logBodies: false, rows: 1000 }; // TTL typed, not saved yet
    const after = { ttl: 3600, logBodies: true, rows: 1000 }; // a switch saved logBodies
    expect(rebaseDraft(draft, before, after)).toEqual({ ttl: 1800, logBodies: true, rows: 1000 });
  });

  it('takes the server object as it is when there is no draft yet', () => {
    expect(rebaseDraft(null, null, { a: 1 })).toEqual({ a: 1 });
  });
});
