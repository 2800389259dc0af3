// Saved load test runs: a results table with compare checkboxes and delete.
import { useState } from 'react';
import type { MessageKey } from '../i18n/en.ts';
import type { LoadTestResult } from '../../../shared/loadtest.ts';
import { formatDecimal, formatMs, formatPercent } from '../lib/format.ts';
import { AdminApiError } from '../api/admin-api-error.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';

export function errorsText(errors: Record<string, number>, none: string): string {
  const e = Object.entries(errors);
  return e.length ? e.map(([k, n]) => `${k} × ${n}`).join(', ') : none;
}

export function LoadTestResults() {
  const t = useT();
  const { client, stores } = usePanel();
  const runs = useSlice(stores.loadTests, (s) => s.runs);
  const compare = useSlice(stores.loadTests, (s) => s.compare);
  const language = useSlice(stores.prefs, (s) => s.language);
  const [deleting, setDeleting] = useState<LoadTestResult | null>(null);
  const push = stores.toasts.getState().push;

  if (!runs.length) return <p className="empty card">{t('lt.noRuns')}</p>;
  return (
    <>
      <div className="table-wrap">
        <table className="table table-reflow" aria-label={t('lt.results')}>
          <thead>
            <tr>
              <th scope="col">{t('lt.col.compare')}</th>
              <th scope="col">{t('lt.col.name')}</th>
              <th scope="col">{t('lt.col.state')}</th>
              <th scope="col" className="r">{t('lt.col.requests')}</th>
              <th scope="col" className="r">{t('lt.col.rps')}</th>
              <th scope="col" className="r">{t('lt.col.p50')}</th>
              <th scope="col" className="r">{t('lt.col.p95')}</th>
              <th scope="col" className="r">{t('lt.col.p99')}</th>
              <th scope="col" className="r">{t('lt.col.success')}</th>
              <th scope="col" className="r">{t('lt.col.hits')}</th>
              <th scope="col">{t('lt.col.errors')}</th>
              <th scope="col"><span className="sr-only">{t('lt.col.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td data-label={t('lt.col.compare')}>
                  <input type="checkbox" aria-label={t('lt.compareRun', { name: r.name })} checked={compare.includes(r.id)}
                    disabled={r.state === 'running'} onChange={() => stores.loadTests.getState().toggleCompare(r.id)} />
                </td>
                <td className="cell-main"><div>{r.name}</div><div className="hint mono">{r.spec.model}</div></td>
                <td><span className={`chip chip-${r.state}`}>{t(`lt.state.${r.state}` as MessageKey)}</span></td>
                <td className="r num" data-label={t('lt.col.requests')}>{r.requests}</td>
                <td className="r num" data-label={t('lt.col.rps')}>{formatDecimal(r.requestsPerSecond, language)}</td>
                <td className="r num" data-label={t('lt.col.p50')}>{formatMs(r.latencyMs.p50)}</td>
                <td className="r num" data-label={t('lt.col.p95')}>{formatMs(r.latencyMs.p95)}</td>
                <td className="r num" data-label={t('lt.col.p99')}>{formatMs(r.latencyMs.p99)}</td>
                <td className="r num" data-label={t('lt.col.success')}>{formatPercent(r.successRate)}</td>
                <td className="r num" data-label={t('lt.col.hits')}>{formatPercent(r.hitRate)}</td>
                <td className="small" data-label={t('lt.col.errors')}>{errorsText(r.errors, t('lt.errorsNone'))}</td>
                <td>
                  <button type="button" className="icon-btn" aria-label={t('lt.deleteRun', { name: r.name })} disabled={r.state === 'running'} onClick={() => setDeleting(r)}>
                    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path d="M4 7h16M9 7V4h6v3m-8 0 1 13h8l1-13" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" /></svg>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {deleting && (
        <ConfirmDialog
          title={t('lt.delete.title')}
          body={t('lt.delete.body', { name: deleting.name })}
          confirmLabel={t('common.delete')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            try {
              await client.call('loadTestDelete', { params: { id: deleting.id } });
              stores.loadTests.getState().remove(deleting.id);
              push('success', t('lt.deleted'));
            } catch (err) {
              // deleted already (in another window): what was asked for is done
              if (err instanceof AdminApiError && err.gone) {
                stores.loadTests.getState().remove(deleting.id);
                push('success', t('lt.deleted'));
              } else {
                push('error', t('common.error', { message: (err as Error).message }));
              }
            }
          }}
        />
      )}
    </>
  );
}
