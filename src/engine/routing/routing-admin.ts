// The admin routes of routing (src/shared/admin/routing-routes.ts), on a RoutingService.
import { isObj } from '../../shared/is-obj.ts';
import { describeValue } from '../../shared/describe-value.ts';
import type { AdminRouter } from '../admin/admin-router.ts';
import type { Clock } from '../clock.ts';
import { refuseUnknown } from '../admin/refuse-unknown.ts';
import { ALIAS_INPUT_KEYS } from '../config/config-keys.ts';
import { ConfigError } from '../config/validate-config.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.ts';
import type { RoutingExport } from '../../shared/routing.ts';
import { withAliasTargets, withRuleEnabled } from './routing-edits.ts';
import type { RoutingService } from './routing-service.ts';
import type { SpendRepository } from './spend-repository.ts';
import { unknownKeyProblems } from './validate-routing.ts';

const DAY_MS = 86_400_000;

export interface RoutingAdminOptions {
  admin: AdminRouter;
  service: RoutingService;
  spend: SpendRepository;
  clock: Clock;
}

/**
 * The problems of a document saved for one part of it that a client sent (an alias), named relative to
 * that part: `targets[0].provider`, not `aliases[2].targets[0].provider`. Others keep their paths.
 */
function relativeTo(err: unknown, part: string): unknown {
  if (!(err instanceof ConfigError)) return err;
  return new ConfigError(err.problems!.map((p) => (p.param?.startsWith(`${part}.`) ? { ...p, param: p.param.slice(part.length + 1) } : p)));
}

/** An import body: the export file, or a bare routing document. */
export function routingFromImport(body: unknown): unknown {
  if (isObj(body) && 'format' in body) {
    if (body.format !== 'sluice-routing') throw new BadRequestError(`Not a Sluice routing export (format '${describeValue(body.format)}').`, 'format');
    if (body.version !== 1) throw new BadRequestError(`Routing export version ${describeValue(body.version)} is not supported (expected 1).`, 'version');
    return body.routing;
  }
  return body;
}

export function implementRoutingAdmin({ admin, service, spend, clock }: RoutingAdminOptions): void {
  admin.implement('routingGet', () => service.view());
  admin.implement('routingPut', ({ body, query }) => {
    refuseUnknown(query, ['baseSeq'], 'parameter', 'PUT /routing');
    if (query.baseSeq !== undefined) {
      const base = Number(query.baseSeq);
      if (!Number.isInteger(base) || base < 0) throw new BadRequestError('baseSeq must be the seq of the routing document the change was made to (0 for none saved).', 'baseSeq');
      const now = service.view().seq ?? 0;
      // the whole document is replaced: saving over a version nobody here has seen would undo its change
      if (base !== now) {
        throw new ConflictError(`The routing document changed since it was loaded (baseSeq ${base}, now seq ${now}), in another window or by the API; reload it and make the change again.`, 'baseSeq', 'SLUICE_ROUTING_CHANGED');
      }
    }
    return service.save(body, 'saved');
  });
  admin.implement('routingExport', (): RoutingExport => ({ format: 'sluice-routing', version: 1, exportedAt: clock.now(), routing: service.config }));
  admin.implement('routingImport', ({ body }) => service.save(routingFromImport(body), 'imported'));
  admin.implement('routingHistory', ({ query }) => {
    refuseUnknown(query, ['limit'], 'parameter', 'GET /routing/history');
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new BadRequestError('limit must be an integer from 1 to 1000.', 'limit');
    return service.history(limit);
  });
  admin.implement('routingRollback', ({ params }) => {
    if (!/^\d{1,15}$/.test(params.seq)) throw new BadRequestError(`seq: a saved routing document's seq is a whole number (GET /admin/api/routing/history lists each version with its seq), got ${describeValue(params.seq.slice(0, 40))}.`, 'seq');
    return service.rollback(Number(params.seq));
  });
  admin.implement('routingAliasSet', ({ params, body }) => {
    if (!isObj(body) || !Array.isArray(body.targets)) throw new BadRequestError('The body must be { targets: [{ provider, model }], strategy?, weights? }.', 'targets');
    // a key this route does not take would be dropped without a word (the alias's description is set with PUT /routing)
    const unknown = unknownKeyProblems(body, ALIAS_INPUT_KEYS);
    if (unknown.length) throw new ConfigError(unknown);
    // a built-in alias (fast, smart) becomes the user's own here, without the engine's description of
    // the model it had picked ("the strongest model"), which would now be wrong
    const next = withAliasTargets(service.config, params.name, body.targets, body.strategy, body.weights);
    try {
      return service.save(next, 'alias');
    } catch (err) {
      throw relativeTo(err, `aliases[${next.aliases.findIndex((a) => a.name === params.name)}]`);
    }
  });
  admin.implement('routingRuleEnable', ({ params, body }) => {
    if (!isObj(body) || typeof body.enabled !== 'boolean') throw new BadRequestError('The body must be { enabled: true | false }.', 'enabled');
    refuseUnknown(body, ['enabled'], 'key', `PUT /admin/api/routing/rules/${params.id}/enabled`);
    return service.save(withRuleEnabled(service.config, params.id, body.enabled), body.enabled ? 'rule enabled' : 'rule disabled');
  });
  admin.implement('routingExplain', ({ body }) => service.explain(body));
  admin.implement('routingBreakers', () => service.breakerStates());
  admin.implement('routingBreakerReset', ({ body }) => {
    // no target resets every breaker: a target that cannot be read must not mean "all"
    const target = isObj(body) ? body.target : undefined;
    if (isObj(body)) refuseUnknown(body, ['target'], 'key', 'POST /admin/api/routing/breakers/reset');
    if (target !== undefined && (typeof target !== 'string' || !/^[^/\s]+\/\S+$/.test(target))) {
      throw new BadRequestError(`target: a breaker is named provider/model, got ${describeValue(target)}.`, 'target');
    }
    // one that names no breaker would answer as if it had closed it (a mistyped target, an outage left open)
    if (target !== undefined && !service.breakers.has(target)) {
      throw new NotFoundError(`No breaker for '${target}': Sluice keeps one for each provider/model it has called since it started (GET /admin/api/routing/breakers lists those that failed).`, 'SLUICE_BREAKER_NOT_FOUND');
    }
    service.breakers.reset(target);
    return service.breakerStates();
  });
  admin.implement('routingBudgets', () => service.budgetStatuses());
  admin.implement('routingSpend', ({ query }) => {
    refuseUnknown(query, ['days'], 'parameter', 'GET /routing/spend');
    const days = query.days === undefined ? 30 : Number(query.days);
    if (!Number.isInteger(days) || days < 1 || days > 366) throw new BadRequestError('days must be an integer from 1 to 366.', 'days');
    service.flushSpend();
    const today = Math.floor(clock.now() / DAY_MS) * DAY_MS;
    return spend.daily(today - (days - 1) * DAY_MS);
  });
  admin.implement('routingHealth', () => service.health());
  admin.implement('routingPrices', () => service.prices());
  admin.implement('routingPricesPut', ({ body }) => {
    if (!isObj(body)) throw new BadRequestError('The body must be an object of model → { input, output }.', 'prices');
    return service.setPrices(body as Record<string, { input: number; output: number }>);
  });
}
