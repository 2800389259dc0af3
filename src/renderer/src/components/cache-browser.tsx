// The cache entry browser: search and filters, a page of entries, open and delete.
import { ENDPOINTS } from '../../../shared/targets.ts';
import { useEffect, useState } from 'react';
import type { CacheEntriesPage } from '../../../shared/cache.ts';
import type { MessageKey } from '../i18n/en.ts';
import { AGE_PRESETS, EMPTY_CACHE_FILTER, entriesQuery, pageSpan, type CacheFilter } from '../lib/cache-query.ts';
import { endpointLabel, formatBytes, formatDateTime } from '../lib/format.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { CacheEntryDialog } from './cache-entry-dialog.tsx';

export const CACHE_PAGE_SIZE = 25;

export function CacheBrowser({ reloadKey, onDeleted }: { reloadKey: string; onDeleted(): void }) {
  const t = useT();
  const { client, stores } = usePanel();
  const language = useSlice(stores.prefs, (s) => s.language);
  const models = useSlice(stores.settings, (s) => s.models);
  const push = stores.toasts.getState().push;
  const [filter, setFilter] = useState<CacheFilter>(EMPTY_CACHE_FILTER);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<CacheEntriesPage | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const queryKey = JSON.stringify(entriesQuery(filter, offset, CACHE_PAGE_SIZE));

  useEffect(() => {
    const abort = new AbortController();
    const h = setTimeout(() => {
      setBusy(true);
      client.call('cacheEntries', { query: JSON.parse(queryKey), signal: abort.signal }).then(
        (p) => { setPage(p); setBusy(false); },
        (err: Error) => { if (!abort.signal.aborted) { setBusy(false); push('error', t('common.error', { message: err.message })); } },
      );
    }, 150);
    return () => { clearTimeout(h); abort.abort(); };
  }, [client, queryKey, reloadKey]);

  const set = (k: keyof CacheFilter) => (e: { target: { value: string } }) => { setOffset(0); setFilter((f) => ({ ...f, [k]: e.target.value })); };
  const filtered = Object.values(filter).some(Boolean);
  const remove = async (key: string) => {
    try {
      const r = await client.call('cacheEntryDelete', { params: { key } });
      push(r.deleted ? 'success' : 'info', t(r.deleted ? 'cache.deleted' : 'cache.gone'));
      setOpen(null);
      onDeleted();
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    }
  };
  const span = pageSpan(page?.offset ?? 0, page?.items.length ?? 0, page?.total ?? 0);
  const shortKey = (k: string) => (k.length > 12 ? `${k.slice(0, 10)}…` : k);

  return (
    <section className="card" aria-labelledby="cache-entries-title">
      <h2 id="cache-entries-title">{t('cache.entries')}</h2>
      <div className="filters" role="search" aria-label={t('cache.filters')}>
        <label className="field field-grow">
          <span>{t('cache.filter.text')}</span>
          <input type="search" value={filter.text} placeholder={t('cache.filter.text.placeholder')} onChange={set('text')} />
        </label>
        <label className="field">
          <span>{t('cache.filter.model')}</span>
          <input value={filter.model} onChange={set('model')} list="cache-models" autoComplete="off" />
          <datalist id="cache-models">{models.map((m) => <option key={`${m.provider}/${m.id}`} value={m.id} />)}</datalist>
        </label>
        <label className="field"><span>{t('cache.filter.namespace')}</span><input value={filter.namespace} onChange={set('namespace')} autoComplete="off" /></label>
        <label className="field">
          <span>{t('cache.filter.endpoint')}</span>
          <select value={filter.endpoint} onChange={set('endpoint')}>
            <option value="">{t('common.any')}</option>
            {ENDPOINTS.map((e) => <option key={e} value={e}>{endpointLabel(t, e)}</option>)}
          </select>
        </label>
        <label className="field">
          <span>{t('cache.filter.age')}</span>
          <select value={filter.age} onChange={set('age')}>
            <option value="">{t('common.any')}</option>
            {AGE_PRESETS.map((a) => <option key={a} value={a}>{t(`cache.age.${a}` as MessageKey)}</option>)}
          </select>
        </label>
        <button type="button" className="btn btn-quiet" disabled={!filtered} onClick={() => { setOffset(0); setFilter(EMPTY_CACHE_FILTER); }}>{t('cache.filter.clear')}</button>
      </div>
      {!page ? <p aria-busy="true">{t('common.loading')}</p> : !page.items.length ? (
        <p className="empty">{filtered ? t('cache.emptyFiltered') : t('cache.empty')}</p>
      ) : (
        <div className="table-wrap" aria-busy={busy}>
          <table className="table" aria-label={t('cache.table')}>
            <thead>
              <tr>
                <th scope="col">{t('cache.col.created')}</th>
                <th scope="col">{t('cache.col.endpoint')}</th>
                <th scope="col">{t('cache.col.model')}</th>
                <th scope="col">{t('cache.col.namespace')}</th>
                <th scope="col">{t('cache.col.request')}</th>
                <th scope="col" className="r">{t('cache.col.size')}</th>
                <th scope="col" className="r">{t('cache.col.hits')}</th>
                <th scope="col"><span className="sr-only">{t('cache.col.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((e) => (
                <tr key={e.key}>
                  <td className="num">
                    <button type="button" className="link-btn" aria-label={t('cache.open', { key: shortKey(e.key) })} onClick={() => setOpen(e.key)}>{formatDateTime(e.createdAt, language)}</button>
                    {e.expired && <> <span className="chip chip-cancelled">{t('cache.expired')}</span></>}
                  </td>
                  <td>{endpointLabel(t, e.endpoint)}</td>
                  <td className="mono ellipsis" title={`${e.provider}/${e.model}`}>{e.model}</td>
                  <td className="mono">{e.namespace || '—'}</td>
                  <td className="ellipsis" title={e.requestText}>{e.requestText}</td>
                  <td className="r num">{formatBytes(e.size)}</td>
                  <td className="r num">{e.hits}</td>
                  <td className="actions">
                    <button type="button" className="btn btn-small btn-danger-quiet" aria-label={t('cache.deleteEntry', { key: shortKey(e.key) })} onClick={() => void remove(e.key)}>{t('common.delete')}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && page.total > 0 && (
        <nav className="pager" aria-label={t('cache.table')}>
          <span className="num hint" aria-live="polite">{t('cache.count', span)}</span>
          <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - CACHE_PAGE_SIZE))}>{t('cache.prev')}</button>
          <button type="button" className="btn btn-small" disabled={offset + CACHE_PAGE_SIZE >= page.total} onClick={() => setOffset(offset + CACHE_PAGE_SIZE)}>{t('cache.next')}</button>
        </nav>
      )}
      {open && <CacheEntryDialog entryKey={open} onClose={() => setOpen(null)} onDelete={(k) => void remove(k)} />}
    </section>
  );
}
