// The cache entry browser: search and filters, a page of entries, open and delete. Model and Namespace
// match the whole name (as the clear dialog deletes by them): their lists offer the names known so far, and
// an empty result offers the known name the typed text is part of.
import { ENDPOINTS } from '../../../shared/targets.ts';
import { useEffect, useMemo, useState } from 'react';
import type { CacheEntriesPage } from '../../../shared/cache.ts';
import type { MessageKey } from '../i18n/en.ts';
import { AGE_PRESETS, EMPTY_CACHE_FILTER, entriesQuery, exactNameFor, pageSpan, type CacheFilter } from '../lib/cache-query.ts';
import { endpointLabel, formatBytes, formatDateTime } from '../lib/format.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { CacheEntryDialog } from './cache-entry-dialog.tsx';

export const CACHE_PAGE_SIZE = 25;

/** Names the exact filters can offer: the engine's models, and the models and namespaces of entries seen. */
interface KnownNames { models: ReadonlySet<string>; namespaces: ReadonlySet<string> }

function withSeen(known: KnownNames, page: CacheEntriesPage): KnownNames {
  const models = new Set(known.models);
  const namespaces = new Set(known.namespaces);
  for (const e of page.items) {
    models.add(e.model);
    if (e.namespace) namespaces.add(e.namespace);
  }
  return models.size === known.models.size && namespaces.size === known.namespaces.size ? known : { models, namespaces };
}

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
  /** Null until a page arrived; a load that failed says so here instead of "Loading…" forever. */
  const [error, setError] = useState<string | null>(null);
  const [seen, setSeen] = useState<KnownNames>({ models: new Set(), namespaces: new Set() });
  const queryKey = JSON.stringify(entriesQuery(filter, offset, CACHE_PAGE_SIZE));

  useEffect(() => {
    const abort = new AbortController();
    const h = setTimeout(() => {
      setBusy(true);
      client.call('cacheEntries', { query: JSON.parse(queryKey), signal: abort.signal }).then(
        (p) => { setPage(p); setBusy(false); setError(null); setSeen((k) => withSeen(k, p)); },
        // said in the section, not in a toast: the stats poll would repeat it every few seconds while the engine is away
        (err: Error) => { if (!abort.signal.aborted) { setBusy(false); setError(err.message); } },
      );
    }, 150);
    return () => { clearTimeout(h); abort.abort(); };
  }, [client, queryKey, reloadKey]);

  const modelNames = useMemo(() => [...new Set([...models.map((m) => m.id), ...seen.models])].sort(), [models, seen]);
  const namespaceNames = useMemo(() => [...seen.namespaces].sort(), [seen]);
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
  // an exact filter that matched nothing: the known name it is part of, one click away
  const exactFields = [
    // a model the cache has entries of first, then any the engine serves
    { key: 'model' as const, label: t('cache.filter.model'), value: exactNameFor(filter.model, seen.models) ?? exactNameFor(filter.model, modelNames) },
    { key: 'namespace' as const, label: t('cache.filter.namespace'), value: exactNameFor(filter.namespace, namespaceNames) },
  ].filter((f) => filter[f.key].trim());
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
          <input value={filter.model} onChange={set('model')} list="cache-models" autoComplete="off" placeholder={t('cache.filter.exact')} aria-describedby="cache-exact-hint" />
          <datalist id="cache-models">{modelNames.map((m) => <option key={m} value={m} />)}</datalist>
        </label>
        <label className="field">
          <span>{t('cache.filter.namespace')}</span>
          <input value={filter.namespace} onChange={set('namespace')} list="cache-namespaces" autoComplete="off" placeholder={t('cache.filter.exact')} aria-describedby="cache-exact-hint" />
          <datalist id="cache-namespaces">{namespaceNames.map((n) => <option key={n} value={n} />)}</datalist>
        </label>
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
      <p id="cache-exact-hint" className="hint">{t('cache.filter.exactHint')}</p>
      {error && <p className="error-text" role="alert">{t('cache.entriesUnavailable', { message: error })}</p>}
      {!page ? (!error && <p aria-busy="true">{t('common.loading')}</p>) : !page.items.length ? (
        <div className="empty">
          <p>{!filtered ? t('cache.empty') : exactFields.length ? t('cache.emptyExact') : t('cache.emptyFiltered')}</p>
          {exactFields.map((f) => f.value && (
            <button key={f.key} type="button" className="btn btn-small" onClick={() => { setOffset(0); setFilter((x) => ({ ...x, [f.key]: f.value })); }}>
              {t('cache.useExact', { field: f.label, value: f.value })}
            </button>
          ))}
        </div>
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
                <th scope="col" className="r head-wrap" title={t('cache.col.sizeHint')}>{t('cache.col.size')}</th>
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
                  <td className="nowrap">{endpointLabel(t, e.endpoint)}</td>
                  <td className="mono ellipsis" title={`${e.provider}/${e.model}`}>{e.model}</td>
                  <td className="mono ellipsis col-namespace" title={e.namespace || undefined}>{e.namespace || '—'}</td>
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
