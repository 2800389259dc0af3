// Requests: the live log, searched and filtered in the request log itself, paged back on demand; a
// detail view and a test-request button.
import { useEffect, useMemo, useState } from 'react';
import type { MessageKey } from '../i18n/en.ts';
import { PageHeader } from '../components/page-header.tsx';
import { RequestDetailDialog } from '../components/request-detail-dialog.tsx';
import { RequestTable } from '../components/request-table.tsx';
import { TestRequestButton } from '../components/test-request-button.tsx';
import { cacheResultLabel } from '../lib/format.ts';
import { EMPTY_FILTER, filterMenus, isFiltered, type RequestFilter } from '../lib/request-filter.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { createRequestLogValues } from '../state/request-log-values.ts';
import { createRequestLogView } from '../state/request-log-view.ts';

/** The status menu's classes, before the codes the log holds; 429 is one of them, so not listed again below. */
const STATUS_CHOICES = [
  ['2xx', 'req.status.2xx'], ['error', 'req.status.error'], ['4xx', 'req.status.4xx'], ['429', 'req.status.429'], ['5xx', 'req.status.5xx'],
] as const satisfies ReadonlyArray<readonly [string, MessageKey]>;

export function RequestsPage() {
  const t = useT();
  const { client, stores } = usePanel();
  const items = useSlice(stores.requests, (s) => s.items);
  const capacity = useSlice(stores.requests, (s) => s.capacity);
  const view = useMemo(() => createRequestLogView({
    live: stores.requests,
    list: (query, signal) => client.call('requestsList', { query, signal }),
  }), [client, stores.requests]);
  useEffect(() => view.start(), [view]);
  const logValues = useMemo(() => createRequestLogValues({
    live: stores.requests,
    load: (signal) => client.call('requestValues', { signal }),
  }), [client, stores.requests]);
  useEffect(() => logValues.start(), [logValues]);
  const values = useSlice(logValues.state, (s) => s.values);
  const [filter, setFilter] = useState<RequestFilter>(EMPTY_FILTER);
  useEffect(() => view.setFilter(filter), [view, filter]);
  const { rows, source, older } = useSlice(view.state, (s) => s);
  const [open, setOpen] = useState<string | null>(null);
  const menus = useMemo(() => filterMenus(values, [...items, ...rows], filter), [values, items, rows, filter]);
  // more values than the log listed: the menu says where the rest are
  const codes = menus.status.filter((c) => c !== 429);
  const cut = (k: 'model' | 'provider') => values?.truncated.some((f) => f === k || (k === 'model' && f === 'requestedModel'));
  const set = (k: keyof RequestFilter) => (e: { target: { value: string } }) => setFilter((f) => ({ ...f, [k]: e.target.value }));
  const filtered = Object.values(filter).some(Boolean);
  const searching = source.state === 'searching';

  return (
    <>
      <PageHeader title={t('req.title')} subtitle={t('req.subtitle.log', { count: capacity })} actions={<TestRequestButton />} />
      <section className="filters" role="search" aria-label={t('req.filters')}>
        {(['model', 'provider'] as const).map((k) => (
          <label key={k} className="field">
            <span>{t(`req.filter.${k}`)}</span>
            <select value={filter[k]} onChange={set(k)}>
              <option value="">{t('common.any')}</option>
              {menus[k].map((v) => <option key={v} value={v}>{v}</option>)}
              {cut(k) && <option disabled value="…">{t('req.filter.more')}</option>}
            </select>
          </label>
        ))}
        <label className="field">
          <span>{t('req.filter.cache')}</span>
          <select value={filter.cache} onChange={set('cache')}>
            <option value="">{t('common.any')}</option>
            {menus.cache.map((v) => <option key={v} value={v}>{cacheResultLabel(t, v)}</option>)}
          </select>
        </label>
        <label className="field field-fit">
          <span>{t('req.filter.status')}</span>
          <select value={filter.status} onChange={set('status')}>
            <option value="">{t('common.any')}</option>
            {STATUS_CHOICES.map(([v, label]) => <option key={v} value={v}>{t(label)}</option>)}
            {codes.length > 0 && (
              <optgroup label={t('req.status.codes')}>
                {codes.map((c) => <option key={c} value={String(c)}>{c}</option>)}
              </optgroup>
            )}
          </select>
        </label>
        <label className="field field-grow">
          <span>{t('req.filter.text')}</span>
          <input type="search" value={filter.text} placeholder={t('req.filter.text.placeholder')} onChange={set('text')} />
        </label>
        <button type="button" className="btn btn-quiet" disabled={!filtered} onClick={() => setFilter(EMPTY_FILTER)}>{t('req.filter.clear')}</button>
      </section>
      {/* with nothing in view the card below says it is searching: once is enough */}
      <p className="hint num" aria-live="polite">{!searching ? t('req.shown', { count: rows.length }) : rows.length ? t('req.searching') : ''}</p>
      {source.state === 'failed' ? (
        <div className="card card-head">
          <p role="alert" className="error-text">{t('req.searchFailed', { message: source.message })}</p>
          <button type="button" className="btn btn-small" onClick={view.retry}>{t('req.retry')}</button>
        </div>
      ) : rows.length ? (
        // while the log is asked, what the panel already held that matches stays in view
        <div aria-busy={searching}>
          <RequestTable items={rows} onOpen={setOpen} label={t('req.table')} />
        </div>
      ) : searching ? (
        <p className="empty card" aria-busy="true">{t('req.searching')}</p>
      ) : (
        <p className="empty card">{filtered ? t('req.emptyFiltered') : t('req.empty')}</p>
      )}
      {rows.length > 0 && !searching && source.state !== 'failed' && (
        <div className="pager">
          {older.state === 'failed' && <span role="alert" className="error-text">{t('req.older.failed', { message: older.message })}</span>}
          {older.state === 'none' && <span role="status" className="hint">{t(isFiltered(filter) ? 'req.older.noneFiltered' : 'req.older.none')}</span>}
          {/* aria-disabled, not disabled, while loading: the button keeps the focus for the next page */}
          <button type="button" className="btn btn-small" disabled={older.state === 'none'} aria-disabled={older.state === 'loading'} aria-busy={older.state === 'loading'}
            onClick={view.loadOlder}>
            {older.state === 'loading' ? t('req.older.loading') : t('req.older')}
          </button>
        </div>
      )}
      {open && <RequestDetailDialog id={open} onClose={() => setOpen(null)} />}
    </>
  );
}
