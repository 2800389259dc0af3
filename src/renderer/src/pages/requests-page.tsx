// Requests: the live log with filters, a detail view and a test-request button.
import { useMemo, useState } from 'react';
import type { MessageKey } from '../i18n/en.ts';
import { PageHeader } from '../components/page-header.tsx';
import { RequestDetailDialog } from '../components/request-detail-dialog.tsx';
import { RequestTable } from '../components/request-table.tsx';
import { TestRequestButton } from '../components/test-request-button.tsx';
import { distinct, EMPTY_FILTER, matchesFilter, type RequestFilter } from '../lib/request-filter.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

export function RequestsPage() {
  const t = useT();
  const { stores } = usePanel();
  const items = useSlice(stores.requests, (s) => s.items);
  const capacity = useSlice(stores.requests, (s) => s.capacity);
  const [filter, setFilter] = useState<RequestFilter>(EMPTY_FILTER);
  const [open, setOpen] = useState<string | null>(null);
  const shown = useMemo(() => items.filter((r) => matchesFilter(r, filter)), [items, filter]);
  const options = useMemo(() => ({ model: distinct(items, 'model'), provider: distinct(items, 'provider'), cache: distinct(items, 'cache') }), [items]);
  const set = (k: keyof RequestFilter) => (e: { target: { value: string } }) => setFilter((f) => ({ ...f, [k]: e.target.value }));
  const filtered = Object.values(filter).some(Boolean);

  return (
    <>
      <PageHeader title={t('req.title')} subtitle={t('req.subtitle', { count: capacity })} actions={<TestRequestButton />} />
      <section className="filters" role="search" aria-label={t('req.filters')}>
        {(['model', 'provider', 'cache'] as const).map((k) => (
          <label key={k} className="field">
            <span>{t(`req.filter.${k}` as MessageKey)}</span>
            <select value={filter[k]} onChange={set(k)}>
              <option value="">{t('common.any')}</option>
              {options[k].map((v) => <option key={v} value={v}>{v}</option>)}
            </select>
          </label>
        ))}
        <label className="field">
          <span>{t('req.filter.status')}</span>
          <select value={filter.status} onChange={set('status')}>
            <option value="">{t('common.any')}</option>
            <option value="ok">{t('req.status.ok')}</option>
            <option value="error">{t('req.status.error')}</option>
          </select>
        </label>
        <label className="field field-grow">
          <span>{t('req.filter.text')}</span>
          <input type="search" value={filter.text} placeholder={t('req.filter.text.placeholder')} onChange={set('text')} />
        </label>
        <button type="button" className="btn btn-quiet" disabled={!filtered} onClick={() => setFilter(EMPTY_FILTER)}>{t('req.filter.clear')}</button>
      </section>
      <p className="hint num" aria-live="polite">{t('req.count', { shown: shown.length, total: items.length })}</p>
      {shown.length ? (
        <RequestTable items={shown} onOpen={setOpen} label={t('req.table')} />
      ) : (
        <p className="empty card">{filtered ? t('req.emptyFiltered') : t('req.empty')}</p>
      )}
      {open && <RequestDetailDialog id={open} onClose={() => setOpen(null)} />}
    </>
  );
}
