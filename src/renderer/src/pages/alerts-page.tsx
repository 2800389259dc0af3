// Alerts: what exists today — the failed requests among those received.
import { useMemo, useState } from 'react';
import { PageHeader } from '../components/page-header.tsx';
import { RequestDetailDialog } from '../components/request-detail-dialog.tsx';
import { RequestTable } from '../components/request-table.tsx';
import { isError } from '../lib/request-stats.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

export function AlertsPage() {
  const t = useT();
  const { stores } = usePanel();
  const items = useSlice(stores.requests, (s) => s.items);
  const errors = useMemo(() => items.filter(isError).slice(0, 50), [items]);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <PageHeader title={t('alerts.title')} subtitle={t('alerts.subtitle')} />
      <section className="card" aria-labelledby="errors-title">
        <h2 id="errors-title">{t('alerts.recentErrors')}</h2>
        {errors.length ? <RequestTable items={errors} onOpen={setOpen} label={t('alerts.recentErrors')} /> : <p className="empty">{t('alerts.noErrors')}</p>}
      </section>
      <p className="hint">{t('alerts.soon')}</p>
      {open && <RequestDetailDialog id={open} onClose={() => setOpen(null)} />}
    </>
  );
}
