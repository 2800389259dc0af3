// Where alerts go besides the panel: a webhook (with headers), the minimum severity, desktop notifications.
import { useEffect, useState } from 'react';
import { ALERT_SEVERITIES, type AlertNotificationSettings, type AlertSeverity } from '../../../shared/alerts.ts';
import { AdminApiError } from '../api/admin-api-error.ts';
import type { MessageKey } from '../i18n/en.ts';
import { fieldFromParam, formatHeaders, parseHeaders, problemText } from '../lib/alert-forms.ts';
import { usePanel, useT } from '../panel-context.tsx';
import { Field } from './field.tsx';
import { Switch } from './switch.tsx';

type NotifyField = 'webhookUrl' | 'webhookHeaders' | 'minSeverity';
const FIELDS: readonly NotifyField[] = ['webhookUrl', 'webhookHeaders', 'minSeverity'];


/** Empty (no webhook) or an absolute http(s) URL, as the engine takes it. */
function isWebhookUrl(text: string): boolean {
  if (!text.trim()) return true;
  try {
    const u = new URL(text.trim());
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
export function AlertNotificationsForm() {
  const t = useT();
  const { client, stores } = usePanel();
  const push = stores.toasts.getState().push;
  const [draft, setDraft] = useState<AlertNotificationSettings | null>(null);
  const [loadedDesktop, setLoadedDesktop] = useState<boolean | undefined>(undefined);
  const [headers, setHeaders] = useState('');
  const [error, setError] = useState<{ field: NotifyField | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client.call('alertSettingsGet').then((s) => { setDraft(s); setLoadedDesktop(s.desktop); setHeaders(formatHeaders(s.webhookHeaders)); }, (err: Error) => push('error', t('common.error', { message: err.message })));
  }, [client]);

  if (!draft) return <p aria-busy="true">{t('common.loading')}</p>;
  const errorFor = (k: NotifyField) => (error?.field === k ? error.message : null);

  const save = async () => {
    const h = parseHeaders(headers);
    if (!h.ok) { setError({ field: 'webhookHeaders', message: t('alerts.notify.headers.bad', { line: h.line }) }); return; }
    if (!isWebhookUrl(draft.webhookUrl ?? '')) { setError({ field: 'webhookUrl', message: t('alerts.notify.webhook.bad') }); return; }
    setError(null);
    setBusy(true);
    try {
      // Only send `desktop` when it changed: the save merges over the stored settings.
      const { desktop, ...rest } = draft;
      const body = { ...rest, webhookUrl: draft.webhookUrl?.trim() || null, webhookHeaders: h.headers, ...(desktop !== loadedDesktop ? { desktop } : {}) };
      const saved = await client.call('alertSettingsSave', { body: body as AlertNotificationSettings });
      setDraft(saved);
      setLoadedDesktop(saved.desktop);
      setHeaders(formatHeaders(saved.webhookHeaders));
      push('success', t('alerts.notify.saved'));
    } catch (err) {
      const param = err instanceof AdminApiError ? err.param : null;
      setError({ field: fieldFromParam(param, FIELDS), message: problemText((err as Error).message, param) });
    } finally {
      setBusy(false);
    }
  };
  const test = async () => {
    try {
      const r = await client.call('alertWebhookTest');
      push(r.queued ? 'success' : 'info', t(r.queued ? 'alerts.notify.testQueued' : 'alerts.notify.testNone'));
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    }
  };

  return (
    <form className="form-grid" noValidate aria-label={t('alerts.notify')} onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <Field label={t('alerts.notify.webhook')} hint={t('alerts.notify.webhook.hint')} error={errorFor('webhookUrl')} className="span-all">
        {(a) => <input {...a} type="url" value={draft.webhookUrl ?? ''} placeholder="https://…" onChange={(e) => setDraft({ ...draft, webhookUrl: e.target.value })} />}
      </Field>
      <Field label={t('alerts.notify.headers')} hint={t('alerts.notify.headers.hint')} error={errorFor('webhookHeaders')} className="span-all">
        {(a) => <textarea {...a} rows={3} value={headers} onChange={(e) => setHeaders(e.target.value)} spellCheck={false} />}
      </Field>
      <Field label={t('alerts.notify.minSeverity')} error={errorFor('minSeverity')}>
        {(a) => (
          <select {...a} value={draft.minSeverity} onChange={(e) => setDraft({ ...draft, minSeverity: e.target.value as AlertSeverity })}>
            {ALERT_SEVERITIES.map((s) => <option key={s} value={s}>{t(`alerts.severity.${s}` as MessageKey)}</option>)}
          </select>
        )}
      </Field>
      <div className="field span-all"><Switch label={t('alerts.notify.resolved')} checked={draft.notifyResolved} onChange={(v) => setDraft({ ...draft, notifyResolved: v })} /></div>
      <div className="field span-all"><Switch label={t('alerts.notify.desktop')} checked={draft.desktop} onChange={(v) => setDraft({ ...draft, desktop: v })} /></div>
      {error && !error.field && <p className="error-text span-all" role="alert">{error.message}</p>}
      <div className="form-actions span-all">
        <button type="button" className="btn" onClick={() => void test()}>{t('alerts.notify.test')}</button>
        <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>{t('alerts.notify.save')}</button>
      </div>
    </form>
  );
}
