// Resolve the requested model to the targets to try, in order.
import type { Endpoint, Target } from '../../shared/targets.ts';
import type { Stage } from './context.ts';

export type ResolveTargets = (model: string, endpoint: Endpoint, ctx: Parameters<ReturnType<Stage>>[0]) => Target[];

export function createRouteStage(resolve: ResolveTargets): Stage {
  return (next) => async (ctx) => {
    ctx.targets = resolve(ctx.requestedModel, ctx.endpoint, ctx);
    if (ctx.trace.length === 0 || ctx.trace[ctx.trace.length - 1].stage !== 'route') {
      const targets = ctx.targets.map((t) => `${t.provider}/${t.model}`).join(', ');
      ctx.trace.push({ stage: 'route', message: `${ctx.requestedModel} → ${targets}`, say: { id: 'route.resolved', vars: { model: ctx.requestedModel, targets } } });
    }
    return next(ctx);
  };
}
