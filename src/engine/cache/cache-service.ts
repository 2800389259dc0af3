// The cache as other parts of Sluice use it (`host.services.cache`): statistics, the browser,
// delete and clear with their events, and the counters the stages report into. Every change is
// pushed on the event stream and told to the semantic cache when one is plugged in.
import type {
  CacheClearPreview, CacheClearRequest, CacheClearResult, CacheEntriesPage, CacheEntriesQuery, CacheEntryDetailView, CacheEntryView,
  CacheEventDetail, CacheStatsView,
} from '../../shared/cache.ts';
import type { EngineEvent } from '../../shared/events.ts';
import type { Clock } from '../clock.ts';
import { accountedBytes, addSavings, emptySavings, hitRate, type CacheEntry, type CacheEntrySummary } from './cache-entry.ts';
import type { SemanticHooks } from './cache-stage.ts';
import type { CacheDbProblem } from './sqlite-store.ts';
import type { AgeFilter, TieredCache } from './tiered-cache.ts';
import { roundUsd } from '../money.ts';

export interface CacheServiceOptions {
  cache: TieredCache;
  clock: Clock;
  emit(event: EngineEvent): void;
  enabled(): boolean;
  semantic?(): SemanticHooks | undefined;
  /** Callers currently sharing an upstream call (the coalescer's count). */
  waiting?(): number;
}

const PREVIEW_CHARS = 20_000;
/** Clears and previews walk matching entries page by page only up to this many. */
const WALK_LIMIT = 20_000;

export class CacheService {
  readonly tiered: TieredCache;
  #opts: CacheServiceOptions;
  #coalesced = 0;
  #stale = 0;
  #semanticHits = 0;
  #semanticSaved = emptySavings();
  #rebuilds = 0;

  constructor(opts: CacheServiceOptions) {
    if (!opts?.cache || !opts.clock || typeof opts.emit !== 'function' || typeof opts.enabled !== 'function') {
      throw new TypeError('CacheService: cache, clock, emit and enabled are required');
    }
    this.tiered = opts.cache;
    this.#opts = opts;
  }

