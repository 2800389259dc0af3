// The explain tester: a request body (and the tags it would carry) in, the routing decision step by step out, worded in the
// reader's language from the sentences the engine sends as data (its English as the fallback). The
// decision's last step is its outcome, which the line under the steps says: it is not listed twice.
import { stepsBeforeOutcome } from '../lib/explain-steps.ts';
import { endpointLabel } from '../lib/format.ts';
import { jsonWhereText, parseJson } from '../lib/json-syntax.ts';
import { splitList } from '../lib/routing-edit.ts';
import { traceText } from '../lib/trace-text.ts';
import { useState } from 'react';
import type { ExplainResult } from '../../../shared/routing.ts';
import { ENDPOINTS, type Endpoint } from '../../../shared/targets.ts';
import { usePanel, useT } from '../panel-context.tsx';
import { Field } from './field.tsx';

const SAMPLE = JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'Summarise this paragraph in one sentence.' }] }, null, 2);

export function RoutingExplain() {
  const t = useT();
  const { client, stores } = usePanel();
  const push = stores.toasts.getState().push;
  const [text, setText] = useState(SAMPLE);
  const [endpoint, setEndpoint] = useState<Endpoint>('chat');
  /** As a request sends them in x-sluice-tags: tag rules and tag budgets judge a request by them. */
  const [tags, setTags] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ExplainResult | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    const parsed = parseJson(text);
    if (!parsed.ok) {
      setError(t('routing.explain.bad', { where: jsonWhereText(t, parsed.error) }));
      setResult(null);
      return;
    }
    const body = parsed.value;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      setError(t('routing.explain.notObject'));
      setResult(null);
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const tagList = splitList(tags);
      setResult(await client.call('routingExplain', { body: { endpoint, body: body as Record<string, unknown>, ...(tagList.length ? { tags: tagList } : {}) } }));
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  const steps = result ? stepsBeforeOutcome(result) : [];
  return (
    <section className="card" aria-labelledby="routing-explain-title">
      <div>
        <h2 id="routing-explain-title">{t('routing.explain')}</h2>
        <p className="hint">{t('routing.explain.hint')}</p>
      </div>
      <form className="form-stack" onSubmit={(e) => { e.preventDefault(); void run(); }} aria-label={t('routing.explain')}>
        <label className="field">
          <span>{t('routing.explain.endpoint')}</span>
          <select value={endpoint} onChange={(e) => setEndpoint(e.target.value as Endpoint)} style={{ maxWidth: 220 }}>
            {ENDPOINTS.map((x) => <option key={x} value={x}>{endpointLabel(t, x)}</option>)}
          </select>
        </label>
        <Field label={t('routing.explain.tags')} hint={t('routing.explain.tags.hint')}>
          {(a) => <input {...a} type="text" value={tags} spellCheck={false} placeholder="batch, nightly" style={{ maxWidth: 360 }} onChange={(e) => setTags(e.target.value)} />}
        </Field>
        <Field label={t('routing.explain.body')} error={error}>
          {(a) => <textarea {...a} rows={6} value={text} spellCheck={false} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <div className="form-actions"><button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>{t('routing.explain.run')}</button></div>
      </form>
      {result && (
        <div className="detail" aria-live="polite">
          <section>
            <h3>{t('routing.explain.steps')}</h3>
            {steps.length > 0 && <ol className="steps">{steps.map((s, i) => <li key={i}>{traceText(t, s)}</li>)}</ol>}
            {result.error
              ? <p className="error-text">{t('routing.explain.error', { message: traceText(t, result.error) })}</p>
              : <p className="strong small">{t('routing.explain.targets', { targets: result.targets.join(' → ') || '—' })}</p>}
          </section>
          <section>
            {result.rules.length > 0 && (
              <>
                <h3>{t('routing.explain.rules')}</h3>
                <ul className="trace">{result.rules.map((r) => <li key={r.id}><span className={r.matched ? 'status-ok strong' : 'hint'}>{t(r.matched ? 'routing.explain.matched' : 'routing.explain.skipped')}</span> <span className="mono">{r.name}</span> — {traceText(t, { message: r.reason, say: r.say })}</li>)}</ul>
              </>
            )}
            {result.candidates.length > 0 && (
              <>
                <h3>{t('routing.explain.candidates')}</h3>
                <ul className="trace">{result.candidates.map((c) => <li key={c.target}><span className={c.kept ? 'status-ok strong' : 'status-bad strong'}>{t(c.kept ? 'routing.explain.kept' : 'routing.explain.dropped')}</span> <span className="mono">{c.target}</span> — {traceText(t, { message: c.reason, say: c.say })}</li>)}</ul>
              </>
            )}
          </section>
        </div>
      )}
    </section>
  );
}
