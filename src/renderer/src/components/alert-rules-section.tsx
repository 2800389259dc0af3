// Alert rules: the list with enable/edit/delete, and the dialog to add or change one.
import { formatMetricValue, metricLabel, ruleName } from '../lib/alert-text.ts';
import { useEffect, useState } from 'react';
import type { AlertRule } from '../../../shared/alerts.ts';
import type { MessageKey } from '../i18n/en.ts';
import { AdminApiError } from '../api/admin-api-error.ts';
import { usePanel, useT } from '../panel-context.tsx';
import { AlertRuleDialog } from './alert-rule-dialog.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { Switch } from './switch.tsx';

export function AlertRulesSection() {
  const t = useT();
  const { client, stores } = usePanel();
  const push = stores.toasts.getState().push;
  const [rules, setRules] = useState<AlertRule[] | null>(null);
  const [editing, setEditing] = useState<AlertRule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);
  const reload = () => client.call('alertRulesList').then(setRules, (err: Error) => push('error', t('common.error', { message: err.message })));
  useEffect(() => { void reload(); }, [client]);

  const toggle = async (r: AlertRule, enabled: boolean) => {
    try {
      await client.call('alertRuleUpdate', { params: { id: r.id }, body: { ...r, enabled } });
      push('success', t('alerts.rules.saved', { name: r.name }));
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    }
    void reload();
  };

  return (
    <section className="card" aria-labelledby="alert-rules-title">
      <div className="card-head">
        <div>
          <h2 id="alert-rules-title">{t('alerts.rules')}</h2>
          <p className="hint">{t('alerts.rules.hint')}</p>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>{t('alerts.rules.add')}</button>
      </div>
      {!rules ? <p aria-busy="true">{t('common.loading')}</p> : !rules.length ? <p className="empty">{t('alerts.rules.empty')}</p> : (
        <div className="table-wrap">
          <table className="table table-reflow" aria-label={t('alerts.rules')}>
            <thead>
              <tr>
                <th scope="col">{t('alerts.rules.col.name')}</th>
                <th scope="col">{t('alerts.rules.col.condition')}</th>
                <th scope="col">{t('alerts.rules.col.severity')}</th>
                <th scope="col">{t('alerts.rules.col.enabled')}</th>
                <th scope="col"><span className="sr-only">{t('alerts.col.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {rules.map((r) => (
                <tr key={r.id}>
                  <td className="cell-main"><div className="strong">{ruleName(t, r)}</div><div className="hint mono">{r.id}</div></td>
                  <td className="small cell-main">{t('alerts.rules.condition', { metric: metricLabel(t, r.metric), comparator: r.comparator, threshold: formatMetricValue(r.metric, r.threshold), seconds: r.forSeconds })}</td>
                  <td><span className={`sev sev-${r.severity}`}>{t(`alerts.severity.${r.severity}` as MessageKey)}</span></td>
                  <td><Switch label={`${t('alerts.rules.col.enabled')}: ${r.name}`} hideLabel checked={r.enabled} onChange={(v) => void toggle(r, v)} /></td>
                  <td className="actions">
                    <button type="button" className="btn btn-small" aria-label={t('alerts.rules.edit', { name: r.name })} onClick={() => setEditing(r)}>{t('common.edit')}</button>
                    <button type="button" className="btn btn-small btn-danger-quiet" aria-label={t('alerts.rules.remove', { name: r.name })} onClick={() => setDeleting(r)}>{t('common.delete')}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && <AlertRuleDialog existing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => void reload()} />}
      {deleting && (
        <ConfirmDialog
          title={t('alerts.rules.deleteTitle', { name: deleting.name })}
          body={t('alerts.rules.deleteBody')}
          confirmLabel={t('common.delete')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            try {
              await client.call('alertRuleDelete', { params: { id: deleting.id } });
              push('success', t('alerts.rules.deleted', { name: deleting.name }));
            } catch (err) {
              // deleted already (in another window): what was asked for is done
              if (err instanceof AdminApiError && err.gone) push('success', t('alerts.rules.deleted', { name: deleting.name }));
              else push('error', t('common.error', { message: (err as Error).message }));
            }
            await reload();
          }}
        />
      )}
    </section>
  );
}
