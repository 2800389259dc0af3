// Cache: statistics per tier, the entry browser, and clearing behind a confirmation that counts first.
import { useCallback, useEffect, useState } from 'react';
import { CacheBrowser } from '../components/cache-browser.tsx';
import { CacheClearDialog } from '../components/cache-clear-dialog.tsx';
import { CacheStats } from '../components/cache-stats.tsx';
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
  const push = stores.toasts.getState().push;

  const loadStats = useCallback((signal?: AbortSignal) => client.call('cacheStats', { signal }).then((s) => stores.cache.getState().setStats(s)), [client, stores]);
  useEffect(() => {
    const abort = new AbortController();
    loadStats(abort.signal).catch((err: Error) => { if (!abort.signal.aborted) push('error', t('common.error', { message: err.message })); });
    const h = setInterval(() => { loadStats(abort.signal).catch(() => {}); }, STATS_REFRESH_MS);
    return () => { abort.abort(); clearInterval(h); };
  }, [loadStats, revision, local]); // eslint-disable-line react-hooks/exhaustive-deps

  const changed = () => setLocal((n) => n + 1);
  return (
    <>
      <PageHeader
        title={t('cache.title')}
        subtitle={t('cache.subtitle')}
        actions={<button type="button" className="btn btn-danger" onClick={() => setClearing(true)}>{t('cache.clear')}</button>}
      />
      {stats ? <CacheStats stats={stats} /> : <p aria-busy="true">{t('common.loading')}</p>}
      <CacheBrowser revision={revision + local} onDeleted={changed} />
      {clearing && <CacheClearDialog onClose={() => setClearing(false)} onCleared={changed} />}
    </>
  );
}
