// The rules editor: one JSON editor per rule, enable switch, save (the whole document, validated by the
// engine: a refused save leaves the old rules serving and puts the message next to the rule), delete.
import { useEffect, useState } from 'react';
import type { RoutingDocumentView } from '../../../shared/admin/routing-routes.ts';
import type { RoutingRule } from '../../../shared/routing.ts';
import { AdminApiError } from '../api/admin-api-error.ts';
import { newRuleTemplate, parseRuleJson, ruleIndexFromParam, withoutRule, withRule } from '../lib/routing-edit.ts';
import { usePanel, useT } from '../panel-context.tsx';
import { Switch } from './switch.tsx';

const pretty = (r: RoutingRule) => JSON.stringify(r, null, 2);

function RuleEditor({ index, rule, doc, error, onSaved, onError }: {
  index: number; rule: RoutingRule; doc: RoutingDocumentView; error: string | null;
  onSaved(doc: RoutingDocumentView, message: string): void; onError(index: number, message: string | null): void;
}) {
  const t = useT();
  const { client, stores } = usePanel();
  const push = stores.toasts.getState().push;
  const [text, setText] = useState(() => pretty(rule));
  const [busy, setBusy] = useState(false);
  useEffect(() => { setText(pretty(rule)); }, [rule]);
  const dirty = text !== pretty(rule);
  const errId = `rule-${index}-error`;

  const save = async (next: RoutingDocumentView['config'], message: string) => {
    setBusy(true);
    try {
      const saved = await client.call('routingPut', { body: next });
      onError(index, null);
      onSaved(saved, message);
    } catch (err) {
      const param = err instanceof AdminApiError ? err.param : null;
      const at = ruleIndexFromParam(param);
      onError(at ?? index, (err as Error).message);
      if (at === null) push('error', t('common.error', { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  const toggle = async (enabled: boolean) => {
    setBusy(true);
    try {
      const saved = await client.call('routingRuleEnable', { params: { id: rule.id }, body: { enabled } });
      onError(index, null);
      onSaved(saved, t('routing.rule.saved', { id: rule.id }));
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  const saveText = () => {
    const parsed = parseRuleJson(text);
    if (!parsed.ok) { onError(index, parsed.problem); return; }
    void save(withRule(doc.config, index, parsed.rule), t('routing.rule.saved', { id: parsed.rule.id }));
  };
  const label = t('routing.rule.json', { id: rule.id });
  return (
    <li className="card" style={{ boxShadow: 'none' }}>
      <div className="card-head">
        <Switch label={t('routing.rule.enabled', { id: rule.id })} checked={rule.enabled} disabled={busy || index >= doc.config.rules.length}
          onChange={(v) => void toggle(v)} />
        {dirty && <span className="chip chip-running">{t('routing.rule.unsaved')}</span>}
      </div>
      <label className="field">
        <span>{label}</span>
        <textarea rows={Math.min(18, text.split('\n').length + 1)} value={text} spellCheck={false} onChange={(e) => setText(e.target.value)}
          aria-invalid={error ? true : undefined} aria-describedby={error ? errId : undefined} />
        {error && <small id={errId} className="field-error" role="alert">{error}</small>}
      </label>
      <div className="form-actions">
        <button type="button" className="btn btn-small btn-danger-quiet" disabled={busy} aria-label={t('routing.rule.delete', { id: rule.id })}
          onClick={() => (index < doc.config.rules.length ? void save(withoutRule(doc.config, index), t('routing.rule.deleted', { id: rule.id })) : onSaved(doc, ''))}>{t('common.delete')}</button>
        <button type="button" className="btn btn-primary btn-small" disabled={busy} aria-busy={busy} aria-label={t('routing.rule.saveLabel', { id: rule.id })} onClick={saveText}>{t('routing.rule.save')}</button>
      </div>
    </li>
  );
}

export function RoutingRules({ doc, onSaved }: { doc: RoutingDocumentView; onSaved(doc: RoutingDocumentView): void }) {
  const t = useT();
  const { stores } = usePanel();
  const push = stores.toasts.getState().push;
  const [draft, setDraft] = useState<RoutingRule | null>(null);
  const [errors, setErrors] = useState<Record<number, string>>({});
  const rules = draft ? [...doc.config.rules, draft] : doc.config.rules;
  const saved = (next: RoutingDocumentView, message: string) => {
    setDraft(null);
    setErrors({});
    if (message) push('success', message);
    onSaved(next);
  };
  const onError = (i: number, message: string | null) => setErrors((e) => {
    const n = { ...e };
    if (message === null) delete n[i]; else n[i] = message;
    return n;
  });
  return (
    <section className="card" aria-labelledby="routing-rules-title">
      <div className="card-head">
        <div>
          <h2 id="routing-rules-title">{t('routing.rules')}</h2>
          <p className="hint">{t('routing.rules.hint')}</p>
        </div>
        <button type="button" className="btn btn-primary" disabled={!!draft} onClick={() => setDraft(newRuleTemplate(doc.config.rules))}>{t('routing.rules.add')}</button>
      </div>
      {!rules.length ? <p className="empty">{t('routing.rules.empty')}</p> : (
        <ol className="stack" style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label={t('routing.rules')}>
          {rules.map((r, i) => <RuleEditor key={`${i}:${r.id}`} index={i} rule={r} doc={doc} error={errors[i] ?? null} onSaved={saved} onError={onError} />)}
        </ol>
      )}
    </section>
  );
}
