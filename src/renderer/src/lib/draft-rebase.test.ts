import { describe, expect, it } from 'vitest';
import { editedFields, rebaseDraft, rebaseJsonDraft, sameJson } from './draft-rebase.ts';

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

describe('rebaseJsonDraft (a rule’s JSON view)', () => {
  const before = JSON.stringify({ id: 'r1', name: 'one', enabled: true, when: {} }, null, 2);
  it('takes the switch turned meanwhile, and keeps the keys the person changed, added and removed', () => {
    const draft = JSON.stringify({ id: 'r1', name: 'renamed', enabled: true, action: { alias: 'fast' } });
    const after = JSON.stringify({ id: 'r1', name: 'one', enabled: false, when: {} });
    expect(JSON.parse(rebaseJsonDraft(draft, before, after)!)).toEqual({ id: 'r1', name: 'renamed', enabled: false, action: { alias: 'fast' } });
  });

  it('leaves a draft that is not a JSON object as typed', () => {
    expect(rebaseJsonDraft('{ "id": "r1", ', before, before)).toBeNull();
    expect(rebaseJsonDraft('[1]', before, before)).toBeNull();
  });
});