  noteCoalesced(): void { this.#coalesced++; }
  /** Requests currently waiting on a shared upstream call (leaders included). */
  waiting(): number { return this.#opts.waiting?.() ?? 0; }
  noteStale(): void { this.#stale++; }

  /** A request the semantic cache answered (an exact miss, counted by the tiers as one) with `entry`. */
  noteSemanticHit(entry: CacheEntry): void {
    this.#semanticHits++;
    addSavings(this.#semanticSaved, entry.meta);
  }

  /** The disk database was unreadable and has been moved aside and recreated. */
  noteRebuilt(problem: CacheDbProblem): void {
    this.#rebuilds++;
    this.#event({ action: 'rebuilt', file: problem.file, movedTo: problem.movedTo, reason: problem.reason, error: problem.error });
  }

  /** Store an entry and tell the semantic cache. */
  store(entry: CacheEntry, onStored?: (entry: CacheEntry) => void): void {
    this.tiered.set(entry);
    onStored?.(entry);
  }

  stats(): CacheStatsView {
    const s = this.tiered.stats();
    const exact = <T extends { saved: { costUsd: number } }>(x: T): T => ({ ...x, saved: { ...x.saved, costUsd: roundUsd(x.saved.costUsd) } });
    // a semantic hit was an exact miss first: moved from the misses to the hits, its savings added
    const hits = s.hits + this.#semanticHits;
    const misses = Math.max(0, s.misses - this.#semanticHits);
    const sem = this.#semanticSaved;
    const saved = { tokens: s.saved.tokens + sem.tokens, latencyMs: s.saved.latencyMs + sem.latencyMs, costUsd: s.saved.costUsd + sem.costUsd };
    return {
      enabled: this.#opts.enabled(), memory: exact(s.memory), disk: s.disk && exact(s.disk), hits, misses, hitRate: hitRate(hits, misses),
      semanticHits: this.#semanticHits, coalesced: this.#coalesced, staleServed: this.#stale, saved: exact({ saved }).saved, rebuilds: this.#rebuilds,
    };
  }

  list(q: CacheEntriesQuery): CacheEntriesPage {
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 50;
    const page = this.tiered.list({ ...this.#ageFilter(q), text: q.text || undefined, offset, limit });
    return { total: page.total, offset, limit, items: page.items.map((i) => this.#view(i)) };
  }

  detail(key: string): CacheEntryDetailView | undefined {
    const e = this.tiered.detail(key);
    if (!e) return undefined;
    const { text, truncated } = previewOf(e);
    return { ...this.#view(e), preview: text, previewTruncated: truncated };
  }

  delete(key: string): boolean {
    const deleted = this.tiered.delete(key);
    if (deleted) {
      this.#opts.semantic?.()?.onDeleted([key]);
      this.#event({ action: 'deleted', key });
    }
    return deleted;
  }

  clear(req: CacheClearRequest): CacheClearResult {
    const filter = this.#ageFilter(req);
    const everything = Object.values(filter).every((v) => v === undefined);
    const semantic = this.#opts.semantic?.();
    const keys = semantic && !everything ? this.#walk(filter).map((e) => e.key) : null;
    const counts = this.tiered.clear(filter);
    const result: CacheClearResult = { deleted: this.tiered.stats().disk ? counts.disk : counts.memory, memory: counts.memory, disk: counts.disk };
    if (semantic) semantic.onDeleted(everything ? 'all' : keys!);
    this.#event({ action: 'cleared', filter: req, result });
    return result;
  }

  /** What `clear(req)` would delete now, without deleting anything. */
  preview(req: CacheClearRequest): CacheClearPreview {
    const filter = this.#ageFilter(req);
    const total = this.tiered.list({ ...filter, limit: 1 }).total;
    // counted as the tiers count their size (accountedBytes), so 'everything' matches the Size the stats show
    const bytes = total <= WALK_LIMIT ? this.#walk(filter).reduce((n, e) => n + accountedBytes(e), 0) : null;
    return { count: total, bytes };
  }

  #walk(filter: AgeFilter): CacheEntrySummary[] {
    const out: CacheEntrySummary[] = [];
    for (let offset = 0; offset < WALK_LIMIT; offset += 500) {
      const page = this.tiered.list({ ...filter, offset, limit: 500 });
      out.push(...page.items);
      if (page.items.length < 500) break;
    }
    return out;
  }

  #ageFilter(q: CacheEntriesQuery | CacheClearRequest): AgeFilter {
    const f: AgeFilter = {};
    if (q.model) f.model = q.model;
    if (q.namespace !== undefined) f.namespace = q.namespace;
    if (q.endpoint) f.endpoint = q.endpoint;
    if (q.olderThanSeconds !== undefined) f.olderThanMs = q.olderThanSeconds * 1000;
    if ('newerThanSeconds' in q && q.newerThanSeconds !== undefined) f.newerThanMs = q.newerThanSeconds * 1000;
    return f;
  }

  #view(e: CacheEntrySummary): CacheEntryView {
    return {
      key: e.key, endpoint: e.endpoint, provider: e.provider, model: e.model, namespace: e.namespace,
      createdAt: e.createdAt, expiresAt: e.expiresAt, expired: this.#opts.clock.now() > e.expiresAt,
      contentType: e.contentType, size: e.size, hits: e.hits, lastHitAt: e.lastHitAt,
      requestText: e.meta.requestText, promptTokens: e.meta.promptTokens, completionTokens: e.meta.completionTokens,
      usageEstimated: e.meta.usageEstimated, costUsd: e.meta.costUsd, latencyMs: e.meta.latencyMs,
    };
  }

  #event(detail: CacheEventDetail): void {
    this.#opts.emit({ type: 'cache', ts: this.#opts.clock.now(), action: detail.action, detail });
  }
}

/** Pretty JSON, readable text, or "N bytes of <type>" for binary bodies. */
export function previewOf(e: Pick<CacheEntry, 'body' | 'contentType' | 'size'>): { text: string; truncated: boolean } {
  const type = e.contentType.toLowerCase();
  let text: string;
  if (type.includes('json')) {
    try {
      text = JSON.stringify(JSON.parse(e.body.toString('utf8')), null, 2);
    } catch {
      text = e.body.toString('utf8');
    }
  } else if (type.startsWith('text/')) {
    text = e.body.toString('utf8');
  } else {
    return { text: `${e.size} bytes of ${e.contentType}`, truncated: false };
  }
  return text.length > PREVIEW_CHARS ? { text: text.slice(0, PREVIEW_CHARS) + '\n…', truncated: true } : { text, truncated: false };
}
