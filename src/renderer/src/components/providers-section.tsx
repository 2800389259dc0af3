// Providers: the list with masked keys, add / edit / delete.
import { PROVIDER_SOURCES } from '../../../shared/config.ts';
import type { MessageKey } from '../i18n/en.ts';
import { useEffect, useState } from 'react';
import type { ProviderView } from '../../../shared/admin/core-routes.ts';
import { isEngineLabel, providerLabel } from '../lib/builtin-text.ts';
import { providerInUseWords } from '../lib/provider-in-use.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { ProviderDialog } from './provider-dialog.tsx';


export function ProvidersSection() {
  const t = useT();
  const { client, stores } = usePanel();
  const providers = useSlice(stores.settings, (s) => s.providers);
  const revision = useSlice(stores.settings, (s) => s.revision.providers ?? 0);
  const language = useSlice(stores.prefs, (s) => s.language);
  const [editing, setEditing] = useState<ProviderView | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ProviderView | null>(null);
  const push = stores.toasts.getState().push;

  useEffect(() => {
    client.call('providersList').then((p) => stores.settings.getState().setProviders(p), (err: Error) => push('error', t('common.error', { message: err.message })));
  }, [client, stores, revision]);

  return (
    <section className="card" aria-labelledby="providers-title">
      <div className="card-head">
        <h2 id="providers-title">{t('set.providers')}</h2>
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>{t('set.providers.add')}</button>
      </div>
      {!providers ? <p aria-busy="true">{t('common.loading')}</p> : !providers.length ? <p className="empty">{t('set.providers.empty')}</p> : (
        <div className="table-wrap">
          <table className="table table-reflow" aria-label={t('set.providers')}>
            <thead>
              <tr>
                <th scope="col">{t('set.providers.col.id')}</th>
                <th scope="col">{t('set.providers.col.connection')}</th>
                <th scope="col">{t('set.providers.col.source')}</th>
                <th scope="col">{t('set.providers.col.models')}</th>
                <th scope="col">{t('set.providers.col.enabled')}</th>
                <th scope="col"><span className="sr-only">{t('set.providers.col.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {providers.map((p) => (
                <tr key={p.id}>
                  {/* the type rides under the id: a column of its own did not fit at 1024 px */}
                  <td className="col-name cell-main">
                    <div className="strong">{p.id} <span className="chip" aria-label={t('set.providers.col.type')}>{p.type}</span></div>
                    {/* the simulator's own label says what its description says: one of the two is enough */}
                    {p.label !== p.id && !(p.type === 'simulator' && isEngineLabel(p)) && <div className="hint">{providerLabel(t, p)}</div>}
                    {p.type === 'simulator' && <div className="hint">{t('set.providers.builtin')}</div>}
                  </td>
                  {/* the address and its key in one cell, for the same reason */}
                  <td className="col-connection cell-main">
                    <div className="mono ellipsis" title={p.baseUrl ?? ''}>{p.baseUrl ?? '—'}</div>
                    {p.apiKey && <div className="hint mono" aria-label={t('set.providers.col.key')}>{p.apiKey}</div>}
                  </td>
                  <td className="nowrap" data-label={t('set.providers.col.source')}>{(PROVIDER_SOURCES as readonly string[]).includes(p.source) ? t(`set.providers.source.${p.source}` as MessageKey) : p.source}</td>
                  <td className="small ellipsis col-models" data-label={t('set.providers.col.models')} title={p.models.join(', ')}>
                    {p.models.length ? p.models.slice(0, 4).join(', ') + (p.models.length > 4 ? ` +${p.models.length - 4}` : '') : p.open ? t('set.providers.models.any') : '—'}
                  </td>
                  <td data-label={t('set.providers.col.enabled')}>{p.enabled ? t('common.yes') : t('common.no')}</td>
                  <td className="actions">
                    <button type="button" className="btn btn-small" aria-label={t('set.providers.edit', { id: p.id })} onClick={() => setEditing(p)}>{t('common.edit')}</button>
                    {/* the simulator is always there: the engine refuses to delete it (disable it in its dialog instead) */}
                    {p.id !== 'simulator' && <button type="button" className="btn btn-small btn-danger-quiet" aria-label={t('set.providers.remove', { id: p.id })} onClick={() => setDeleting(p)}>{t('common.delete')}</button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && <ProviderDialog existing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {deleting && (
        <ConfirmDialog
          title={t('set.providers.delete.title', { id: deleting.id })}
          body={t('set.providers.delete.body')}
          confirmLabel={t('common.delete')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            try {
              await client.call('providerDelete', { params: { id: deleting.id } });
              stores.settings.getState().setProviders(await client.call('providersList'));
              push('success', t('set.providers.deleted', { id: deleting.id }));
            } catch (err) {
              // still named by routing: what names it, in the reader's words
              push('error', providerInUseWords(t, language, deleting.id, err) ?? t('common.error', { message: (err as Error).message }));
            }
          }}
        />
      )}
    </section>
  );
}
