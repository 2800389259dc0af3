// Load test: form, live progress of the running run, saved results and a comparison.
import { useEffect, useRef } from 'react';
import { LoadTestCompare } from '../components/loadtest-compare.tsx';
import { LoadTestForm } from '../components/loadtest-form.tsx';
import { LoadTestResults } from '../components/loadtest-results.tsx';
import { errorsText } from '../components/loadtest-results.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { StatTile } from '../components/stat-tile.tsx';
import { formatDecimal, formatInt, formatMs, formatPercent } from '../lib/format.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

export function LoadTestPage() {
  const t = useT();
  const { client, stores } = usePanel();
  const live = useSlice(stores.loadTests, (s) => s.live);
  const runs = useSlice(stores.loadTests, (s) => s.runs);
  const language = useSlice(stores.prefs, (s) => s.language);
  const push = stores.toasts.getState().push;
  const seen = useRef(new Set<string>(runs.map((r) => r.id)));

  useEffect(() => {
    client.call('loadTestList').then((r) => stores.loadTests.getState().setRuns(r), () => {});
  }, [client, stores]);

  // Announce runs that finish while the page is open.
  useEffect(() => {
    for (const r of runs) {
      if (seen.current.has(r.id) || r.state === 'running') continue;
      seen.current.add(r.id);
      if (r.state === 'done') push('success', t('lt.finished', { name: r.name, rps: formatDecimal(r.requestsPerSecond, language) }));
      else if (r.state === 'cancelled') push('info', t('lt.cancelled'));
    }
  }, [runs]);

  const p = live?.progress;
  const ratio = p ? (p.total ? p.done / p.total : p.durationMs ? p.elapsedMs / p.durationMs : null) : null;
  const cancel = async () => {
    if (!live) return;
    try {
      await client.call('loadTestCancel', { params: { id: live.id } });
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    }
  };

  return (
    <>
      <PageHeader title={t('lt.title')} subtitle={t('lt.subtitle')} />
      <LoadTestForm running={!!live} />
      {live && (
        <section className="card progress-card" aria-labelledby="lt-progress-title">
          <div className="progress-head">
            <h2 id="lt-progress-title">{t('lt.progress')}</h2>
            <button type="button" className="btn btn-danger" onClick={() => void cancel()}>{t('lt.cancel')}</button>
          </div>
          <progress
            aria-labelledby="lt-progress-title"
            max={1}
            value={ratio === null ? undefined : Math.min(1, ratio)}
          />
          <p className="num hint" aria-live="polite">
            {!p ? t('lt.running') : p.total
              ? t('lt.progress.text', { done: p.done, total: p.total, rps: formatDecimal(p.requestsPerSecond, language) })
              : t('lt.progress.duration', { done: p.done, elapsed: Math.round(p.elapsedMs / 1000), duration: Math.round((p.durationMs ?? 0) / 1000), rps: formatDecimal(p.requestsPerSecond, language) })}
          </p>
          {p?.latencyMs && (
            <div className="tiles tiles-compact" role="group" aria-label={t('lt.live')}>
              <StatTile label={t('lt.live.p50')} value={formatMs(p.latencyMs.p50)} />
              <StatTile label={t('lt.live.p95')} value={formatMs(p.latencyMs.p95)} />
              <StatTile
                label={t('lt.live.errors')}
                value={formatPercent(p.done ? p.failed / p.done : null)}
                detail={t('lt.live.errorsDetail', { count: formatInt(p.failed, language) })}
                tone={p.failed ? (p.failed / p.done > 0.05 ? 'bad' : 'warn') : undefined}
              />
              <StatTile label={t('lt.live.hits')} value={formatPercent(p.hitRate)} tone={p.hitRate ? 'good' : undefined} />
            </div>
          )}
          {p?.errors && Object.keys(p.errors).length > 0 && <p className="small">{t('lt.live.kinds', { list: errorsText(p.errors, '') })}</p>}
        </section>
      )}
      <section aria-labelledby="lt-results-title">
        <h2 id="lt-results-title" className="section-title">{t('lt.results')}</h2>
        <LoadTestResults />
      </section>
      <LoadTestCompare />
    </>
  );
}
