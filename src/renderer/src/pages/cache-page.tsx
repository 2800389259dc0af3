// Cache: statistics per tier, the entry browser, and clearing behind a confirmation that counts first.
import { useCallback, useEffect, useState } from 'react';
import { CacheBrowser } from '../components/cache-browser.tsx';
import { CacheClearDialog } from '../components/cache-clear-dialog.tsx';
import { CacheStats } from '../components/cache-stats.tsx';
import { ReplayLab } from '../components/replay-lab.tsx';
import { SemanticHits } from '../components/semantic-hits.tsx';
import type { SemanticStatusView } from '../../../shared/semantic.ts';
import { PageHeader } from '../components/page-header.tsx';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

/** Stats also move with every request (hits, misses), which has no cache event: poll while open. */
const STATS_REFRESH_MS = 2000;

export function CachePage() {
  const t = useT();
  const { client, stores } = usePanel();
  const stats = useSlice(stores.cache, (s) => s.stats);
  const revision = useSlice(stores.cache, (s) => s.revision);
  const [local, setLocal] = useState(0);
  const [clearing, setClearing] = useState(false);
  /** Null while unknown or when this engine has no semantic cache routes: the sections stay hidden. */
  /** The last stats load failed (the engine is away): said in place of the tiles, once, not in a toast per poll. */
  const [statsError, setStatsError] = useState<string | null>(null);
  const [semantic, setSemantic] = useState<SemanticStatusView | null>(null);

  const loadStats = useCallback((signal: AbortSignal) => client.call('cacheStats', { signal }).then(
    (s) => { stores.cache.getState().setStats(s); setStatsError(null); },
    (err: Error) => { if (!signal.aborted) setStatsError(err.message); },
  ), [client, stores]);
  useEffect(() => {
    const abort = new AbortController();
    void loadStats(abort.signal);
    const h = setInterval(() => { void loadStats(abort.signal); }, STATS_REFRESH_MS);
    return () => { abort.abort(); clearInterval(h); };
  }, [loadStats, revision, local]);

  useEffect(() => {
    const abort = new AbortController();
    client.call('semanticStatus', { signal: abort.signal }).then(setSemantic, () => { if (!abort.signal.aborted) setSemantic(null); });
    return () => abort.abort();
  }, [client, revision, local, stats?.hits]);

  const changed = () => setLocal((n) => n + 1);
  // Requests add entries and hits without a cache event: reload the page of entries when the counts move.
  const contents = stats ? `${stats.memory.entries}:${stats.disk?.entries ?? 0}:${stats.hits}:${stats.misses}` : '';
  return (
    <>
      <PageHeader
        title={t('cache.title')}
        subtitle={t('cache.subtitle')}
        actions={<button type="button" className="btn btn-danger" onClick={() => setClearing(true)}>{t('cache.clear')}</button>}
      />
      {statsError && <p className="card error-text" role="alert">{t('cache.statsUnavailable', { message: statsError })}</p>}
      {stats ? <CacheStats stats={stats} /> : !statsError && <p aria-busy="true">{t('common.loading')}</p>}
      <CacheBrowser reloadKey={`${revision}:${local}:${contents}`} onDeleted={changed} />
      {semantic && <SemanticHits status={semantic} reloadKey={`${revision}:${local}:${semantic.hitsRecorded}`} />}
      {semantic && <ReplayLab />}
      {clearing && <CacheClearDialog onClose={() => setClearing(false)} onCleared={changed} />}
    </>
  );
}
