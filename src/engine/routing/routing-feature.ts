// Routing as an engine capability: the route stage (rules, aliases, `auto` classes, budgets, breakers),
// the gate in front of the upstream where a budget's refusal takes effect (a cache hit is still served),
// the retry/fallback terminal over ctx.targets, prices (`services.pricing`, read by the record stage),
// spend in SQLite with budgets on every finished request, breaker and budget events, the admin routes
// of src/shared/admin/routing-routes.ts, and the `anthropic` provider type. Offers `services.routing`
// (breaker states for the Prometheus gauge, budget usage for alerts, provider health).
import type { Endpoint } from '../../shared/targets.ts';
import type { FeatureDefinition } from '../feature.ts';
import { targetRefusal } from '../pipeline/provider-call.ts';
import type { ProviderAdapter } from '../providers/provider.ts';
import { anthropicFactory } from '../providers/anthropic/anthropic-adapter.ts';
import { implementRoutingAdmin } from './routing-admin.ts';
import { fromConfigSection } from './routing-defaults.ts';
import type { ProviderAvailability } from './router.ts';
import { RoutingService } from './routing-service.ts';
import { MAX_PRICE_USD } from '../../shared/config.ts';
import { usesInWords } from './provider-uses.ts';
import { migrateSpend, migrateSpendRequests, SpendRepository } from './spend-repository.ts';

declare module '../feature.ts' {
  interface Services {
    routing: RoutingService;
  }
}

/** Spend rows older than this are pruned at start (budgets look back one month at most). */
const SPEND_RETENTION_MS = 400 * 86_400_000;
const NO_ENDPOINTS: ReadonlySet<Endpoint> = new Set();

export const routingFeature: FeatureDefinition = {
  name: 'routing',
  migrations: [
    { version: 20, name: 'routing spend', up: migrateSpend },
    { version: 54, name: 'spend rows count requests', up: migrateSpendRequests },
  ],
  create(host) {
    const { clock, logger, random } = host.deps;
    if (!host.registry.hasType('anthropic')) host.registry.registerType('anthropic', anthropicFactory);
    const spend = new SpendRepository(host.db);
    // before the budgets load what was spent: one unreadable row would leave them unreadable too
    const unreadable = spend.zeroUnreadableCosts();
    if (unreadable > 0) {
      logger.warn(`routing: ${unreadable} spend row(s) stored by an older build had a cost that is not a number (a price past ${MAX_PRICE_USD} USD per million tokens); their USD now counts as 0, their tokens and requests still count`);
    }
    const available = new WeakMap<ProviderAdapter, ProviderAvailability>();
    const service = new RoutingService({
      clock, random, logger, settings: host.settings, spend,
      initial: fromConfigSection(host.config().routing),
      // before start the registry is empty: the config's providers stand in
      providers: () => {
        const built = host.registry.configs();
        return built.length ? built : host.config().providers;
      },
      availability: (id) => {
        const cfg = host.registry.config(id);
        if (!cfg) return undefined;
        const adapter = host.registry.get(id);
        if (!adapter) return { enabled: false, endpoints: NO_ENDPOINTS };
        let a = available.get(adapter);
        if (!a) available.set(adapter, (a = { enabled: cfg.enabled !== false, endpoints: adapter.endpoints }));
        return a;
      },
      resolveModel: (model, endpoint) => {
        try {
          return [host.catalog.resolve(model, endpoint)];
        } catch {
          return [];
        }
      },
      unknownModelHint: (endpoint) => host.catalog.unknownModelHintSaid(endpoint),
      validateRequest: (endpoint, body) => host.validateRequest(endpoint, body),
      targetRefusal: (target, endpoint, body) => targetRefusal(host.registry, target, endpoint, body),
      emit: (e) => host.emit(e),
    });

    host.services.routing = service;
    host.services.pricing = { costOf: (ctx, usage) => service.costOf(ctx, usage) };
    host.onFinished((done) => service.recordFinished(done));
    implementRoutingAdmin({ admin: host.admin, service, spend, clock });
    let off: (() => void) | null = null;

    return {
      name: 'routing',
      stages: [
        { slot: 'route', stage: service.stage },
        { slot: 'refuse', stage: service.refusalGate },
        // inside the coalesce stage (the cache feature comes first) and before batching: only what goes upstream
        { slot: 'coalesce', stage: service.upstreamGate },
      ],
      terminal: (call) => service.terminal(call),
      start() {
        service.providersChanged();
        // a provider the routing names went (left the file, not detected this time): say so, once
        const stale = service.staleProviderUses();
        for (const id of new Set(stale.map((u) => u.provider))) {
          logger.warn(`routing: ${usesInWords(stale.filter((u) => u.provider === id))} name provider '${id}', which is not configured; their targets on it are skipped until it is back or they are changed`);
        }
        off = host.events.subscribe((e) => {
          if (e.type === 'config' && e.section === 'providers') service.providersChanged();
        });
        try {
          spend.prune(clock.now() - SPEND_RETENTION_MS);
        } catch (err) {
          logger.warn('routing: pruning old spend failed', { error: String(err) });
        }
      },
      stop() {
        off?.();
        off = null;
        service.close();
      },
    };
  },
};
