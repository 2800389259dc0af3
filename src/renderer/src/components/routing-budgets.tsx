// Budgets with how much of each is used in its current window, their scope, period, unit and what
// happens when they run out worded in the reader's language (the engine sends its own keywords); each
// can be edited in a form, added or deleted. A save sends the whole routing document, as the rules
// editor does: the engine validates it, a refused save keeps the old budgets and puts each message
// next to the field it is about.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RoutingDocumentView } from '../../../shared/admin/routing-routes.ts';
import type { BudgetConfig, BudgetStatusView } from '../../../shared/routing.ts';
import { AdminApiError } from '../api/admin-api-error.ts';
import { routingProblemWords } from '../lib/routing-problem-words.ts';
import type { MessageKey } from '../i18n/en.ts';
import {
  budgetIssuesFromError, budgetToForm, checkBudgetForm, formToBudget, newBudgetForm, withBudget, withoutBudget,
  type BudgetFieldKey, type BudgetForm, type BudgetProblem,
} from '../lib/budget-form.ts';
import { editedFields, rebaseDraft, sameJson } from '../lib/draft-rebase.ts';
import { formatDateTime, formatInt, formatPercent, formatUsd } from '../lib/format.ts';
import { targetOf, targetOptions } from '../lib/model-options.ts';
import { budgetTone } from '../lib/routing-edit.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { BudgetFormFields } from './routing-budget-form.tsx';
import { isRoutingChanged, saveRouting } from '../api/routing-save.ts';

const PROBLEM_TEXT: Record<BudgetProblem, MessageKey> = {
  required: 'routing.form.problem.required',
  idChars: 'routing.form.problem.idChars',
  idTaken: 'routing.budget.problem.idTaken',
  number: 'routing.form.problem.number',
  integer: 'routing.form.problem.integer',
  percent: 'routing.budget.problem.percent',
  unknownProvider: 'routing.budget.problem.unknownProvider',
  unknownAlias: 'routing.budget.problem.unknownAlias',
  tagChars: 'routing.budget.problem.tagChars',
  badTarget: 'routing.budget.problem.badTarget',
};

/** A problem to show: under its field, or at the top of the form (with the path the engine named) when no field shows it. */
interface Problem { field: BudgetFieldKey | null; message: string; path?: string }

/** The fields the form shows now; a problem on any other goes to the top. */
function shownFields(f: BudgetForm): Set<BudgetFieldKey> {
  const shown = new Set<BudgetFieldKey>(['id', 'enabled', 'scope', 'match', 'period', 'unit', 'limit', 'threshold', 'onExhausted']);
  if (f.onExhausted === 'downgrade') {
    shown.add('downgradeTo');
    f.downgradeTo.forEach((_, i) => shown.add(`downgradeTo.${i}`));
  }
  return shown;
}

interface Choices { providers: readonly string[]; aliases: readonly string[]; models: readonly string[]; targets: readonly string[] }

interface EditorProps {
  /** The saved budget being edited; null for a new one. */
  budget: BudgetConfig | null;
  doc: RoutingDocumentView;
  choices: Choices;
  onClose(): void;
  onSaved(doc: RoutingDocumentView): void;
}

