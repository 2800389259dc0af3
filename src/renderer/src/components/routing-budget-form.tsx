// One budget as a form: what it counts (a provider, a model, an alias or a tag), its window, unit and
// limit, when it warns, and what happens once it is used up (refuse, or cheaper targets in order).
// Every control is named after its budget; a problem sits under the field it is about.
import { useId } from 'react';
import { DEFAULT_BUDGET_THRESHOLD } from '../../../shared/routing.ts';
import type { MessageKey } from '../i18n/en.ts';
import { BUDGET_ACTIONS, BUDGET_PERIODS, BUDGET_SCOPES, BUDGET_UNITS, withScope, type BudgetFieldKey, type BudgetForm } from '../lib/budget-form.ts';
import { move, optionsWith } from '../lib/routing-edit.ts';
import { useT } from '../panel-context.tsx';
import { Switch } from './switch.tsx';
import { fieldErrors } from './field-errors.tsx';
import { TargetList } from './target-list.tsx';

export interface BudgetFormProps {
  /** The saved budget's id (or the new one's first id): controls keep their names while the id field is edited. */
  budgetId: string;
  form: BudgetForm;
  onChange(next: BudgetForm): void;
  /** Each field's problems, already worded. */
  byField: ReadonlyMap<BudgetFieldKey, readonly string[]>;
  providers: readonly string[];
  aliases: readonly string[];
  /** Model names offered for a model budget (typed freely). */
  models: readonly string[];
  /** `provider/model` the engine serves, for the cheaper targets. */
  targetOptions: readonly string[];
}

