// Recent semantic hits side by side (asked vs cached question, score), each can be marked as a false hit.
import { useEffect, useState } from 'react';
import type { SemanticHitView, SemanticStatusView } from '../../../shared/semantic.ts';
import { formatDateTime } from '../lib/format.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

export function SemanticHits({ status, reloadKey }: { status: SemanticStatusView; reloadKey: string }) {
  const t = useT();
  const { client, stores } = usePanel();
  const language = useSlice(stores.prefs, (s) => s.language);
  const push = stores.toasts.getState().push;
  const [hits, setHits] = useState<SemanticHitView[] | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    client.call('semanticHits', { query: { limit: 20 }, signal: abort.signal }).then(setHits, () => { if (!abort.signal.aborted) setHits([]); });
    return () => abort.abort();
  }, [client, reloadKey]);

  const mark = async (h: SemanticHitView) => {
    try {
      const r = await client.call('semanticMarkFalse', { params: { id: h.id } });
      // every hit of the pair is marked, not only the one clicked (earlier hits of the same question)
      const marked = new Set([h.id, ...(r.markedHitIds ?? [])]);
      setHits((list) => list?.map((x) => (x.id === h.id ? r.hit : marked.has(x.id) ? { ...x, markedFalse: true } : x)) ?? null);
      push('success', t('cache.sem.markedToast', { threshold: r.entryThreshold > 1 ? '> 1' : r.entryThreshold.toFixed(3) }));
    } catch (err) {
      push('error', t('common.error', { message: (err as Error).message }));
    }
  };
  const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

  return (
    <section className="card" aria-labelledby="sem-hits-title">
      <div>
        <h2 id="sem-hits-title">{t('cache.sem.title')}</h2>
        <p className="hint">{t('cache.sem.hint')}</p>
        <p className="hint num">{t('cache.sem.status', { entries: status.storedEntries, hits: status.hitsRecorded, requests: status.requestsRecorded })}</p>
      </div>
      {!hits ? <p aria-busy="true">{t('common.loading')}</p> : !hits.length ? <p className="empty">{t('cache.sem.empty')}</p> : (
        <ul className="stack" style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label={t('cache.sem.title')}>
          {hits.map((h) => (
            <li key={h.id} className="stack" style={{ borderTop: '1px solid var(--border)', paddingTop: 'var(--sp-3)' }}>
              <div className="card-head">
                <span className="hint num">{formatDateTime(h.ts, language)} · {t('cache.sem.score', { score: h.score.toFixed(3), threshold: h.threshold.toFixed(3) })}</span>
                {h.markedFalse
                  ? <span className="chip chip-failed">{t('cache.sem.marked')}</span>
                  : <button type="button" className="btn btn-small btn-danger-quiet" aria-label={t('cache.sem.markLabel', { text: clip(h.askedText) })} onClick={() => void mark(h)}>{t('cache.sem.markFalse')}</button>}
              </div>
              <div className="side-by-side">
                <figure style={{ margin: 0 }}><figcaption className="hint">{t('cache.sem.asked')}</figcaption><blockquote className="quote">{h.askedText}</blockquote></figure>
                <figure style={{ margin: 0 }}><figcaption className="hint">{t('cache.sem.cached')}</figcaption><blockquote className="quote">{h.cachedText}</blockquote></figure>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
