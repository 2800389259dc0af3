// The rules editor: one form per rule (with a JSON view for advanced edits), enable switch, save (the whole
// document, validated by the engine: a refused save leaves the old rules serving and puts each message
// next to the field it is about), delete. A rule changed elsewhere (another window, the API) while its form
// has edits keeps them: untouched fields follow the saved rule, and the form says what happened.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ModelView } from '../../../shared/admin/core-routes.ts';
import type { RoutingDocumentView } from '../../../shared/admin/routing-routes.ts';
import { MAX_RULE_TIMEOUT_MS, MIN_RULE_TIMEOUT_MS, type RoutingRule } from '../../../shared/routing.ts';
import { AdminApiError } from '../api/admin-api-error.ts';
import { routingProblemWords } from '../lib/routing-problem-words.ts';
import type { MessageKey } from '../i18n/en.ts';
import type { Translate } from '../i18n/translate.ts';
import {
  checkRuleForm, formToRule, issuesFromError, newRuleTemplate, parseRuleJson, placeIssues, ruleTargetOptions, ruleToForm, shownFields, withoutRule, withRule,
  type LocalProblem, type RuleForm,
} from '../lib/routing-edit.ts';
import { editedFields, rebaseDraft, rebaseJsonDraft, sameJson } from '../lib/draft-rebase.ts';
import { jsonWhereText } from '../lib/json-syntax.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { RuleFormFields, type RuleProblem } from './routing-rule-form.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { Switch } from './switch.tsx';
import { isRoutingChanged, saveRouting } from '../api/routing-save.ts';

/** The words of the form's own checks: the engine's words where it has a check of its own for the same thing. */
const LOCAL_TEXT: Record<LocalProblem, MessageKey> = {
  required: 'routing.form.problem.required', idChars: 'routing.form.problem.idChars', duplicate: 'routing.problem.duplicate',
  noTargets: 'routing.form.problem.noTargets', noAlias: 'routing.form.problem.noAlias', integer: 'routing.form.problem.integer',
  number: 'routing.form.problem.number', minAboveMax: 'routing.form.problem.minAboveMax', weightCount: 'routing.form.problem.weightCount',
  weightPositive: 'routing.problem.weightPositive', timeout: 'routing.problem.timeout',
};

const pretty = (r: RoutingRule) => JSON.stringify(r, null, 2);
const same = (a: RuleForm, b: RuleForm) => JSON.stringify(formToRule(a)) === JSON.stringify(formToRule(b));
/** An engine problem where no field shows it: with the path it names, so the reader knows what it is about. */
const withPath = (p: RuleProblem) => (p.path ? `${p.path}: ${p.message}` : p.message);

function jsonProblem(t: Translate, text: string): { ok: true; rule: RoutingRule } | { ok: false; problem: RuleProblem } {
  const parsed = parseRuleJson(text);
  if (parsed.ok) return parsed;
  const message = parsed.problem === 'syntax' ? t('routing.rule.badJson', { where: jsonWhereText(t, parsed.where) }) : t('routing.rule.notObject');
  return { ok: false, problem: { field: null, message, source: 'json' } };
}

interface RuleEditorProps {
  index: number; rule: RoutingRule; doc: RoutingDocumentView; problems: readonly RuleProblem[];
  /** The models the engine lists: the target menus offer those that serve the rule's endpoints. */
  models: readonly ModelView[]; aliasOptions: readonly string[];
  onSaved(doc: RoutingDocumentView, message: string): void;
  /** Problems of rule `index` (null clears them); a refused save may name other rules too. */
  onProblems(index: number, problems: RuleProblem[] | null): void;
  /** Whether this saved rule's form holds unsaved edits (so that its deletion elsewhere can be told). */
  onDirty(id: string, dirty: boolean): void;
}

