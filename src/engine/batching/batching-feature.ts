// Batching and scheduling as one capability: client limits in the 'admission' slot, embeddings
// micro-batching in the 'batch' slot, and around every upstream call the per-provider priority
// queue with its adaptive concurrency limit (capped by the provider's maxConnections). Offers
// `services.scheduler` (per-provider limit, in-flight, queue depth by priority) and the admin
// routes of src/shared/admin/scheduling-routes.ts. Client limits edited in the panel are saved
// in settings and win over the config file's on the next start.
import type { ClientLimitsConfig, SchedulerProviderStats, SchedulingConfig } from '../../shared/scheduling.ts';
import type { FeatureDefinition } from '../feature.ts';
import { BatchStage } from './batch-stage.ts';
import { ClientAdmission } from './client-admission.ts';
import { ClientRateLimiter } from './client-rate-limiter.ts';
import { ProviderScheduler } from './provider-scheduler.ts';
import { clientLimitsIssues, parseClientLimits, resolveSchedulingConfig } from './scheduling-config.ts';

export interface SchedulerService {
  /** Per provider that has been called: its limit, calls in flight and requests waiting by priority. */
  stats(): SchedulerProviderStats[];
}

declare module '../feature.ts' {
  interface Services {
    scheduler: SchedulerService;
  }
}

export const SETTINGS_CLIENT_LIMITS = 'scheduling.clientLimits';

export const batchingFeature: FeatureDefinition = {
  name: 'batching',
  create(host) {
    const { clock, logger } = host.deps;
    const cfg: SchedulingConfig = resolveSchedulingConfig(host.config());
    const saved = host.settings.get<ClientLimitsConfig>(SETTINGS_CLIENT_LIMITS);
    if (saved !== undefined) {
      const issues = clientLimitsIssues(saved, 'saved client limits');
      if (issues.length === 0) cfg.clientLimits = saved;
      else logger.warn('saved client limits are invalid and were ignored', { issues: issues.join('; ') });
    }
    const scheduler = new ProviderScheduler({
      clock, scheduler: cfg.scheduler, limiter: cfg.limiter,
      maxConnections: (p) => host.registry.config(p)?.maxConnections,
    });
    const batch = new BatchStage({
      clock, config: cfg.batching,
      providerLimit: (p) => (cfg.scheduler.enabled ? scheduler.limitOf(p) : Infinity),
    });
    const limiter = new ClientRateLimiter({ clock, limits: cfg.clientLimits });
    const admission = new ClientAdmission({ limiter });
    let clientLimits = cfg.clientLimits;

    host.services.scheduler = { stats: () => scheduler.stats() };
    host.onFinished(({ ctx }) => admission.finished(ctx));

    host.admin.implement('schedulingStats', () => {
      const b = batch.stats();
      return { providers: scheduler.stats(), batches: b.groups, batching: { requests: b.requests, calls: b.calls }, clientLimited: admission.refused };
    });
    host.admin.implement('clientLimits', () => clientLimits);
    host.admin.implement('clientLimitsUpdate', ({ body }) => {
      const next = parseClientLimits(body);
      limiter.setLimits(next);
      clientLimits = next;
      host.settings.set(SETTINGS_CLIENT_LIMITS, next, clock.now());
      host.emit({ type: 'config', ts: clock.now(), section: 'clientLimits' });
      return next;
    });

    return {
      name: 'batching',
      stages: [
        { slot: 'admission', stage: admission.stage },
        { slot: 'batch', stage: batch.stage },
      ],
      wrapCall: (call) => scheduler.wrap(call),
    };
  },
};
