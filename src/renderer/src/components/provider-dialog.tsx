// Add or edit an OpenAI-compatible provider. The key field shows the masked value and only sends a typed key.
import { useState } from 'react';
import type { ProviderInput, ProviderView } from '../../../shared/admin/core-routes.ts';
import { PROVIDER_ID } from '../../../shared/config.ts';
import { usePanel, useT } from '../panel-context.tsx';
import { Field } from './field.tsx';
import { Modal } from './modal.tsx';

export function ProviderDialog({ existing, onClose }: { existing: ProviderView | null; onClose(): void }) {
  const t = useT();
  const { client, stores } = usePanel();
  const [id, setId] = useState(existing?.id ?? '');
  const [label, setLabel] = useState(existing?.label ?? '');
  const [baseUrl, setBaseUrl] = useState(existing?.baseUrl ?? '');
  const [apiKey, setApiKey] = useState('');
  const [removeKey, setRemoveKey] = useState(false);
  // only what is configured: the models a provider lists (or, open, any name) are not a restriction to save back
  const [models, setModels] = useState(existing && existing.type === 'openai-compatible' ? existing.configuredModels.join(', ') : '');
  const [enabled, setEnabled] = useState(existing?.enabled ?? true);
  /** A problem: under the field it is about (the id, the base URL), or under the form. */
  const [error, setError] = useState<{ field: 'id' | 'baseUrl' | null; message: string } | null>(null);
  const errorFor = (k: 'id' | 'baseUrl') => (error?.field === k ? error.message : null);
  const [busy, setBusy] = useState(false);
  const push = stores.toasts.getState().push;

  const submit = async () => {
    if (!PROVIDER_ID.test(id)) { setError({ field: 'id', message: t('set.providers.idInvalid') }); return; }
    const type = existing?.type ?? 'openai-compatible';
    if (type === 'openai-compatible' && !/^https?:\/\/\S+$/.test(baseUrl.trim())) { setError({ field: 'baseUrl', message: t('set.providers.urlInvalid') }); return; }
    setError(null);
    const body: ProviderInput = { id, type, enabled };
    if (label.trim()) body.label = label.trim();
    if (baseUrl.trim()) body.baseUrl = baseUrl.trim();
    if (apiKey) body.apiKey = apiKey;
    else if (removeKey) body.apiKey = '';
    if (type === 'openai-compatible') body.models = models.split(',').map((m) => m.trim()).filter(Boolean);
    setBusy(true);
    try {
      await client.call('providerSave', { params: { id }, body });
      stores.settings.getState().setProviders(await client.call('providersList'));
      client.call('modelsList').then((m) => stores.settings.getState().setModels(m), () => {});
      push('success', t('set.providers.saved', { id }));
      onClose();
    } catch (err) {
      setError({ field: null, message: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={existing ? t('set.providers.editTitle', { id: existing.id }) : t('set.providers.addTitle')}
      onClose={onClose}
      footer={(
        <>
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" form="provider-form" className="btn btn-primary" disabled={busy} aria-busy={busy}>{t('common.save')}</button>
        </>
      )}
    >
      <form id="provider-form" className="form-stack" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <Field label={t('set.providers.id')} hint={t('set.providers.id.hint')} error={errorFor('id')}>
          {(f) => <input {...f} value={id} onChange={(e) => setId(e.target.value)} readOnly={!!existing} required autoFocus={!existing} />}
        </Field>
        <Field label={t('set.providers.label')}>
          {(f) => <input {...f} value={label} onChange={(e) => setLabel(e.target.value)} />}
        </Field>
        <Field label={t('set.providers.baseUrl')} error={errorFor('baseUrl')}>
          {(f) => <input {...f} type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://api.example.com/v1" />}
        </Field>
        <Field label={t('set.providers.apiKey')} hint={existing?.apiKey ? t('set.providers.apiKey.keep', { masked: existing.apiKey }) : t('set.providers.apiKey.none')}>
          {(f) => (
            <input {...f} type="password" value={apiKey} onChange={(e) => { setApiKey(e.target.value); if (e.target.value) setRemoveKey(false); }}
              placeholder={existing?.apiKey ?? ''} autoComplete="off" />
          )}
        </Field>
        {existing?.apiKey && (
          <label className="check">
            <input type="checkbox" checked={removeKey} disabled={!!apiKey} onChange={(e) => setRemoveKey(e.target.checked)} />
            {t('set.providers.apiKey.remove')}
          </label>
        )}
        {(existing?.type ?? 'openai-compatible') === 'openai-compatible' && (
          <Field label={t('set.providers.models')} hint={listedHint(existing, models, t)}>
            {(f) => <input {...f} value={models} onChange={(e) => setModels(e.target.value)} placeholder="gpt-4o-mini, text-embedding-3-small" />}
          </Field>
        )}
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          {t('set.providers.enabled')}
        </label>
        {error && !error.field && <p role="alert" className="error-text">{error.message}</p>}
      </form>
    </Modal>
  );
}

/** Under an empty models field: what the provider serves when nothing is configured. */
function listedHint(existing: ProviderView | null, typed: string, t: ReturnType<typeof useT>): string | undefined {
  if (!existing || typed.trim()) return undefined;
  const listed = existing.models.slice(0, 6).join(', ') + (existing.models.length > 6 ? ', …' : '');
  if (existing.open) return listed ? t('set.providers.models.openListed', { models: listed }) : t('set.providers.models.open');
  return listed ? t('set.providers.models.listed', { models: listed }) : undefined;
}