function RuleEditor({ index, rule, doc, problems, models, aliasOptions, onSaved, onProblems, onDirty }: RuleEditorProps) {
  const t = useT();
  const { client, stores } = usePanel();
  const push = stores.toasts.getState().push;
  const [form, setForm] = useState(() => ruleToForm(rule));
  const [json, setJson] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  /** The saved rule the form and JSON were last brought up to, and its form: what tells the person's edits apart. */
  const base = useRef({ json: pretty(rule), form });
  /** The document version this editor's own save or switch produced: that change is not "elsewhere". */
  const own = useRef<{ seq: number | null | undefined; kind: 'save' | 'toggle' } | null>(null);
  const [changedElsewhere, setChangedElsewhere] = useState(false);
  const ruleJson = pretty(rule);
  useEffect(() => {
    const prev = base.current;
    if (prev.json === ruleJson) return;
    const server = ruleToForm(rule);
    base.current = { json: ruleJson, form: server };
    const mine = own.current && own.current.seq === doc.seq ? own.current.kind : null;
    own.current = null;
    if (mine === 'save') {
      setForm(server);
      setJson((j) => (j === null ? null : ruleJson));
      setChangedElsewhere(false);
      return;
    }
    const formEdited = editedFields(form, prev.form, sameJson).length > 0;
    const jsonEdited = json !== null && json !== prev.json;
    setForm(rebaseDraft(form, prev.form, server, sameJson));
    // the JSON view's edits too: keys left as they were follow the saved rule (its own on/off switch included)
    if (json !== null) setJson(jsonEdited ? (rebaseJsonDraft(json, prev.json, ruleJson) ?? json) : ruleJson);
    if (mine === null && (json === null ? formEdited : jsonEdited)) setChangedElsewhere(true);
  }, [ruleJson]);
  const discard = () => {
    setForm(ruleToForm(rule));
    setJson((j) => (j === null ? null : pretty(rule)));
    setChangedElsewhere(false);
    onProblems(index, null);
  };
  const isDraft = index >= doc.config.rules.length;
  const dirty = isDraft || (json !== null ? json !== pretty(rule) : !same(form, ruleToForm(rule)));
  useEffect(() => { if (!isDraft) onDirty(rule.id, dirty); }, [dirty, isDraft, rule.id]);
  const errId = `rule-${index}-error`;
  const shown = useMemo(() => shownFields(form), [form]);
  const targetOptions = useMemo(() => ruleTargetOptions(models, form.endpoints), [models, form.endpoints]);
  const { byField, top } = placeIssues(problems, json === null ? shown : new Set());

  const save = async (next: RoutingDocumentView['config'], message: string, ruleAt: (i: number) => number = (i) => i) => {
    setBusy(true);
    try {
      const saved = await saveRouting(client, doc, next);
      own.current = { seq: saved.seq, kind: 'save' };
      onProblems(index, null);
      onSaved(saved, message);
    } catch (err) {
      // changed elsewhere: reload, keep the edit in the form, and let the person save it again
      if (isRoutingChanged(err)) { push('error', t('routing.changedElsewhere')); stores.routing.getState().bump(); return; }
      const e = err as Error;
      const issues = err instanceof AdminApiError ? issuesFromError(e.message, err.param, err.issues, (i) => routingProblemWords(t, i)) : issuesFromError(e.message, null);
      const byRule = new Map<number, RuleProblem[]>();
      for (const issue of issues) {
        const at = issue.rule === null ? index : ruleAt(issue.rule);
        const problem: RuleProblem = { field: issue.rule === null ? null : issue.field, path: issue.path || undefined, message: issue.message, source: 'engine' };
        byRule.set(at, [...(byRule.get(at) ?? []), problem]);
      }
      if (!byRule.has(index)) onProblems(index, null);
      for (const [at, list] of byRule) onProblems(at, list);
      if (issues.some((i) => i.rule === null)) push('error', t('common.error', { message: e.message }));
    } finally {
      setBusy(false);
    }
  };
  const toggle = async (enabled: boolean) => {
    setBusy(true);
    try {
      const saved = await client.call('routingRuleEnable', { params: { id: rule.id }, body: { enabled } });
      own.current = { seq: saved.seq, kind: 'toggle' };
      onProblems(index, null);
      onSaved(saved, t('routing.rule.saved', { id: rule.id }));
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  const submit = () => {
    let next: RoutingRule;
    if (json !== null) {
      const parsed = jsonProblem(t, json);
      if (!parsed.ok) { onProblems(index, [parsed.problem]); return; }
      next = parsed.rule;
    } else {
      const local = checkRuleForm(form, doc.config.rules.filter((_, i) => i !== index).map((r) => r.id));
      if (local.length) {
        const vars = { name: form.id.trim(), min: MIN_RULE_TIMEOUT_MS, max: MAX_RULE_TIMEOUT_MS };
        onProblems(index, local.map((l) => ({ field: l.field, message: t(LOCAL_TEXT[l.problem], vars), source: 'local' })));
        return;
      }
      next = formToRule(form);
    }
    void save(withRule(doc.config, index, next), t('routing.rule.saved', { id: next.id }));
  };
  /** To JSON: the form as it stands. Back to the form: the JSON parsed, or its problem shown and the JSON view kept. */
  const switchView = () => {
    if (json === null) {
      setJson(same(form, ruleToForm(rule)) ? pretty(rule) : pretty(formToRule(form)));
      onProblems(index, problems.filter((p) => p.source === 'engine'));
      return;
    }
    const parsed = jsonProblem(t, json);
    if (!parsed.ok) { onProblems(index, [...problems.filter((p) => p.source === 'engine'), parsed.problem]); return; }
    setForm(ruleToForm(parsed.rule));
    setJson(null);
    onProblems(index, problems.filter((p) => p.source === 'engine'));
  };
  // a saved rule asks first: deleting it changes where live traffic goes at once
  const remove = () => (isDraft ? onSaved(doc, '') : setConfirming(true));
  const removeSaved = () => save(withoutRule(doc.config, index), t('routing.rule.deleted', { id: rule.id }), (i) => (i >= index ? i + 1 : i));

  return (
    <li className="card rule-card">
      <form className="form-stack" noValidate aria-label={t('routing.rule.form', { id: rule.id })} onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <div className="card-head">
          <Switch label={t('routing.rule.title', { id: rule.id })} name={t('routing.rule.enabled', { id: rule.id })}
            states={{ on: t('routing.rule.on'), off: t('routing.rule.off') }} checked={rule.enabled} disabled={busy || isDraft} onChange={(v) => void toggle(v)} />
          <div className="toolbar">
            {dirty && <span className="chip chip-running">{t('routing.rule.unsaved')}</span>}
            <button type="button" className="btn btn-small" aria-pressed={json !== null} aria-label={t('routing.rule.jsonToggle', { id: rule.id })} onClick={switchView}>JSON</button>
          </div>
        </div>
        {changedElsewhere && dirty && (
          <div className="notice-warn" role="status">
            <span>{t('routing.rule.changedElsewhere', { id: rule.id })}</span>
            <button type="button" className="btn btn-small" aria-label={t('routing.rule.discardLabel', { id: rule.id })} onClick={discard}>{t('routing.rule.discard')}</button>
          </div>
        )}
        {top.length > 0 && json === null && (
          <p id={errId} className="error-text" role="alert">{top.map(withPath).join(' · ')}</p>
        )}
        {json === null ? (
          <RuleFormFields ruleId={rule.id} form={form} onChange={setForm} byField={byField} targetOptions={targetOptions} aliasOptions={aliasOptions} />
        ) : (
          <div className="field">
            <label htmlFor={`${errId}-json`}>{t('routing.rule.json', { id: rule.id })}</label>
            <textarea id={`${errId}-json`} rows={Math.min(18, json.split('\n').length + 1)} value={json} spellCheck={false} onChange={(e) => setJson(e.target.value)}
              aria-invalid={top.length ? true : undefined} aria-describedby={top.length ? errId : undefined} />
            {top.length > 0 && <small id={errId} className="field-error" role="alert">{top.map(withPath).join(' · ')}</small>}
          </div>
        )}
        <div className="form-actions">
          <button type="button" className="btn btn-small btn-danger-quiet" disabled={busy} aria-label={t('routing.rule.delete', { id: rule.id })} onClick={remove}>{t('common.delete')}</button>
          <button type="submit" className="btn btn-primary btn-small" disabled={busy} aria-busy={busy} aria-label={t('routing.rule.saveLabel', { id: rule.id })}>{t('routing.rule.save')}</button>
        </div>
      </form>
      {confirming && (
        <ConfirmDialog
          title={t('routing.rule.deleteTitle', { id: rule.id })}
          body={t('routing.rule.deleteBody')}
          confirmLabel={t('common.delete')}
          onClose={() => setConfirming(false)}
          onConfirm={removeSaved}
        />
      )}
    </li>
  );
}

export function RoutingRules({ doc, onSaved }: { doc: RoutingDocumentView; onSaved(doc: RoutingDocumentView): void }) {
  const t = useT();
  const { stores } = usePanel();
  const push = stores.toasts.getState().push;
  const models = useSlice(stores.settings, (s) => s.models);
  const aliasOptions = useMemo(() => [...new Set(doc.effective.aliases.map((a) => a.name))].sort(), [doc]);
  const [draft, setDraft] = useState<RoutingRule | null>(null);
  const [problems, setProblems] = useState<Record<number, RuleProblem[]>>({});
  const rules = draft ? [...doc.config.rules, draft] : doc.config.rules;
  // each form stays with its rule when a rule above it is added or deleted elsewhere (ids are unique in a saved document)
  const idsUnique = new Set(rules.map((r) => r.id)).size === rules.length;
  // a rule deleted elsewhere while its form had edits: the form goes with it, and says so
  // (this window's own saves take the ids they remove off the list first: see `saved`)
  const edited = useRef(new Set<string>());
  const onDirty = (id: string, dirty: boolean) => { if (dirty) edited.current.add(id); else edited.current.delete(id); };
  useEffect(() => {
    const ids = new Set(doc.config.rules.map((r) => r.id));
    for (const id of [...edited.current]) {
      if (ids.has(id)) continue;
      edited.current.delete(id);
      push('info', t('routing.rule.deletedElsewhere', { id }));
    }
  }, [doc.config.rules]);
  const saved = (next: RoutingDocumentView, message: string) => {
    // a rule this window's own save renamed or removed is no news either
    const ids = new Set(next.config.rules.map((r) => r.id));
    for (const id of [...edited.current]) if (!ids.has(id)) edited.current.delete(id);
    setDraft(null);
    setProblems({});
    if (message) push('success', message);
    onSaved(next);
  };
  const onProblems = (i: number, list: RuleProblem[] | null) => setProblems((p) => {
    const n = { ...p };
    if (!list?.length) delete n[i]; else n[i] = list;
    return n;
  });
  return (
    <section className="card" aria-labelledby="routing-rules-title">
      <div className="card-head">
        <div>
          <h2 id="routing-rules-title">{t('routing.rules')}</h2>
          <p className="hint">{t('routing.rules.hint')}</p>
        </div>
        <button type="button" className="btn btn-primary" disabled={!!draft} onClick={() => setDraft(newRuleTemplate(doc.config.rules, (n) => t('routing.rule.defaultName', { n })))}>{t('routing.rules.add')}</button>
      </div>
      {!rules.length ? <p className="empty">{t('routing.rules.empty')}</p> : (
        <ol className="stack rule-list" aria-label={t('routing.rules')}>
          {rules.map((r, i) => (
            <RuleEditor key={idsUnique ? r.id : `${i}:${r.id}`} index={i} rule={r} doc={doc} problems={problems[i] ?? []} models={models} aliasOptions={aliasOptions}
              onSaved={saved} onProblems={onProblems} onDirty={onDirty} />
          ))}
        </ol>
      )}
    </section>
  );
}
