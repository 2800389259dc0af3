// Dashboard: live tiles and a throughput/latency chart from the request events received.
import { useMemo, useState } from 'react';
import { PageHeader } from '../components/page-header.tsx';
import { RequestDetailDialog } from '../components/request-detail-dialog.tsx';
import { RequestTable } from '../components/request-table.tsx';
import { StatTile } from '../components/stat-tile.tsx';
import { ThroughputChart } from '../components/throughput-chart.tsx';
import { useNow } from '../components/use-now.ts';
import { formatDecimal, formatDuration, formatInt, formatMs, formatPercent, formatUsd } from '../lib/format.ts';
import { summarize, timeSeries } from '../lib/request-stats.ts';
import { usePanel, useSlice, useT } from '../panel-context.tsx';

const WINDOW_MS = 5 * 60_000;

export function DashboardPage() {
  const t = useT();
  const { stores } = usePanel();
  const items = useSlice(stores.requests, (s) => s.items);
  const info = useSlice(stores.connection, (s) => s.info);
  const language = useSlice(stores.prefs, (s) => s.language);
  const [open, setOpen] = useState<string | null>(null);
  const now = useNow(2000);
  const sum = useMemo(() => summarize(items, now, WINDOW_MS), [items, now]);
  const series = useMemo(() => timeSeries(items, now, WINDOW_MS, 10_000), [items, now]);
  const uptime = info ? now - info.startedAt : null;
  return (
    <>
      <PageHeader title={t('dash.title')} subtitle={t('dash.subtitle')} />
      <section className="tiles">
        <StatTile label={t('dash.tile.rate')} value={formatDecimal(sum.perMinute, language)} />
        <StatTile label={t('dash.tile.p50')} value={formatMs(sum.p50Ms)} />
        <StatTile label={t('dash.tile.p95')} value={formatMs(sum.p95Ms)} />
        <StatTile label={t('dash.tile.errors')} value={formatPercent(sum.errorRate)} tone={sum.errorRate ? (sum.errorRate > 0.05 ? 'bad' : 'warn') : undefined} />
        <StatTile label={t('dash.tile.hits')} value={formatPercent(sum.hitRate)} tone={sum.hitRate ? 'good' : undefined} />
        <StatTile label={t('dash.tile.tokens')} value={formatInt(sum.tokens, language)} />
        <StatTile label={t('dash.tile.cost')} value={formatUsd(sum.costUsd)} />
        <StatTile label={t('dash.tile.uptime')} value={uptime === null ? '—' : formatDuration(Math.max(0, uptime))} />
      </section>
      <section className="card">
        <h2>{t('dash.chart.title')}</h2>
        {items.length ? <ThroughputChart data={series} /> : <p className="empty">{t('dash.chart.empty', { url: info ? `${info.listen.url}/v1` : '/v1' })}</p>}
      </section>
      {items.length > 0 && (
        <section className="card">
          <h2>{t('dash.recent')}</h2>
          <RequestTable items={items.slice(0, 8)} onOpen={setOpen} label={t('dash.recent')} />
        </section>
      )}
      <p className="hint">{t('dash.more')}</p>
      {open && <RequestDetailDialog id={open} onClose={() => setOpen(null)} />}
    </>
  );
}
