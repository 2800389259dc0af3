// Two saved runs side by side, with the change from the first to the second.
import type { LoadTestResult } from '../../../shared/loadtest.ts';
import type { MessageKey } from '../i18n/en.ts';
import { formatDecimal, formatMs, formatPercent } from '../lib/format.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

interface Row { key: MessageKey; get(r: LoadTestResult): number; fmt(n: number): string; better: 'up' | 'down' }

export function LoadTestCompare() {
  const t = useT();
  const { stores } = usePanel();
  const runs = useSlice(stores.loadTests, (s) => s.runs);
  const ids = useSlice(stores.loadTests, (s) => s.compare);
  const language = useSlice(stores.prefs, (s) => s.language);
  const picked = ids.map((id) => runs.find((r) => r.id === id)).filter((r): r is LoadTestResult => !!r);
  if (picked.length < 2) return <p className="hint">{t('lt.compare.hint')}</p>;
  const [a, b] = picked;
  const rows: Row[] = [
    { key: 'lt.col.requests', get: (r) => r.requests, fmt: (n) => String(n), better: 'up' },
    { key: 'lt.col.rps', get: (r) => r.requestsPerSecond, fmt: (n) => formatDecimal(n, language), better: 'up' },
    { key: 'lt.col.p50', get: (r) => r.latencyMs.p50, fmt: formatMs, better: 'down' },
    { key: 'lt.col.p95', get: (r) => r.latencyMs.p95, fmt: formatMs, better: 'down' },
    { key: 'lt.col.p99', get: (r) => r.latencyMs.p99, fmt: formatMs, better: 'down' },
    { key: 'lt.col.success', get: (r) => r.successRate, fmt: (n) => formatPercent(n), better: 'up' },
    { key: 'lt.col.hits', get: (r) => r.hitRate, fmt: (n) => formatPercent(n), better: 'up' },
  ];
  return (
    <section className="card" aria-labelledby="lt-compare-title">
      <h2 id="lt-compare-title">{t('lt.compare.title')}</h2>
      <div className="table-wrap">
        <table className="table" aria-label={t('lt.compare.title')}>
          <thead>
            <tr>
              <th scope="col">{t('lt.compare.metric')}</th>
              <th scope="col" className="r">{a.name}</th>
              <th scope="col" className="r">{b.name}</th>
              <th scope="col" className="r">{t('lt.compare.delta')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const va = row.get(a);
              const vb = row.get(b);
              const delta = va ? (vb - va) / va : null;
              const good = delta === null || delta === 0 ? '' : (delta > 0) === (row.better === 'up') ? 'delta-good' : 'delta-bad';
              return (
                <tr key={row.key}>
                  <th scope="row">{t(row.key)}</th>
                  <td className="r num">{row.fmt(va)}</td>
                  <td className="r num">{row.fmt(vb)}</td>
                  <td className={`r num ${good}`}>{delta === null ? '—' : `${delta > 0 ? '+' : ''}${(delta * 100).toFixed(1)}%`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
