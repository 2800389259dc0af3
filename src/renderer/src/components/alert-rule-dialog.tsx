// Create or edit an alert rule; problems are shown next to the field, the engine's own message included.
import { useState } from 'react';
import { ALERT_COMPARATORS, ALERT_METRICS, ALERT_SEVERITIES, type AlertRule } from '../../../shared/alerts.ts';
import { AdminApiError } from '../api/admin-api-error.ts';
import type { MessageKey } from '../i18n/en.ts';
import { EMPTY_RULE_FORM, formToRule, problemText, ruleFieldFromParam, ruleToForm, type AlertRuleForm, type RuleField, type RuleProblemKind } from '../lib/alert-forms.ts';
import { usePanel, useT } from '../panel-context.tsx';
import { Field } from './field.tsx';
import { Modal } from './modal.tsx';
import { Switch } from './switch.tsx';


const PROBLEM_TEXT: Record<RuleProblemKind, MessageKey> = {
  required: 'alerts.rule.required', number: 'alerts.rule.number', integer: 'alerts.rule.integer',
  idChars: 'alerts.rule.idChars', fraction: 'alerts.rule.fraction',
};
export function AlertRuleDialog({ existing, onClose, onSaved }: { existing: AlertRule | null; onClose(): void; onSaved(rule: AlertRule): void }) {
  const t = useT();
  const { client, stores } = usePanel();
  const push = stores.toasts.getState().push;
  const [form, setForm] = useState<AlertRuleForm>(existing ? ruleToForm(existing) : EMPTY_RULE_FORM);
  const [error, setError] = useState<{ field: RuleField | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof AlertRuleForm) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const errorFor = (k: RuleField) => (error?.field === k ? error.message : null);

  const save = async () => {
    const parsed = formToRule(form);
    if (!parsed.ok) {
      setError({ field: parsed.field, message: t(PROBLEM_TEXT[parsed.problem]) });
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const saved = existing
        ? await client.call('alertRuleUpdate', { params: { id: existing.id }, body: parsed.rule })
        : await client.call('alertRuleCreate', { body: parsed.rule });
      push('success', t('alerts.rules.saved', { name: saved.name }));
      onSaved(saved);
      onClose();
    } catch (err) {
      const e = err as Error;
      const param = err instanceof AdminApiError ? err.param : null;
      setError({ field: ruleFieldFromParam(param), message: problemText(e.message, param) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={t(existing ? 'alerts.rule.editTitle' : 'alerts.rule.new')}
      onClose={onClose}
      footer={(
        <>
          <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" form="alert-rule-form" className="btn btn-primary" disabled={busy} aria-busy={busy}>{t('common.save')}</button>
        </>
      )}
    >
      <form id="alert-rule-form" className="form-grid" noValidate aria-label={t('alerts.rule.form')} onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <Field label={t('alerts.rule.name')} error={errorFor('name')} className="span-all">
          {(a) => <input {...a} value={form.name} onChange={set('name')} autoFocus />}
        </Field>
        <Field label={t('alerts.rule.id')} hint={t('alerts.rule.id.hint')} error={errorFor('id')}>
          {(a) => <input {...a} value={form.id} onChange={set('id')} readOnly={!!existing} />}
        </Field>
        <Field label={t('alerts.rule.metric')} error={errorFor('metric')}>
          {(a) => (
            <select {...a} value={form.metric} onChange={set('metric')}>
              {ALERT_METRICS.map((m) => <option key={m} value={m}>{t(`alerts.metric.${m}` as MessageKey)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('alerts.rule.comparator')} error={errorFor('comparator')}>
          {(a) => (
            <select {...a} value={form.comparator} onChange={set('comparator')}>
              {ALERT_COMPARATORS.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('alerts.rule.threshold')} hint={t('alerts.rule.threshold.hint')} error={errorFor('threshold')}>
          {(a) => <input {...a} type="text" inputMode="decimal" value={form.threshold} onChange={set('threshold')} />}
        </Field>
        <Field label={t('alerts.rule.forSeconds')} error={errorFor('forSeconds')}>
          {(a) => <input {...a} type="text" inputMode="numeric" value={form.forSeconds} onChange={set('forSeconds')} />}
        </Field>
        <Field label={t('alerts.rule.severity')} error={errorFor('severity')}>
          {(a) => (
            <select {...a} value={form.severity} onChange={set('severity')}>
              {ALERT_SEVERITIES.map((s) => <option key={s} value={s}>{t(`alerts.severity.${s}` as MessageKey)}</option>)}
            </select>
          )}
        </Field>
        <div className="field span-all">
          <Switch label={t('alerts.rule.enabled')} checked={form.enabled} onChange={(v) => setForm((f) => ({ ...f, enabled: v }))} />
        </div>
        {error && !error.field && <p className="error-text span-all" role="alert">{error.message}</p>}
      </form>
    </Modal>
  );
}
