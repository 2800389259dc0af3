import { describe, expect, it } from 'vitest';
import { editedFields, rebaseDraft, sameJson } from './draft-rebase.ts';

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

describe('rebaseDraft over a rule form (lists compared by what they hold)', () => {
  const before = { name: 'A', endpoints: ['chat'], maxTokens: '' };

  it('keeps the typed name and limit while another window’s change of the endpoints comes through', () => {
    const draft = { name: 'B edit', endpoints: ['chat'], maxTokens: '5000' };
    const after = { name: 'A', endpoints: ['chat', 'embeddings'], maxTokens: '' };
    expect(rebaseDraft(draft, before, after, sameJson)).toEqual({ name: 'B edit', endpoints: ['chat', 'embeddings'], maxTokens: '5000' });
    expect(editedFields(draft, before, sameJson)).toEqual(['name', 'maxTokens']);
  });

  it('sees no edit in a list rebuilt with the same items', () => {
    expect(editedFields({ ...before, endpoints: ['chat'] }, before, sameJson)).toEqual([]);
    expect(editedFields({ ...before, endpoints: ['chat'] }, before)).toEqual(['endpoints']);
  });
});
