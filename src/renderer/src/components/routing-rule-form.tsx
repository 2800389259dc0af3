// One routing rule as a form: conditions, then targets (ordered, with weights) or an alias, strategy and
// timeout. Every control is named after its rule; a problem sits under the field it is about.
import { useId } from 'react';
import { COMPLEXITY_CLASSES, MIN_RULE_TIMEOUT_MS, ROUTING_STRATEGIES, type ComplexityClass } from '../../../shared/routing.ts';
import { ENDPOINTS } from '../../../shared/targets.ts';
import type { MessageKey } from '../i18n/en.ts';
import { move, optionsWith, withWeight, type RuleFieldKey, type RuleForm } from '../lib/routing-edit.ts';
import { useT } from '../panel-context.tsx';
import { fieldErrors } from './field-errors.tsx';
import { TargetList } from './target-list.tsx';


/** A problem to show: under its field, or at the top of the rule when `field` is null or not on show. */
export interface RuleProblem {
  field: RuleFieldKey | null;
  message: string;
  /** The path inside the rule the engine named (`action.strategy`), shown where the field is not. */
  path?: string;
  source: 'local' | 'engine' | 'json';
}

export interface RuleFormProps {
  /** The saved rule's id: controls keep their names while the id field is edited. */
  ruleId: string;
  form: RuleForm;
  onChange(next: RuleForm): void;
  byField: ReadonlyMap<RuleFieldKey, readonly RuleProblem[]>;
  /** `provider/model` the engine serves for the rule's endpoints. */
  targetOptions: readonly string[];
  aliasOptions: readonly string[];
}

