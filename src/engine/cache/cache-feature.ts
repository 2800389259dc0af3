// The two-tier cache and the coalescer as one capability: builds the memory tier and the disk tier
// (its own cache.db in the data dir, rebuilt when unreadable), the cache and coalesce stages, the
// admin routes, and `services.cache`. The semantic cache plugs in later through `services.semantic`.
import { join } from 'node:path';
import type { Usage } from '../../shared/openai.ts';
import { Coalescer } from '../batching/coalescer.ts';
import type { FeatureDefinition } from '../feature.ts';
import type { RequestContext } from '../pipeline/context.ts';
import { implementCacheAdmin } from './cache-admin.ts';
import type { CacheStore } from './cache-entry.ts';
import { CacheService } from './cache-service.ts';
import { createCacheStage, type SemanticHooks } from './cache-stage.ts';
import { CacheWriter } from './cache-writer.ts';
import { createCoalesceStage, type SharedHead } from './coalesce-stage.ts';
import { heapLimitBytes, memoryTierHeapWarning } from './heap-room.ts';
import { MemoryStore } from './memory-store.ts';
import { SqliteStore, type CacheDbProblem } from './sqlite-store.ts';
import { TieredCache } from './tiered-cache.ts';

export type { SemanticHooks } from './cache-stage.ts';

declare module '../feature.ts' {
  interface Services {
    cache: CacheService;
    semantic: SemanticHooks;
  }
}

export const CACHE_DB_FILE = 'cache.db';

/** A memory tier of 0 bytes keeps nothing: a 1-byte cap, with every entry over its 1-byte entry limit. */
const memoryCap = (bytes: number) => Math.max(1, bytes);

export const cacheFeature: FeatureDefinition = {
  name: 'cache',
  create(host) {
    const { clock, logger } = host.deps;
    const cfg = host.config().cache;
    const staleMaxMs = cfg.staleMaxSeconds * 1000;
    const memory = new MemoryStore({ maxBytes: memoryCap(cfg.memoryMaxBytes), staleMaxMs });
    const checkHeapRoom = (bytes: number) => {
      const warning = memoryTierHeapWarning(bytes, heapLimitBytes());
      if (warning) logger.warn(warning);
    };
    checkHeapRoom(cfg.memoryMaxBytes);
    let started = false;
    const early: CacheDbProblem[] = [];
    let service: CacheService | null = null;
    const onCorrupt = (p: CacheDbProblem) => { if (started && service) service.noteRebuilt(p); else early.push(p); };
    let disk: CacheStore | undefined;
    if (cfg.diskMaxBytes > 0) {
      try {
        disk = new SqliteStore({ location: join(host.deps.dataDir, CACHE_DB_FILE), maxBytes: cfg.diskMaxBytes, clock, staleMaxMs, logger, onCorrupt });
      } catch (err) {
        logger.warn('the disk cache could not be opened; caching in memory only', { error: String((err as Error)?.message ?? err) });
      }
    }
    const tiered = new TieredCache({ memory, disk, clock });
    const semantic = () => host.services.semantic;
    const coalescer = new Coalescer<SharedHead>();
    service = new CacheService({
      cache: tiered, clock, emit: (e) => host.emit(e), enabled: () => host.config().cache.enabled, semantic, waiting: () => coalescer.waiting,
    });
    const cache = service;
    const costOf = (ctx: RequestContext, usage: Usage) => host.services.pricing?.costOf(ctx, usage) ?? 0;
    const writer = new CacheWriter({
      clock, logger, costOf,
      store: (entry, ctx) => cache.store(entry, (e) => semantic()?.onStored(ctx, e)),
    });
    host.services.cache = cache;
    implementCacheAdmin(host.admin, cache);
    // sizes saved on the Settings page apply at once (a disk tier opened or closed waits for a restart)
    let sizes = { memory: cfg.memoryMaxBytes, disk: cfg.diskMaxBytes };
    const offConfig = host.events.subscribe((e) => {
      if (e.type !== 'config' || e.section !== 'settings') return;
      const next = host.config().cache;
      if (next.memoryMaxBytes === sizes.memory && next.diskMaxBytes === sizes.disk) return;
      sizes = { memory: next.memoryMaxBytes, disk: next.diskMaxBytes };
      checkHeapRoom(next.memoryMaxBytes);
      const { disk } = tiered.resize(memoryCap(next.memoryMaxBytes), next.diskMaxBytes);
      host.emit({ type: 'cache', ts: clock.now(), action: 'resized', detail: { memoryMaxBytes: next.memoryMaxBytes, diskMaxBytes: next.diskMaxBytes, diskApplied: disk } });
    });
    return {
      name: 'cache',
      stages: [
        { slot: 'cache', stage: createCacheStage({ cache: tiered, writer, clock, logger, config: host.config, semantic, onStale: () => cache.noteStale(), onSemanticHit: (e) => cache.noteSemanticHit(e), costOf }) },
        {
          slot: 'coalesce',
          stage: createCoalesceStage({
            clock, coalescer,
            capture: (ctx, result, startedAt) => writer.capture(ctx, result, startedAt),
            onCoalesced: () => cache.noteCoalesced(),
            mayLead: (ctx) => host.services.routing?.mayGoUpstream(ctx) ?? true,
          }),
        },
      ],
      start() {
        started = true;
        for (const p of early.splice(0)) cache.noteRebuilt(p);
      },
      stop() {
        offConfig();
        tiered.close();
      },
    };
  },
};
