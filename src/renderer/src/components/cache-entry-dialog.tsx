// One cache entry in full: where it came from, what it cost, the request and the stored response.
import { useEffect, useState } from 'react';
import type { CacheEntryDetailView } from '../../../shared/cache.ts';
import { endpointLabel, formatBytes, formatDateTime, formatMs, formatUsd } from '../lib/format.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { Modal } from './modal.tsx';

export function CacheEntryDialog({ entryKey, onClose, onDelete }: { entryKey: string; onClose(): void; onDelete(key: string): void }) {
  const t = useT();
  const { client, stores } = usePanel();
  const language = useSlice(stores.prefs, (s) => s.language);
  const [entry, setEntry] = useState<CacheEntryDetailView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    client.call('cacheEntry', { params: { key: entryKey }, signal: abort.signal }).then(setEntry, (err: Error & { status?: number }) => {
      if (!abort.signal.aborted) setError(err.status === 404 ? t('cache.gone') : t('common.error', { message: err.message }));
    });
    return () => abort.abort();
  }, [client, entryKey]);

  return (
    <Modal
      title={t('cache.detail.title')}
      wide
      onClose={onClose}
      footer={entry && (
        <>
          <button type="button" className="btn btn-danger" onClick={() => onDelete(entry.key)}>{t('common.delete')}</button>
          <button type="button" className="btn" onClick={onClose}>{t('common.close')}</button>
        </>
      )}
    >
      {error ? <p className="error-text" role="alert">{error}</p> : !entry ? <p aria-busy="true">{t('common.loading')}</p> : (
        <div className="detail">
          <section>
            <dl className="kv">
              <dt>{t('cache.detail.key')}</dt><dd className="mono break">{entry.key}</dd>
              <dt>{t('cache.col.endpoint')}</dt><dd>{endpointLabel(t, entry.endpoint)}</dd>
              <dt>{t('cache.col.model')}</dt><dd className="mono">{entry.model}</dd>
              <dt>{t('cache.detail.provider')}</dt><dd>{entry.provider}</dd>
              <dt>{t('cache.col.namespace')}</dt><dd className="mono break">{entry.namespace || '—'}</dd>
              <dt>{t('cache.detail.contentType')}</dt><dd className="mono">{entry.contentType}</dd>
              <dt>{t('cache.col.size')}</dt><dd className="num">{formatBytes(entry.size)}</dd>
            </dl>
          </section>
          <section>
            <dl className="kv">
              <dt>{t('cache.col.created')}</dt><dd className="num">{formatDateTime(entry.createdAt, language)}</dd>
              <dt>{t('cache.col.expires')}</dt><dd className="num">{formatDateTime(entry.expiresAt, language)}{entry.expired && <> <span className="chip chip-cancelled">{t('cache.expired')}</span></>}</dd>
              <dt>{t('cache.col.hits')}</dt><dd className="num">{entry.hits}</dd>
              <dt>{t('cache.detail.lastHit')}</dt><dd className="num">{entry.lastHitAt ? formatDateTime(entry.lastHitAt, language) : '—'}</dd>
              <dt>{t('cache.detail.tokens')}</dt><dd className="num">{entry.promptTokens} + {entry.completionTokens}{entry.usageEstimated && <> <small className="hint">{t('cache.detail.estimated')}</small></>}</dd>
              <dt>{t('cache.detail.cost')}</dt><dd className="num">{formatUsd(entry.costUsd)}</dd>
              <dt>{t('cache.detail.latency')}</dt><dd className="num">{formatMs(entry.latencyMs)}</dd>
            </dl>
          </section>
          <section className="span-2">
            <h3>{t('cache.detail.request')}</h3>
            <pre className="code">{entry.requestText}</pre>
          </section>
          <section className="span-2">
            <h3>{t('cache.detail.preview')}</h3>
            <pre className="code">{entry.preview}</pre>
            {entry.previewTruncated && <p className="hint">{t('cache.detail.truncated')}</p>}
          </section>
        </div>
      )}
    </Modal>
  );
}
