// Routing: what exists today — the models the engine serves and their providers.
import { useEffect } from 'react';
import { PageHeader } from '../components/page-header.tsx';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

export function RoutingPage() {
  const t = useT();
  const { client, stores } = usePanel();
  const models = useSlice(stores.settings, (s) => s.models);
  useEffect(() => {
    client.call('modelsList').then((m) => stores.settings.getState().setModels(m), () => {});
  }, [client, stores]);
  return (
    <>
      <PageHeader title={t('routing.title')} subtitle={t('routing.subtitle')} />
      <section className="card" aria-labelledby="models-title">
        <h2 id="models-title">{t('routing.models')}</h2>
        <div className="table-wrap">
          <table className="table" aria-label={t('routing.models')}>
            <thead><tr><th scope="col">{t('routing.col.model')}</th><th scope="col">{t('routing.col.provider')}</th></tr></thead>
            <tbody>{models.map((m) => <tr key={`${m.provider}/${m.id}`}><td className="mono">{m.id}</td><td>{m.provider}</td></tr>)}</tbody>
          </table>
        </div>
      </section>
      <p className="hint">{t('routing.soon')}</p>
    </>
  );
}