function BudgetEditor({ budget, doc, choices, onClose, onSaved }: EditorProps) {
  const t = useT();
  const { client, stores } = usePanel();
  const push = stores.toasts.getState().push;
  const [form, setForm] = useState(() => (budget ? budgetToForm(budget) : newBudgetForm(doc.config.budgets, choices.providers)));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  // another save (a window, the API) changed this budget underneath: untouched fields follow it, edits
  // stay, and the form says so
  const before = useRef(form);
  const [changedElsewhere, setChangedElsewhere] = useState(false);
  const savedJson = budget ? JSON.stringify(budget) : null;
  useEffect(() => {
    if (!budget) return;
    const server = budgetToForm(budget);
    // read now: the updater below runs after the ref has moved on to `server`
    const prev = before.current;
    if (editedFields(server, prev, sameJson).length > 0 && editedFields(form, prev, sameJson).length > 0) setChangedElsewhere(true);
    setForm((f) => rebaseDraft(f, prev, server, sameJson));
    before.current = server;
  }, [savedJson]);

  const name = budget?.id ?? before.current.id;
  const index = budget ? doc.config.budgets.findIndex((b) => b.id === budget.id) : -1;
  const shown = shownFields(form);
  const byField = new Map<BudgetFieldKey, string[]>();
  const top: string[] = [];
  for (const p of problems) {
    if (p.field && shown.has(p.field)) byField.set(p.field, [...(byField.get(p.field) ?? []), p.message]);
    else top.push(p.path ? `${p.path}: ${p.message}` : p.message);
  }

  const submit = async () => {
    const local = checkBudgetForm(form, {
      otherIds: doc.config.budgets.filter((_, i) => i !== index).map((b) => b.id), providers: choices.providers, aliases: choices.aliases,
    });
    if (local.length) {
      setProblems(local.map((l) => ({ field: l.field, message: t(PROBLEM_TEXT[l.problem]) })));
      return;
    }
    const next = formToBudget(form);
    const at = index >= 0 ? index : doc.config.budgets.length;
    setBusy(true);
    try {
      const saved = await saveRouting(client, doc, withBudget(doc.config, at, next));
      push('success', t('routing.budget.saved', { id: next.id }));
      onSaved(saved);
      onClose();
    } catch (err) {
      if (isRoutingChanged(err)) { push('error', t('routing.changedElsewhere')); stores.routing.getState().bump(); return; }
      const e = err as Error;
      const issues = err instanceof AdminApiError ? budgetIssuesFromError(e.message, err.param, err.issues, (i) => routingProblemWords(t, i)) : budgetIssuesFromError(e.message, null);
      setProblems(issues.map((i) => (i.budget === at
        ? { field: i.field, message: i.message, path: i.field ? undefined : i.path || undefined }
        : { field: null, message: i.message, path: i.budget === null ? i.path || undefined : `budgets[${i.budget}]${i.path ? `.${i.path}` : ''}` })));
    } finally {
      setBusy(false);
    }
  };

  const title = budget ? t('routing.budget.form', { id: name }) : t('routing.budget.newForm');
  return (
    <form className="form-stack budget-form" noValidate aria-label={title} onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      {!budget && <h3>{title}</h3>}
      {changedElsewhere && <p className="notice-warn" role="status">{t('routing.budget.changedElsewhere', { id: name })}</p>}
      {top.length > 0 && <p className="error-text" role="alert">{top.join(' · ')}</p>}
      <BudgetFormFields budgetId={name} form={form} onChange={setForm} byField={byField}
        providers={choices.providers} aliases={choices.aliases} models={choices.models} targetOptions={choices.targets} />
      <div className="form-actions">
        <button type="button" className="btn btn-small" disabled={busy} aria-label={t('routing.budget.cancelLabel', { id: name })} onClick={onClose}>{t('common.cancel')}</button>
        <button type="submit" className="btn btn-primary btn-small" disabled={busy} aria-busy={busy} aria-label={t('routing.budget.saveLabel', { id: name })}>{t('routing.budget.save')}</button>
      </div>
    </form>
  );
}

function BudgetStatus({ budget, status }: { budget: BudgetConfig; status: BudgetStatusView | undefined }) {
  const t = useT();
  const language = useSlice(usePanel().stores.prefs, (s) => s.language);
  const label = t('routing.budget.label', { scope: t(`routing.budget.scope.${budget.scope}`), match: budget.match, period: t(`routing.budget.period.${budget.period}`) });
  if (!status) return <div className="hint">{t('routing.budget.noStatus')}</div>;
  const amount = (n: number) => (status.unit === 'usd' ? formatUsd(n) : formatInt(n, language));
  const used = t(status.unit === 'usd' ? 'routing.budget.used' : 'routing.budget.usedTokens', { used: amount(status.used), limit: amount(status.limit), percent: formatPercent(status.fraction, 0) });
  const tone = budgetTone(status.fraction, budget.threshold);
  return (
    <>
      <span className="num small">{used}</span>
      <div className="meter-bar" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(Math.min(1, status.fraction) * 100)}>
        <div className={`meter-fill${tone === 'ok' ? '' : ` ${tone}`}`} style={{ width: `${Math.min(100, status.fraction * 100).toFixed(1)}%` }} />
      </div>
      <div className="hint num">
        {t('routing.budget.resets', { time: formatDateTime(status.resetsAt, language) })}
        {/* requests on their way hold room: a refusal before the bar is full is explained */}
        {status.reserved > 0 && <> · {t(status.unit === 'usd' ? 'routing.budget.reserved' : 'routing.budget.reservedTokens', { amount: amount(status.reserved) })}</>}
        {status.level === 'exhausted' && <> · <span className="error-text">{t('routing.budget.exhausted', { action: t(`routing.budget.onExhausted.${status.onExhausted}`) })}</span></>}
      </div>
    </>
  );
}

