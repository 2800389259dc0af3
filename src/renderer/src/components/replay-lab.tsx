// The replay lab: pick policies, replay the recorded requests, compare hit rate, savings and differing answers.
import { useState } from 'react';
import type { ReplayLabResult, ReplayPolicy } from '../../../shared/semantic.ts';
import { formatInt, formatPercent, formatUsd } from '../lib/format.ts';
import { DEFAULT_LAB_CHOICE, LAB_THRESHOLDS, labPolicies, toggleThreshold, type LabChoice } from '../lib/replay-policies.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

export function ReplayLab() {
  const t = useT();
  const { client, stores } = usePanel();
  const language = useSlice(stores.prefs, (s) => s.language);
  const push = stores.toasts.getState().push;
  const [choice, setChoice] = useState<LabChoice>(DEFAULT_LAB_CHOICE);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<ReplayLabResult | null>(null);
  const policies = labPolicies(choice);
  const policyName = (p: ReplayPolicy) => (p.kind === 'exact' ? t('cache.lab.exact') : `${t('cache.lab.threshold', { threshold: p.threshold })}${p.guards ? '' : ` (${t('cache.lab.noGuards')})`}`);

  const run = async () => {
    setRunning(true);
    try {
      const r = await client.call('semanticReplay', { body: { policies } });
      setResult(r);
      push('success', t('cache.lab.done', { count: r.requests }));
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="card" aria-labelledby="lab-title">
      <div>
        <h2 id="lab-title">{t('cache.lab.title')}</h2>
        <p className="hint">{t('cache.lab.hint')}</p>
      </div>
      <form className="form-stack" aria-label={t('cache.lab.title')} onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <fieldset className="field">
          <legend>{t('cache.lab.policies')}</legend>
          <div className="radio-row">
            <label><input type="checkbox" checked={choice.exact} onChange={() => setChoice((c) => ({ ...c, exact: !c.exact }))} /> <span>{t('cache.lab.exact')}</span></label>
            {LAB_THRESHOLDS.map((th) => (
              <label key={th}><input type="checkbox" checked={choice.thresholds.includes(th)} onChange={() => setChoice((c) => toggleThreshold(c, th))} /> <span>{t('cache.lab.threshold', { threshold: th })}</span></label>
            ))}
          </div>
        </fieldset>
        <label className="check"><input type="checkbox" checked={choice.guards} onChange={() => setChoice((c) => ({ ...c, guards: !c.guards }))} /> <span>{t('cache.lab.guards')}</span></label>
        <div className="form-actions">
          {!policies.length && <span className="field-error" role="status">{t('cache.lab.none')}</span>}
          <button type="submit" className="btn btn-primary" disabled={running || !policies.length} aria-busy={running}>{running ? t('cache.lab.running') : t('cache.lab.run')}</button>
        </div>
        {running && <progress aria-label={t('cache.lab.running')} />}
      </form>
      {result && (
        <div className="table-wrap">
          <table className="table table-wrapped-head" aria-label={t('cache.lab.results')}>
            <thead>
              <tr>
                <th scope="col">{t('cache.lab.col.policy')}</th>
                <th scope="col" className="r">{t('cache.lab.col.hitRate')}</th>
                <th scope="col" className="r">{t('cache.lab.col.hits')}</th>
                <th scope="col" className="r">{t('cache.lab.col.tokens')}</th>
                <th scope="col" className="r">{t('cache.lab.col.money')}</th>
                <th scope="col" className="r">{t('cache.lab.col.differing')}</th>
                <th scope="col" className="r">{t('cache.lab.col.guards')}</th>
              </tr>
            </thead>
            <tbody>
              {result.reports.map((r, i) => (
                <tr key={i}>
                  <th scope="row">{policyName(r.policy)}</th>
                  <td className="r num">{formatPercent(r.requests ? r.hitRate : null)}</td>
                  <td className="r num">{r.exactHits} + {r.semanticHits}</td>
                  <td className="r num">{formatInt(r.tokensSaved, language)}</td>
                  <td className="r num">{formatUsd(r.costSavedUsd)}</td>
                  <td className={`r num${r.differingAnswers ? ' delta-bad' : ''}`}>{r.differingAnswers}</td>
                  <td className="r num">{Object.values(r.guardRefusals).reduce((a, b) => a + b, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