export function BudgetFormFields({ budgetId, form, onChange, byField, providers, aliases, models, targetOptions }: BudgetFormProps) {
  const t = useT();
  const uid = useId();
  const name = (field: string) => t('routing.budget.ofBudget', { field, id: budgetId });
  const { a11y, errors } = fieldErrors(uid, byField);
  const set = <K extends keyof BudgetForm>(k: K, v: BudgetForm[K]) => onChange({ ...form, [k]: v });
  const radios = <T extends string>(k: 'period' | 'unit' | 'onExhausted', all: readonly T[], label: MessageKey, labelOf: (v: T) => MessageKey) => (
    <fieldset className="field" aria-label={name(t(label))} {...a11y(k)}>
      <legend>{t(label)}</legend>
      <div className="radio-row">
        {all.map((v) => (
          <label key={v}>
            <input type="radio" name={`${uid}-${k}`} checked={form[k] === v} onChange={() => set(k, v as BudgetForm[typeof k])} />
            {t(labelOf(v))}
          </label>
        ))}
      </div>
      {errors(k)}
    </fieldset>
  );

  const matchLabel = t(`routing.budget.field.match.${form.scope}`);
  const matchHint = form.scope === 'model' ? 'routing.budget.field.match.model.hint' : form.scope === 'tag' ? 'routing.budget.field.match.tag.hint' : null;
  const picks = form.scope === 'provider' ? providers : form.scope === 'alias' ? aliases : null;

  const setTargets = (downgradeTo: string[]) => set('downgradeTo', downgradeTo);
  const addTarget = () => {
    const next = targetOptions.find((o) => !form.downgradeTo.includes(o)) ?? targetOptions[0];
    if (next) setTargets([...form.downgradeTo, next]);
  };

  return (
    <div className="form-stack">
      <div className="form-grid budget-grid">
        <div className="field">
          <label htmlFor={`${uid}-id`}>{t('routing.budget.field.id')}</label>
          <input id={`${uid}-id`} type="text" spellCheck={false} aria-label={name(t('routing.budget.field.id'))} value={form.id}
            onChange={(e) => set('id', e.target.value)} {...a11y('id', `${uid}-id-hint`)} />
          <small id={`${uid}-id-hint`} className="hint">{t('routing.form.id.hint')}</small>
          {errors('id')}
        </div>
        <div className="field">
          <label htmlFor={`${uid}-scope`}>{t('routing.budget.field.scope')}</label>
          <select id={`${uid}-scope`} aria-label={name(t('routing.budget.field.scope'))} value={form.scope}
            onChange={(e) => onChange(withScope(form, e.target.value as BudgetForm['scope'], { providers, aliases }))} {...a11y('scope')}>
            {BUDGET_SCOPES.map((s) => <option key={s} value={s}>{t(`routing.budget.field.scope.${s}`)}</option>)}
          </select>
          {errors('scope')}
        </div>
        <div className="field">
          <label htmlFor={`${uid}-match`}>{matchLabel}</label>
          {picks ? (
            <select id={`${uid}-match`} aria-label={name(matchLabel)} value={form.match} onChange={(e) => set('match', e.target.value)} {...a11y('match')}>
              {!form.match && <option value="" />}
              {optionsWith(picks, form.match).map((p) => <option key={p} value={p}>{p}</option>)}
            </select>
          ) : (
            <>
              <input id={`${uid}-match`} type="text" spellCheck={false} aria-label={name(matchLabel)} value={form.match}
                list={form.scope === 'model' ? `${uid}-models` : undefined} placeholder={form.scope === 'model' ? 'sim-chat' : 'batch'}
                onChange={(e) => set('match', e.target.value)} {...a11y('match', matchHint ? `${uid}-match-hint` : undefined)} />
              {form.scope === 'model' && <datalist id={`${uid}-models`}>{models.map((m) => <option key={m} value={m} />)}</datalist>}
            </>
          )}
          {matchHint && <small id={`${uid}-match-hint`} className="hint">{t(matchHint)}</small>}
          {errors('match')}
        </div>
        {radios('period', BUDGET_PERIODS, 'routing.budget.field.period', (v) => `routing.budget.field.period.${v}`)}
        {radios('unit', BUDGET_UNITS, 'routing.budget.field.unit', (v) => `routing.budget.field.unit.${v}`)}
        <div className="field">
          <label htmlFor={`${uid}-limit`}>{t('routing.budget.field.limit')}</label>
          <input id={`${uid}-limit`} type="text" inputMode={form.unit === 'usd' ? 'decimal' : 'numeric'} aria-label={name(t('routing.budget.field.limit'))}
            value={form.limit} onChange={(e) => set('limit', e.target.value)} {...a11y('limit', `${uid}-limit-hint`)} />
          <small id={`${uid}-limit-hint`} className="hint">{t(form.unit === 'usd' ? 'routing.budget.field.limit.usd' : 'routing.budget.field.limit.tokens')}</small>
          {errors('limit')}
        </div>
        <div className="field">
          <label htmlFor={`${uid}-threshold`}>{t('routing.budget.field.threshold')}</label>
          <input id={`${uid}-threshold`} type="text" inputMode="decimal" aria-label={name(t('routing.budget.field.threshold'))} value={form.threshold}
            placeholder={String(DEFAULT_BUDGET_THRESHOLD * 100)} onChange={(e) => set('threshold', e.target.value)} {...a11y('threshold', `${uid}-threshold-hint`)} />
          <small id={`${uid}-threshold-hint`} className="hint">{t('routing.budget.field.threshold.hint', { percent: DEFAULT_BUDGET_THRESHOLD * 100 })}</small>
          {errors('threshold')}
        </div>
        {radios('onExhausted', BUDGET_ACTIONS, 'routing.budget.field.onExhausted', (v) => `routing.budget.field.onExhausted.${v}`)}
        <div className="field">
          <Switch label={t('routing.budget.field.enabled')} name={t('routing.budget.enabledLabel', { id: budgetId })} checked={form.enabled}
            onChange={(v) => set('enabled', v)} hint={t('routing.budget.field.enabled.hint')} />
        </div>

        {form.onExhausted === 'downgrade' && (
          <fieldset className="field span-all" aria-label={name(t('routing.budget.field.downgradeTo'))} {...a11y('downgradeTo', `${uid}-targets-hint`)}>
            <legend>{t('routing.budget.field.downgradeTo')}</legend>
            <small id={`${uid}-targets-hint`} className="hint">{t('routing.budget.field.downgradeTo.hint')}</small>
            {!form.downgradeTo.length ? <p className="hint">{t('routing.budget.field.downgradeTo.empty')}</p> : (
              <TargetList
                targets={form.downgradeTo} options={targetOptions}
                label={(what, n) => (what === 'target' ? name(t('routing.budget.field.target', { n }))
                  : t(what === 'moveUp' ? 'routing.budget.moveUp' : what === 'moveDown' ? 'routing.budget.moveDown' : 'routing.budget.removeTarget', { n, id: budgetId }))}
                a11y={(i) => a11y(`downgradeTo.${i}`)} errors={(i) => errors(`downgradeTo.${i}`)}
                onSelect={(i, v) => setTargets(form.downgradeTo.map((x, j) => (j === i ? v : x)))}
                onMove={(i, delta) => setTargets(move(form.downgradeTo, i, delta))}
                onRemove={(i) => setTargets(form.downgradeTo.filter((_, j) => j !== i))}
              />
            )}
            <div>
              <button type="button" className="btn btn-small" disabled={!targetOptions.length} aria-label={t('routing.budget.addTargetLabel', { id: budgetId })} onClick={addTarget}>
                {t('routing.budget.addTarget')}
              </button>
            </div>
            {errors('downgradeTo')}
          </fieldset>
        )}
      </div>
    </div>
  );
}
