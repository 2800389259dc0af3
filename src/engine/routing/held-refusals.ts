// Budget refusals held until a request would go upstream. An exhausted budget that refuses stops
// spending, not answers that cost nothing: a refused request is still routed to the targets it would
// have used (the cache is keyed on them), so a cache hit, a stale entry or an identical request in
// flight can still answer it, and the refusal is thrown only in front of the upstream call.
//
// The refusal travels with the request's targets: the route stage gives the request its own copies and
// holds the refusal against them. The contexts later stages derive from a request (the coalesced call,
// the sentences of a speech request) copy its target list, and so carry the refusal with it.
import type { Target } from '../../shared/targets.ts';
import type { SluiceError } from '../errors.ts';
import type { RequestContext } from '../pipeline/context.ts';

export class HeldRefusals {
  #byTarget = new WeakMap<Target, SluiceError>();

  /** Copies of `targets`, for one request only, that carry `refusal`. */
  hold(targets: readonly Target[], refusal: SluiceError): Target[] {
    return targets.map((t) => {
      const own = { ...t };
      this.#byTarget.set(own, refusal);
      return own;
    });
  }

  /** The refusal the context's targets carry, if any. */
  of(ctx: Pick<RequestContext, 'targets'>): SluiceError | undefined {
    const first = ctx.targets[0];
    return first === undefined ? undefined : this.#byTarget.get(first);
  }
}
