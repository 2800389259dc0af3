// Alerts: open alerts (acknowledge), resolved ones, the rule editor and notification settings.
import { useEffect, useMemo } from 'react';
import type { Alert } from '../../../shared/alerts.ts';
import { AlertNotificationsForm } from '../components/alert-notifications-form.tsx';
import { AlertRulesSection } from '../components/alert-rules-section.tsx';
import { AlertsTable } from '../components/alerts-table.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

export function AlertsPage() {
  const t = useT();
  const { client, stores } = usePanel();
  const alerts = useSlice(stores.alerts, (s) => s.alerts);
  const loaded = useSlice(stores.alerts, (s) => s.loaded);
  const push = stores.toasts.getState().push;
  useEffect(() => {
    client.call('alertsList', { query: { status: 'all', limit: 200 } }).then((l) => stores.alerts.getState().setList(l), (err: Error) => push('error', t('common.error', { message: err.message })));
  }, [client, stores]);
  const open = useMemo(() => alerts.filter((a) => a.resolvedAt === null), [alerts]);
  const resolved = useMemo(() => alerts.filter((a) => a.resolvedAt !== null).slice(0, 50), [alerts]);

  const acknowledge = async (a: Alert) => {
    try {
      const updated = await client.call('alertAcknowledge', { params: { id: a.id } });
      stores.alerts.getState().apply('acknowledged', updated);
      push('success', t('alerts.ackDone'));
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    }
  };

  return (
    <>
      <PageHeader title={t('alerts.title')} subtitle={t('alerts.subtitle')} />
      <section className="card" aria-labelledby="alerts-open-title">
        <h2 id="alerts-open-title">{t('alerts.open')}</h2>
        {!loaded && !alerts.length ? <p aria-busy="true">{t('common.loading')}</p>
          : open.length ? <AlertsTable alerts={open} label={t('alerts.open')} onAcknowledge={(a) => void acknowledge(a)} />
            : <p className="empty">{t('alerts.noOpen')}</p>}
      </section>
      <AlertRulesSection />
      <section className="card" aria-labelledby="alerts-notify-title">
        <h2 id="alerts-notify-title">{t('alerts.notify')}</h2>
        <AlertNotificationsForm />
      </section>
      <section className="card" aria-labelledby="alerts-resolved-title">
        <h2 id="alerts-resolved-title">{t('alerts.resolved')}</h2>
        {resolved.length ? <AlertsTable alerts={resolved} label={t('alerts.resolved')} resolved /> : <p className="empty">{t('alerts.noResolved')}</p>}
      </section>
    </>
  );
}
