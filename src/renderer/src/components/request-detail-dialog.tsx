// Detail of one logged request: summary, timings, route trace, cache, tokens, cost, headers, bodies.
import { useEffect, useState } from 'react';
import type { RequestDetail } from '../../../shared/admin/core-routes.ts';
import { cacheResultLabel, endpointLabel, formatDateTime, formatMs, formatUsd } from '../lib/format.ts';
import { timingLabel } from '../lib/request-timings.ts';
import { stageLabel, traceText } from '../lib/trace-text.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import { Modal } from './modal.tsx';

function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export function RequestDetailDialog({ id, onClose }: { id: string; onClose(): void }) {
  const t = useT();
  const { client, stores } = usePanel();
  const language = useSlice(stores.prefs, (s) => s.language);
  const [state, setState] = useState<{ detail?: RequestDetail; error?: string }>({});
  useEffect(() => {
    const ac = new AbortController();
    client.call('requestDetail', { params: { id }, signal: ac.signal }).then(
      (detail) => setState({ detail }),
      (err: Error) => { if (err.name !== 'AbortError') setState({ error: err.message }); },
    );
    return () => ac.abort();
  }, [client, id]);
  const r = state.detail;
  return (
    <Modal title={t('req.detail.title', { id })} onClose={onClose} wide>
      {!r && !state.error && <p aria-busy="true">{t('common.loading')}</p>}
      {state.error && <p role="alert" className="error-text">{t('req.detail.notLogged')} ({state.error})</p>}
      {r && (
        <div className="detail">
          <section aria-labelledby="d-summary">
            <h3 id="d-summary">{t('req.detail.summary')}</h3>
            <dl className="kv">
              <dt>{t('req.col.time')}</dt><dd className="num">{formatDateTime(r.ts, language)}</dd>
              <dt>{t('req.detail.path')}</dt><dd className="mono">{r.method} {r.path}</dd>
              <dt>{t('req.col.endpoint')}</dt><dd>{endpointLabel(t, r.endpoint)}</dd>
              <dt>{t('req.detail.requested')}</dt><dd className="mono">{r.requestedModel}</dd>
              <dt>{t('req.col.model')}</dt><dd className="mono">{r.model}</dd>
              <dt>{t('req.col.provider')}</dt><dd>{r.provider}</dd>
              <dt>{t('req.col.status')}</dt><dd className="num">{r.status}</dd>
              {r.errorCode && <><dt>{t('req.detail.errorCode')}</dt><dd className="mono">{r.errorCode}</dd></>}
              {r.detail.upstreamRequestId && <><dt>{t('req.detail.upstreamRequestId')}</dt><dd className="mono break">{r.detail.upstreamRequestId}</dd></>}
              <dt>{t('req.col.latency')}</dt><dd className="num">{formatMs(r.latencyMs)}</dd>
              <dt>{t('req.detail.firstByte')}</dt><dd className="num">{formatMs(r.firstByteMs)}</dd>
              <dt>{t('req.detail.stream')}</dt><dd>{r.stream ? t('common.yes') : t('common.no')}</dd>
              <dt>{t('req.detail.attempts')}</dt><dd className="num">{r.attempts}</dd>
              <dt>{t('req.detail.client')}</dt><dd className="mono">{r.client || '—'}</dd>
            </dl>
          </section>
          <section aria-labelledby="d-cache">
            <h3 id="d-cache">{t('req.detail.cache')} · {t('req.detail.tokens')}</h3>
            <dl className="kv">
              <dt>{t('req.detail.cacheResult')}</dt><dd><span className="chip">{cacheResultLabel(t, r.cache)}</span></dd>
              <dt>{t('req.detail.cacheKey')}</dt><dd className="mono break">{r.detail.cacheKey ?? '—'}</dd>
              <dt>{t('req.detail.prompt')}</dt><dd className="num">{r.promptTokens}</dd>
              <dt>{t('req.detail.completion')}</dt><dd className="num">{r.completionTokens}</dd>
              <dt>{t('req.detail.cost')}</dt><dd className="num">{formatUsd(r.costUsd)}</dd>
            </dl>
          </section>
          <section aria-labelledby="d-timings">
            <h3 id="d-timings">{t('req.detail.timings')}</h3>
            {Object.keys(r.detail.timings ?? {}).length ? (
              <dl className="kv">
                {Object.entries(r.detail.timings).map(([k, v]) => <div key={k} className="kv-row"><dt>{timingLabel(t, k)}</dt><dd className="num">{formatMs(v)}</dd></div>)}
              </dl>
            ) : <p className="empty">{t('req.detail.empty')}</p>}
          </section>
          <section aria-labelledby="d-trace">
            <h3 id="d-trace">{t('req.detail.trace')}</h3>
            {r.detail.trace?.length ? (
              <ol className="trace">
                {r.detail.trace.map((step, i) => (
                  <li key={i}><span className="chip">{stageLabel(t, step.stage)}</span> <span>{traceText(t, step)}</span></li>
                ))}
              </ol>
            ) : <p className="empty">{t('req.detail.empty')}</p>}
          </section>
          <section aria-labelledby="d-headers" className="span-2">
            <h3 id="d-headers">{t('req.detail.headers')}</h3>
            {Object.keys(r.detail.requestHeaders ?? {}).length ? (
              <dl className="kv mono">
                {Object.entries(r.detail.requestHeaders).map(([k, v]) => <div key={k} className="kv-row"><dt>{k}</dt><dd className="break">{v === '[redacted]' ? t('req.detail.redacted') : v}</dd></div>)}
              </dl>
            ) : <p className="empty">{t('req.detail.empty')}</p>}
          </section>
          {r.detail.requestBody !== undefined || r.detail.responseBody !== undefined ? (
            <>
              {r.detail.requestBody !== undefined && (
                <section aria-labelledby="d-reqbody" className="span-2">
                  <h3 id="d-reqbody">{t('req.detail.requestBody')}</h3>
                  <pre className="code">{prettyBody(r.detail.requestBody)}</pre>
                </section>
              )}
              {r.detail.responseBody !== undefined && (
                <section aria-labelledby="d-resbody" className="span-2">
                  <h3 id="d-resbody">{t('req.detail.responseBody')}</h3>
                  <pre className="code">{prettyBody(r.detail.responseBody)}</pre>
                </section>
              )}
            </>
          ) : <p className="hint span-2">{t('req.detail.noBodies')}</p>}
        </div>
      )}
    </Modal>
  );
}
