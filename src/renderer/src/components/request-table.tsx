// The request log table; a row opens the detail.
import type { RequestSummary } from '../../../shared/events.ts';
import { cacheResultLabel, endpointLabel, formatClock, formatMs, formatUsd } from '../lib/format.ts';
import { isError, isHit } from '../lib/request-stats.ts';
import { useT } from '../panel-context.tsx';

export function RequestTable({ items, onOpen, label }: { items: RequestSummary[]; onOpen(id: string): void; label: string }) {
  const t = useT();
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">{t('req.col.time')}</th>
            <th scope="col">{t('req.col.endpoint')}</th>
            <th scope="col">{t('req.col.model')}</th>
            <th scope="col">{t('req.col.provider')}</th>
            <th scope="col" className="r">{t('req.col.status')}</th>
            <th scope="col" className="r">{t('req.col.latency')}</th>
            <th scope="col">{t('req.col.cache')}</th>
            <th scope="col" className="r">{t('req.col.tokens')}</th>
            <th scope="col" className="r">{t('req.col.cost')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id} className="clickable" onClick={() => onOpen(r.id)}>
              <td className="num">
                <button type="button" className="link-btn" aria-label={t('req.open', { id: r.id })} onClick={(e) => { e.stopPropagation(); onOpen(r.id); }}>
                  {formatClock(r.ts)}
                </button>
              </td>
              <td className="nowrap">{endpointLabel(t, r.endpoint)}</td>
              <td className="mono ellipsis" title={r.requestedModel !== r.model ? `${r.requestedModel} → ${r.model}` : r.model}>{r.model}</td>
              <td>{r.provider}</td>
              <td className="r"><span className={`status ${isError(r) ? 'status-bad' : 'status-ok'}`}>{r.status || 'ERR'}</span></td>
              <td className="r num">{formatMs(r.latencyMs)}</td>
              <td><span className={`chip ${isHit(r.cache) ? 'chip-hit' : ''}`}>{cacheResultLabel(t, r.cache)}</span></td>
              <td className="r num">{r.promptTokens + r.completionTokens}</td>
              <td className="r num">{formatUsd(r.costUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
