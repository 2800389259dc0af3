import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../errors.ts';
import { HeldRefusals } from './held-refusals.ts';

describe('HeldRefusals', () => {
  it('marks copies of the targets, which the contexts derived from a request carry', () => {
    const held = new HeldRefusals();
    const shared = [{ provider: 'a', model: 'm' }, { provider: 'b', model: 'm' }];
    const refusal = new BudgetExceededError("Budget 'x' is exhausted.");
    const own = held.hold(shared, refusal);
    expect(own).toEqual(shared);
    expect(held.of({ targets: own })).toBe(refusal);
    expect(held.of({ targets: [...own] })).toBe(refusal); // a sentence or coalesced copy of the context
    expect(held.of({ targets: shared })).toBeUndefined(); // other requests routed to the same targets
    expect(held.of({ targets: [{ ...own[0] }] })).toBeUndefined();
    expect(held.of({ targets: [] })).toBeUndefined();
  });
});