export function RuleFormFields({ ruleId, form, onChange, byField, targetOptions, aliasOptions }: RuleFormProps) {
  const t = useT();
  const uid = useId();
  const name = (field: MessageKey) => t('routing.form.ofRule', { field: t(field), id: ruleId });
  const { a11y, errors } = fieldErrors(uid, byField);
  const set = <K extends keyof RuleForm>(k: K, v: RuleForm[K]) => onChange({ ...form, [k]: v });
  const toggle = <T extends string>(list: readonly T[], v: T, on: boolean, order: readonly T[]): T[] => order.filter((x) => (x === v ? on : list.includes(x)));

  const text = (k: 'id' | 'name' | 'models' | 'tags' | 'minTokens' | 'maxTokens' | 'timeoutMs', label: MessageKey, hint?: string, numeric = false, placeholder?: string) => (
    <div className="field">
      <label htmlFor={`${uid}-${k}`}>{t(label)}</label>
      <input id={`${uid}-${k}`} type="text" aria-label={name(label)} value={form[k]} spellCheck={false} placeholder={placeholder}
        inputMode={numeric ? 'numeric' : undefined} onChange={(e) => set(k, e.target.value)} {...a11y(k, hint ? `${uid}-${k}-hint` : undefined)} />
      {hint && <small id={`${uid}-${k}-hint`} className="hint">{hint}</small>}
      {errors(k)}
    </div>
  );
  const checks = <T extends string>(k: 'endpoints' | 'complexity', label: MessageKey, all: readonly T[], value: readonly T[], labelOf: (v: T) => MessageKey) => (
    <fieldset className="field" aria-label={name(label)} {...a11y(k)}>
      <legend>{t(label)}</legend>
      <div className="radio-row">
        {all.map((v) => (
          <label key={v}>
            <input type="checkbox" checked={value.includes(v)} aria-label={t('routing.form.ofRule', { field: t(labelOf(v)), id: ruleId })}
              onChange={(e) => onChange({ ...form, [k]: toggle(value, v, e.target.checked, all) })} />
            {t(labelOf(v))}
          </label>
        ))}
      </div>
      {errors(k)}
    </fieldset>
  );

  const weighted = form.strategy === 'weighted';
  const setTargets = (targets: string[], weights: string[]) => onChange({ ...form, targets, weights });
  const addTarget = () => {
    const next = targetOptions.find((o) => !form.targets.includes(o)) ?? targetOptions[0];
    if (next) setTargets([...form.targets, next], [...withWeight(form.weights, form.targets.length, -1, ''), '1']);
  };
  const moveTarget = (i: number, delta: number) => setTargets(move(form.targets, i, delta), move(withWeight(form.weights, form.targets.length, -1, ''), i, delta));
  const removeTarget = (i: number) => setTargets(form.targets.filter((_, k) => k !== i), withWeight(form.weights, form.targets.length, -1, '').filter((_, k) => k !== i));
  const setStrategy = (strategy: string) => onChange({
    ...form, strategy: strategy as RuleForm['strategy'],
    // Turning weighted on starts every target at weight 1 (keeping the weights the rule already had).
    weights: strategy === 'weighted' && form.weights.length !== form.targets.length ? withWeight(form.weights, form.targets.length, -1, '') : form.weights,
  });
  const cache = (form.base.action as { cache?: unknown } | undefined)?.cache;

  return (
    <div className="form-stack rule-form">
      <div className="form-grid rule-when">
        {text('id', 'routing.form.id', t('routing.form.id.hint'))}
        {text('name', 'routing.form.name')}
      </div>

      <fieldset className="rule-section">
        <legend><h3>{t('routing.form.when')}</h3></legend>
        <p className="hint">{t('routing.form.when.hint')}</p>
        <div className="form-grid rule-when">
          {text('models', 'routing.form.models', t('routing.form.models.hint'), false, 'gpt-4o*, fast')}
          {text('tags', 'routing.form.tags', t('routing.form.tags.hint'), false, 'batch, nightly')}
          {text('minTokens', 'routing.form.minTokens', undefined, true)}
          {text('maxTokens', 'routing.form.maxTokens', undefined, true)}
          {checks('endpoints', 'routing.form.endpoints', ENDPOINTS, form.endpoints, (v) => `routing.form.endpoint.${v}` as MessageKey)}
          {checks<ComplexityClass>('complexity', 'routing.form.complexity', COMPLEXITY_CLASSES, form.complexity, (v) => `routing.form.complexity.${v}` as MessageKey)}
        </div>
      </fieldset>

      <fieldset className="rule-section">
        <legend><h3>{t('routing.form.then')}</h3></legend>
        <div className="form-grid">
          <fieldset className="field" aria-label={name('routing.form.mode')} {...a11y('mode')}>
            <legend>{t('routing.form.mode')}</legend>
            <div className="radio-row">
              {(['targets', 'alias'] as const).map((m) => (
                <label key={m}>
                  <input type="radio" name={`${uid}-mode`} checked={form.mode === m} aria-label={t(m === 'targets' ? 'routing.form.mode.targetsLabel' : 'routing.form.mode.aliasLabel', { id: ruleId })}
                    onChange={() => set('mode', m)} />
                  {t(m === 'targets' ? 'routing.form.mode.targets' : 'routing.form.mode.alias')}
                </label>
              ))}
            </div>
            {errors('mode')}
          </fieldset>
          {form.mode === 'alias' && (
            <div className="field">
              <label htmlFor={`${uid}-alias`}>{t('routing.form.alias')}</label>
              <select id={`${uid}-alias`} aria-label={name('routing.form.alias')} value={form.alias} onChange={(e) => set('alias', e.target.value)} {...a11y('alias')}>
                {!form.alias && <option value="" />}
                {optionsWith(aliasOptions, form.alias).map((a) => <option key={a} value={a}>{a}</option>)}
              </select>
              {errors('alias')}
            </div>
          )}
          <div className="field">
            <label htmlFor={`${uid}-strategy`}>{t('routing.form.strategy')}</label>
            <select id={`${uid}-strategy`} aria-label={name('routing.form.strategy')} value={form.strategy} onChange={(e) => setStrategy(e.target.value)} {...a11y('strategy')}>
              {optionsWith(ROUTING_STRATEGIES, form.strategy).map((s) => (
                <option key={s} value={s}>{(ROUTING_STRATEGIES as readonly string[]).includes(s) ? t(`routing.form.strategy.${s}` as MessageKey) : s}</option>
              ))}
            </select>
            {errors('strategy')}
          </div>
          {text('timeoutMs', 'routing.form.timeout', t('routing.form.timeout.hint', { min: MIN_RULE_TIMEOUT_MS }), true)}

          {form.mode === 'targets' && (
            <fieldset className="field span-all" aria-label={name('routing.form.targets')} {...a11y('targets', weighted ? `${uid}-weights-hint` : undefined)}>
              <legend>{t('routing.form.targets')}</legend>
              {!form.targets.length ? <p className="hint">{t('routing.form.targets.empty')}</p> : (
                <TargetList
                  targets={form.targets} options={targetOptions}
                  label={(what, n) => (what === 'target' ? t('routing.form.ofRule', { field: t('routing.form.target', { n }), id: ruleId })
                    : t(what === 'moveUp' ? 'routing.form.moveUp' : what === 'moveDown' ? 'routing.form.moveDown' : 'routing.form.remove', { n, id: ruleId }))}
                  a11y={(i) => a11y(`targets.${i}`)} errors={(i) => errors(`targets.${i}`)}
                  onSelect={(i, v) => setTargets(form.targets.map((x, j) => (j === i ? v : x)), form.weights)}
                  onMove={moveTarget} onRemove={removeTarget}
                  extra={weighted ? (i, n) => (
                    <label className="target-weight">
                      <span aria-hidden="true">{t('routing.form.weight.short')}</span>
                      <input type="text" inputMode="decimal" aria-label={t('routing.form.ofRule', { field: t('routing.form.weight', { n }), id: ruleId })}
                        value={form.weights[i] ?? ''} onChange={(e) => set('weights', withWeight(form.weights, form.targets.length, i, e.target.value))} {...a11y('weights')} />
                    </label>
                  ) : undefined}
                />
              )}
              {!targetOptions.length && form.endpoints.length > 0 && <p className="hint">{t('routing.form.targets.noneFit')}</p>}
              <div>
                <button type="button" className="btn btn-small" disabled={!targetOptions.length} aria-label={t('routing.form.addTargetLabel', { id: ruleId })} onClick={addTarget}>
                  {t('routing.form.addTarget')}
                </button>
              </div>
              {weighted && <small id={`${uid}-weights-hint`} className="hint">{t('routing.form.weights.hint')}</small>}
              {errors('targets')}
              {weighted && errors('weights')}
            </fieldset>
          )}
          {cache !== undefined && (
            <div className="field span-all">
              <span>{t('routing.form.cache')}</span>
              <p className="hint" {...a11y('cache')}>{t('routing.form.cache.set', { summary: JSON.stringify(cache) })}</p>
              {errors('cache')}
            </div>
          )}
        </div>
      </fieldset>
    </div>
  );
}
