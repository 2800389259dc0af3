import { describe, expect, it } from 'vitest';
import { requestContext } from '../../../test/helpers/request-context.ts';
import { ManualClock } from '../clock.ts';
import { BudgetExceededError } from '../errors.ts';
import type { Handler, ProxyResult, RequestContext } from '../pipeline/context.ts';
import { createCoalesceStage } from './coalesce-stage.ts';

function ctx(id: string, refused = false): RequestContext {
  return requestContext({ id, client: id, cacheKey: 'same-key', notes: { refused } });
}

const answer = (): ProxyResult => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"ok":true}') });

/** The upstream gate behind the stage: a held refusal rejects at once; anything else reaches the upstream after a turn. */
function upstream(calls: string[]): Handler {
  return async (c) => {
    if (c.notes.refused) throw new BudgetExceededError("Budget 'b' is exhausted.");
    calls.push(c.id);
    await new Promise((r) => setImmediate(r));
    c.served = c.targets[0];
    c.attempts = 1;
    return answer();
  };
}

describe('coalesce stage', () => {
  it('lets a request a budget refuses share a call in flight, but never lead one its followers would inherit', async () => {
    const calls: string[] = [];
    const stage = createCoalesceStage({ clock: new ManualClock(), mayLead: (c) => !c.notes.refused })(upstream(calls));

    // refused first, an identical unrefused request in the same turn: each gets its own answer
    const [refused, free] = await Promise.allSettled([stage(ctx('refused', true)), stage(ctx('free'))]);
    expect(refused.status).toBe('rejected');
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(BudgetExceededError);
    expect(free.status).toBe('fulfilled');
    expect(calls).toEqual(['free']);

    // unrefused first: the refused one shares its call, which costs nothing more
    const follower = ctx('follower', true);
    const [lead, shared] = await Promise.all([stage(ctx('lead')), stage(follower)]);
    expect([lead.status, shared.status]).toEqual([200, 200]);
    expect(follower.cacheResult).toBe('coalesced');
    expect(calls).toEqual(['free', 'lead']);
  });

  it('without the mayLead check, the refused leader’s 429 would be its follower’s answer too (what the check prevents)', async () => {
    const stage = createCoalesceStage({ clock: new ManualClock() })(upstream([]));
    const results = await Promise.allSettled([stage(ctx('refused', true)), stage(ctx('free'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