export interface RoutingBudgetsProps {
  doc: RoutingDocumentView;
  statuses: readonly BudgetStatusView[];
  /** Provider ids the engine knows. */
  providers: readonly string[];
  onSaved(doc: RoutingDocumentView): void;
}

export function RoutingBudgets({ doc, statuses, providers, onSaved }: RoutingBudgetsProps) {
  const t = useT();
  const { client, stores } = usePanel();
  const push = stores.toasts.getState().push;
  const models = useSlice(stores.settings, (s) => s.models);
  const choices = useMemo<Choices>(() => ({
    providers,
    // the engine takes its built-in aliases and `auto` too
    aliases: [...new Set([...doc.effective.aliases.map((a) => a.name), 'fast', 'smart', 'auto'])].sort(),
    models: [...new Set(models.flatMap((m) => [m.id, targetOf(m)]))].sort(),
    // cheaper targets take over chat requests: a speech or embeddings model there would refuse them
    targets: targetOptions(models, 'chat'),
  }), [providers, doc, models]);
  /** The budget whose form is open (its saved id), or '' for a new one; null: none. */
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const budgets = doc.config.budgets;
  const statusOf = new Map(statuses.map((s) => [s.id, s]));
  const open = editing !== null;
  // a budget deleted elsewhere while its form was open: the form closes, and says why
  useEffect(() => {
    if (!editing || budgets.some((b) => b.id === editing)) return;
    push('info', t('routing.budget.deletedElsewhere', { id: editing }));
    setEditing(null);
  }, [budgets, editing]);

  const remove = async (id: string) => {
    const index = budgets.findIndex((b) => b.id === id);
    if (index < 0) return;
    try {
      onSaved(await saveRouting(client, doc, withoutBudget(doc.config, index)));
      push('success', t('routing.budget.deleted', { id }));
      if (editing === id) setEditing(null);
    } catch (err) {
      if (isRoutingChanged(err)) { push('error', t('routing.changedElsewhere')); stores.routing.getState().bump(); return; }
      push('error', t('common.error', { message: (err as Error).message }));
    }
  };

  return (
    <section className="card" aria-labelledby="routing-budgets-title">
      <div className="card-head">
        <div>
          <h2 id="routing-budgets-title">{t('routing.budgets')}</h2>
          <p className="hint">{t('routing.budgets.hint')}</p>
        </div>
        <button type="button" className="btn btn-primary" disabled={open} onClick={() => setEditing('')}>{t('routing.budgets.add')}</button>
      </div>
      {!budgets.length && editing !== '' ? <p className="empty">{t('routing.budgets.empty')}</p> : (
        <ul className="stack budget-list" aria-label={t('routing.budgets')}>
          {budgets.map((b) => (
            <li key={b.id} className="meter budget-item" aria-label={t('routing.budget.form', { id: b.id })}>
              <div className="budget-head">
                <span className="strong">{t('routing.budget.label', { scope: t(`routing.budget.scope.${b.scope}`), match: b.match, period: t(`routing.budget.period.${b.period}`) })}</span>
                <span className="chip">{b.id}</span>
                {b.enabled === false && <span className="chip chip-cancelled">{t('routing.budget.off')}</span>}
                <span className="toolbar budget-actions">
                  <button type="button" className="btn btn-small" disabled={open} aria-label={t('routing.budget.edit', { id: b.id })} onClick={() => setEditing(b.id)}>{t('common.edit')}</button>
                  <button type="button" className="btn btn-small btn-danger-quiet" aria-label={t('routing.budget.delete', { id: b.id })} onClick={() => setDeleting(b.id)}>{t('common.delete')}</button>
                </span>
              </div>
              <BudgetStatus budget={b} status={statusOf.get(b.id)} />
              {editing === b.id && <BudgetEditor budget={b} doc={doc} choices={choices} onClose={() => setEditing(null)} onSaved={onSaved} />}
            </li>
          ))}
          {editing === '' && (
            <li className="budget-item">
              <BudgetEditor budget={null} doc={doc} choices={choices} onClose={() => setEditing(null)} onSaved={onSaved} />
            </li>
          )}
        </ul>
      )}
      {deleting !== null && (
        <ConfirmDialog
          title={t('routing.budget.deleteTitle', { id: deleting })}
          body={t('routing.budget.deleteBody')}
          confirmLabel={t('common.delete')}
          onClose={() => setDeleting(null)}
          onConfirm={() => remove(deleting)}
        />
      )}
    </section>
  );
}
