// Dashboard: tiles and live charts from the engine's `metrics` events; history from the metrics route.
import { useEffect, useMemo, useState } from 'react';
import { DashboardCharts } from '../components/dashboard-charts.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { RequestDetailDialog } from '../components/request-detail-dialog.tsx';
import { RequestTable } from '../components/request-table.tsx';
import { StatTile } from '../components/stat-tile.tsx';
import { useHistory } from '../components/use-history.ts';
import { useNow } from '../components/use-now.ts';
import type { MessageKey } from '../i18n/en.ts';
import { formatDecimal, formatDuration, formatInt, formatMs, formatPercent, formatUsd } from '../lib/format.ts';
import { pointFromHistory, tilesFromSnapshot, todayTotals } from '../lib/metric-points.ts';
import { DASHBOARD_RANGES } from '../lib/time-ticks.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

/** Uptime from the engine's start, counted here and redrawn as each second of it turns (the page says
 *  "updated every second"; it had moved in the page's 5 s steps). */
function UptimeTile({ startedAt, language }: { startedAt: number | null; language: string }) {
  const t = useT();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (startedAt === null) return;
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const n = Date.now();
      setNow(n);
      timer = setTimeout(tick, 1000 - (Math.max(0, n - startedAt) % 1000) + 5);
    };
    tick();
    return () => clearTimeout(timer);
  }, [startedAt]);
  return <StatTile label={t('dash.tile.uptime')} value={startedAt === null ? '—' : formatDuration(Math.max(0, now - startedAt), language)} />;
}

export function DashboardPage() {
  const t = useT();
  const { stores } = usePanel();
  const latest = useSlice(stores.metrics, (s) => s.latest);
  const live = useSlice(stores.metrics, (s) => s.live);
  const items = useSlice(stores.requests, (s) => s.items);
  const info = useSlice(stores.connection, (s) => s.info);
  const language = useSlice(stores.prefs, (s) => s.language);
  const range = useSlice(stores.metrics, (s) => s.range);
  const setRange = stores.metrics.getState().setRange;
  const [open, setOpen] = useState<string | null>(null);
  const now = useNow(5000);

  const history = useHistory(range === 'live' ? null : range, 30_000);
  const today = useHistory('24h', 60_000);
  const totals = useMemo(() => (today.state === 'ready' ? todayTotals(today.series.points, now) : null), [today, now]);
  const tiles = tilesFromSnapshot(latest);
  const historyPoints = useMemo(
    () => (history.state === 'ready' ? history.series.points.map((p) => pointFromHistory(p, history.series.stepMs)) : []),
    [history],
  );
  const rangeLabel = t(`dash.range.${range}` as MessageKey);

  return (
    <>
      <PageHeader
        title={t('dash.title')}
        subtitle={t(range === 'live' ? 'dash.subtitle' : 'dash.subtitle.history', { range: rangeLabel })}
        actions={(
          <fieldset className="segmented-control">
            <legend className="sr-only">{t('dash.range')}</legend>
            {DASHBOARD_RANGES.map((r) => (
              <label key={r} className={r === range ? 'active' : undefined}>
                <input type="radio" name="dash-range" value={r} checked={r === range} onChange={() => setRange(r)} />
                <span>{t(`dash.range.${r}` as MessageKey)}</span>
              </label>
            ))}
          </fieldset>
        )}
      />
      <section aria-labelledby="dash-tiles-title" className="stack">
        <h2 id="dash-tiles-title" className="sr-only">{t('dash.tiles')}</h2>
        <div className="tiles">
          <StatTile label={t('dash.tile.rps')} value={tiles.requestsPerSecond === null ? '—' : formatDecimal(tiles.requestsPerSecond, language, 2)} />
          <StatTile label={t('dash.tile.p95')} value={formatMs(tiles.p95Ms)} />
          <StatTile label={t('dash.tile.errors')} value={formatPercent(tiles.errorRate)} tone={tiles.errorRate ? (tiles.errorRate > 0.05 ? 'bad' : 'warn') : undefined} />
          <StatTile label={t('dash.tile.hits')} value={formatPercent(tiles.hitRate)} tone={tiles.hitRate ? 'good' : undefined} />
          <StatTile label={t('dash.tile.spendToday')} value={totals ? formatUsd(totals.costUsd) : '—'} />
          <StatTile label={t('dash.tile.savedToday')} value={totals ? formatUsd(totals.savedUsd) : '—'} tone={totals?.savedUsd ? 'good' : undefined} />
          <StatTile label={t('dash.tile.inFlight')} value={latest ? formatInt(latest.inFlight, language) : '—'} />
          <UptimeTile startedAt={info?.startedAt ?? null} language={language} />
        </div>
        <p className="hint">{t('dash.tiles.hint', { seconds: latest ? Math.round(latest.windowMs / 1000) : 10 })}</p>
      </section>
      <section className="card" aria-labelledby="dash-charts-title">
        <div className="card-head">
          <h2 id="dash-charts-title">{t('dash.charts')}</h2>
          <span className="chip">{rangeLabel}</span>
        </div>
        {range === 'live' ? (
          live.length ? <DashboardCharts data={live} range="live" /> : <p className="empty" aria-busy="true">{t('dash.waiting')}</p>
        ) : history.state === 'failed' ? (
          <p className="error-text" role="alert">{t('dash.history.failed', { message: history.message })}</p>
        ) : history.state !== 'ready' ? (
          <p className="empty" aria-busy="true">{t('dash.history.loading', { range: rangeLabel })}</p>
        ) : historyPoints.some((p) => p.requestsPerSecond > 0) ? (
          <DashboardCharts data={historyPoints} range={range} />
        ) : <p className="empty">{t('dash.history.empty')}</p>}
      </section>
      <section className="card" aria-labelledby="dash-recent-title">
        <h2 id="dash-recent-title">{t('dash.recent')}</h2>
        {items.length
          ? <RequestTable items={items.slice(0, 8)} onOpen={setOpen} label={t('dash.recent')} />
          : <p className="empty">{t('dash.empty', { url: info ? `${info.listen.url}/v1` : '/v1' })}</p>}
      </section>
      {open && <RequestDetailDialog id={open} onClose={() => setOpen(null)} />}
    </>
  );
}
