// Cache: what exists today — how the received requests were answered by the cache.
import { useMemo } from 'react';
import { PageHeader } from '../components/page-header.tsx';
import { StatTile } from '../components/stat-tile.tsx';
import { formatPercent } from '../lib/format.ts';
import { isHit } from '../lib/request-stats.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

export function CachePage() {
  const t = useT();
  const { stores } = usePanel();
  const items = useSlice(stores.requests, (s) => s.items);
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const r of items) m.set(r.cache, (m.get(r.cache) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1]);
  }, [items]);
  const cacheable = items.filter((r) => r.cache !== 'bypass');
  const hitRate = cacheable.length ? cacheable.filter((r) => isHit(r.cache)).length / cacheable.length : null;
  return (
    <>
      <PageHeader title={t('cache.title')} subtitle={t('cache.subtitle')} />
      <section className="tiles">
        <StatTile label={t('dash.tile.hits')} value={formatPercent(hitRate)} />
        {counts.map(([k, n]) => <StatTile key={k} label={k} value={String(n)} />)}
      </section>
      <p className="hint">{t('cache.settings')}</p>
      <p className="hint">{t('cache.soon')}</p>
    </>
  );
}
