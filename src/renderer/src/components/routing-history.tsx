// Saved versions of the routing document, newest first, each with what it holds, what it changed
// and a rollback.
import { useEffect, useState } from 'react';
import type { RoutingDocumentView } from '../../../shared/admin/routing-routes.ts';
import type { RoutingHistoryEntry } from '../../../shared/routing.ts';
import { formatDateTime } from '../lib/format.ts';
import { historyChange } from '../lib/routing-history-text.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

export function RoutingHistory({ doc, onSaved }: { doc: RoutingDocumentView; onSaved(doc: RoutingDocumentView): void }) {
  const t = useT();
  const { client, stores } = usePanel();
  const language = useSlice(stores.prefs, (s) => s.language);
  const push = stores.toasts.getState().push;
  const [entries, setEntries] = useState<RoutingHistoryEntry[] | null>(null);
  useEffect(() => {
    client.call('routingHistory', { query: { limit: 20 } }).then(setEntries, () => setEntries([]));
  }, [client, doc.seq]);
  const rollback = async (seq: number) => {
    try {
      const next = await client.call('routingRollback', { params: { seq } });
      push('success', t('routing.rolledBack', { seq }));
      onSaved(next);
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    }
  };
  return (
    <section className="card" aria-labelledby="routing-history-title">
      <h2 id="routing-history-title">{t('routing.history')}</h2>
      {!entries ? <p aria-busy="true">{t('common.loading')}</p> : !entries.length ? <p className="empty">{t('routing.history.empty')}</p> : (
        <ul className="stack" style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label={t('routing.history')}>
          {entries.map((e) => (
            <li key={e.seq} className="card-head">
              <span className="small">
                <span className="num">{formatDateTime(e.savedAt, language)}</span> — {t('routing.history.row', { seq: e.version, rules: e.rules, aliases: e.aliases, budgets: e.budgets, prices: e.prices })}
                <span className="hint"> · {historyChange(t, e)}</span>
                {e.seq === doc.seq && <> <span className="chip chip-done">{t('routing.history.current')}</span></>}
              </span>
              <button type="button" className="btn btn-small" disabled={e.seq === doc.seq} aria-label={t('routing.rollbackLabel', { seq: e.version })} onClick={() => void rollback(e.seq)}>{t('routing.rollback')}</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
