// The form that starts a load test.
import { useState } from 'react';
import type { MessageKey } from '../i18n/en.ts';
import { DEFAULT_LOADTEST_FORM, toLoadTestSpec, withEndpoint, type LoadTestFormValues } from '../lib/loadtest-form.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { Field } from './field.tsx';

const ENDPOINTS = ['chat', 'chat-stream', 'embeddings', 'speech'] as const;

export function LoadTestForm({ running }: { running: boolean }) {
  const t = useT();
  const { client, stores } = usePanel();
  const models = useSlice(stores.settings, (s) => s.models);
  const [v, setV] = useState<LoadTestFormValues>(DEFAULT_LOADTEST_FORM);
  const [error, setError] = useState<{ field: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const push = stores.toasts.getState().push;
  const set = (k: keyof LoadTestFormValues) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));
  const invalid = (k: keyof LoadTestFormValues) => (error?.field === k ? { 'aria-invalid': true as const, 'aria-errormessage': 'lt-error' } : {});

  const submit = async () => {
    const r = toLoadTestSpec(v);
    if (!r.ok) { setError({ field: r.field, message: t(r.error) }); return; }
    setError(null);
    setBusy(true);
    try {
      const { id } = await client.call('loadTestStart', { body: r.spec });
      stores.loadTests.getState().apply({ id, state: 'running' });
      push('info', t('lt.started'));
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form-grid" noValidate aria-labelledby="lt-form-title" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h2 id="lt-form-title" className="span-all">{t('lt.form')}</h2>
      <label className="field">
        <span>{t('lt.endpoint')}</span>
        <select value={v.endpoint} onChange={(e) => setV((x) => withEndpoint(x, e.target.value as LoadTestFormValues['endpoint']))}>
          {ENDPOINTS.map((e) => <option key={e} value={e}>{t(`lt.endpoint.${e}` as MessageKey)}</option>)}
        </select>
      </label>
      <label className="field">
        <span>{t('lt.model')}</span>
        <input value={v.model} onChange={set('model')} list="lt-models" required />
        <datalist id="lt-models">{[...new Set(models.filter((m) => m.endpoints.includes(v.endpoint === 'chat-stream' ? 'chat' : v.endpoint)).map((m) => m.id))].map((id) => <option key={id} value={id} />)}</datalist>
      </label>
      <label className="field">
        <span>{t('lt.concurrency')}</span>
        <input type="number" inputMode="numeric" min={1} max={256} value={v.concurrency} onChange={set('concurrency')} {...invalid('concurrency')} />
      </label>
      <fieldset className="field">
        <legend>{t('lt.stopBy')}</legend>
        <div className="radio-row">
          <label><input type="radio" name="stopBy" checked={v.stopBy === 'total'} onChange={() => setV((x) => ({ ...x, stopBy: 'total' }))} /> {t('lt.stopBy.total')}</label>
          <label><input type="radio" name="stopBy" checked={v.stopBy === 'duration'} onChange={() => setV((x) => ({ ...x, stopBy: 'duration' }))} /> {t('lt.stopBy.duration')}</label>
        </div>
      </fieldset>
      {v.stopBy === 'total' ? (
        <label className="field">
          <span>{t('lt.total')}</span>
          <input type="number" inputMode="numeric" min={1} value={v.total} onChange={set('total')} {...invalid('total')} />
        </label>
      ) : (
        <label className="field">
          <span>{t('lt.duration')}</span>
          <input type="number" inputMode="decimal" min={1} value={v.duration} onChange={set('duration')} {...invalid('duration')} />
        </label>
      )}
      <Field label={t('lt.repeat')} hint={t('lt.repeat.hint')}>
        {(a) => <input {...a} type="number" inputMode="decimal" min={0} max={1} step={0.05} value={v.repeatRatio} onChange={set('repeatRatio')} {...invalid('repeatRatio')} />}
      </Field>
      <label className="field">
        <span>{t('lt.name')}</span>
        <input value={v.name} onChange={set('name')} />
      </label>
      <label className="field span-all">
        <span>{t('lt.prompts')}</span>
        <textarea rows={3} value={v.prompts} onChange={set('prompts')} />
      </label>
      {error && <p id="lt-error" role="alert" className="error-text span-all">{error.message}</p>}
      <div className="form-actions span-all">
        <button type="submit" className="btn btn-primary" disabled={running || busy}>{t('lt.start')}</button>
      </div>
    </form>
  );
}
