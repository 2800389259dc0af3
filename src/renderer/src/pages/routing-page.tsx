// Routing: provider health and breakers, aliases with a one-click switch, the rules editor with its
// history, the explain tester, budgets, and import/export of the routing document.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RoutingDocumentView } from '../../../shared/admin/routing-routes.ts';
import type { BudgetStatusView, ProviderHealth, RoutingExport } from '../../../shared/routing.ts';
import { PageHeader } from '../components/page-header.tsx';
import { RoutingAliases } from '../components/routing-aliases.tsx';
import { RoutingBudgets } from '../components/routing-budgets.tsx';
import { RoutingExplain } from '../components/routing-explain.tsx';
import { RoutingHistory } from '../components/routing-history.tsx';
import { RoutingImport } from '../components/routing-import.tsx';
import { RoutingProviders } from '../components/routing-providers.tsx';
import { RoutingRules } from '../components/routing-rules.tsx';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

type Load = { state: 'loading' } | { state: 'unavailable'; message: string } | { state: 'ready'; doc: RoutingDocumentView };

export function RoutingPage() {
  const t = useT();
  const { client, stores } = usePanel();
  const revision = useSlice(stores.routing, (s) => s.revision);
  const push = stores.toasts.getState().push;
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [health, setHealth] = useState<ProviderHealth[]>([]);
  const [budgets, setBudgets] = useState<BudgetStatusView[]>([]);

  const reloadStatus = useCallback(() => {
    client.call('routingHealth').then(setHealth, () => {});
    client.call('routingBudgets').then(setBudgets, () => {});
  }, [client]);
  useEffect(() => {
    client.call('routingGet').then((doc) => setLoad({ state: 'ready', doc }), (err: Error) => setLoad({ state: 'unavailable', message: err.message }));
    reloadStatus();
    client.call('modelsList').then((m) => stores.settings.getState().setModels(m), () => {});
    const h = setInterval(reloadStatus, 5000);
    return () => clearInterval(h);
  }, [client, stores, revision, reloadStatus]);

  const setDoc = (doc: RoutingDocumentView) => { setLoad({ state: 'ready', doc }); reloadStatus(); };
  const providerIds = useMemo(() => health.map((h) => h.provider), [health]);

  const exportJson = async () => {
    try {
      const data: RoutingExport = await client.call('routingExport');
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `sluice-routing-${new Date(data.exportedAt).toISOString().slice(0, 10)}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    }
  };
  return (
    <>
      <PageHeader
        title={t('routing.title')}
        subtitle={t('routing.subtitle')}
        actions={load.state === 'ready' && (
          <>
            <button type="button" className="btn" onClick={() => void exportJson()}>{t('routing.export')}</button>
            <RoutingImport doc={load.doc} onImported={setDoc} />
          </>
        )}
      />
      {load.state === 'loading' && <p aria-busy="true">{t('common.loading')}</p>}
      {load.state === 'unavailable' && <p className="card hint" role="status">{t('routing.unavailable', { message: load.message })}</p>}
      {load.state === 'ready' && (
        <>
          <RoutingProviders health={health} onChanged={reloadStatus} />
          <RoutingAliases doc={load.doc} onSaved={setDoc} />
          <RoutingRules doc={load.doc} onSaved={setDoc} />
          <RoutingExplain />
          <RoutingBudgets doc={load.doc} statuses={budgets} providers={providerIds} onSaved={setDoc} />
          <RoutingHistory doc={load.doc} onSaved={setDoc} />
        </>
      )}
    </>
  );
}
