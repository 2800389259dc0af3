// The six dashboard charts over one array of points (live ring or a history series).
import { useMemo } from 'react';
import { decimalsFor, type NiceAxis } from '../lib/axis-ticks.ts';
import { formatMs, formatUsd } from '../lib/format.ts';
import type { ChartPoint } from '../lib/metric-points.ts';
import { timeTickFormatter, type DashboardRange } from '../lib/time-ticks.ts';
import { useT } from '../panel-context.tsx';
import { MetricChart, type ChartSeries } from './metric-chart.tsx';

const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;
const rate = (v: number) => (v >= 100 ? String(Math.round(v)) : String(Math.round(v * 100) / 100));

// Axis labels: every label of an axis with the same decimals, from its step.
const pctTick = (v: number) => `${Math.round(v * 100)}%`;
const rateTick = (v: number, a: NiceAxis) => v.toFixed(a.decimals);
const usdTick = (v: number, a: NiceAxis) => `$${v.toFixed(a.decimals)}`;
/** Milliseconds, or seconds for the whole axis once its step is a second or more. */
const msTick = (v: number, a: NiceAxis) => (a.step >= 1000 ? `${(v / 1000).toFixed(decimalsFor(a.step / 1000))} s` : `${v.toFixed(a.decimals)} ms`);

export function DashboardCharts({ data, range }: { data: readonly ChartPoint[]; range: DashboardRange }) {
  const t = useT();
  const formatTime = useMemo(() => timeTickFormatter(range), [range]);
  const live = range === 'live';
  const series = useMemo(() => ({
    throughput: [{ key: 'requestsPerSecond', name: t('dash.series.rps'), color: 'var(--chart-2)', area: true }],
    latency: [
      { key: 'p50Ms', name: t('dash.series.p50'), color: 'var(--chart-2)' },
      { key: 'p95Ms', name: t('dash.series.p95'), color: 'var(--chart-3)' },
      { key: 'p99Ms', name: t('dash.series.p99'), color: 'var(--chart-5)', dashed: true },
    ],
    errors: [{ key: 'errorRate', name: t('dash.series.errorRate'), color: 'var(--bad)', area: true }],
    // Stacked from the rarest tier up, so empty tiers lie on the axis and the top edge is the memory tier's.
    hits: live ? [
      { key: 'hitSemantic', name: t('dash.series.semantic'), color: 'var(--chart-3)', area: true },
      { key: 'hitDisk', name: t('dash.series.disk'), color: 'var(--chart-4)', area: true },
      { key: 'hitMemory', name: t('dash.series.memory'), color: 'var(--chart-2)', area: true },
    ] : [{ key: 'hitRate', name: t('dash.series.hitRate'), color: 'var(--good)', area: true }],
    tokens: [
      { key: 'promptTokensPerSecond', name: t('dash.series.prompt'), color: 'var(--chart-1)', area: true },
      { key: 'completionTokensPerSecond', name: t('dash.series.completion'), color: 'var(--chart-2)', area: true },
    ],
    spend: [
      { key: 'costUsdPerMinute', name: t('dash.series.cost'), color: 'var(--chart-3)' },
      { key: 'savedUsdPerMinute', name: t('dash.series.saved'), color: 'var(--good)', dashed: true },
    ],
  } satisfies Record<string, ChartSeries[]>), [t, live]);
  return (
    <div className="chart-grid">
      <MetricChart title={t('dash.chart.throughput')} data={data} series={series.throughput} formatValue={rate} formatTick={rateTick} formatTime={formatTime} sparse={!live} />
      <MetricChart title={t('dash.chart.latency')} data={data} series={series.latency} formatValue={formatMs} formatTick={msTick} formatTime={formatTime} sparse={!live} />
      <MetricChart title={t('dash.chart.errors')} data={data} series={series.errors} formatValue={pct} formatTick={pctTick} formatTime={formatTime} unitInterval sparse={!live} />
      <MetricChart title={t(live ? 'dash.chart.hits' : 'dash.chart.hitsHistory')} data={data} series={series.hits} formatValue={pct} formatTick={pctTick} formatTime={formatTime} unitInterval sparse={!live} />
      <MetricChart title={t('dash.chart.tokens')} data={data} series={series.tokens} formatValue={rate} formatTick={rateTick} formatTime={formatTime} sparse={!live} />
      <MetricChart title={t('dash.chart.spend')} data={data} series={series.spend} formatValue={formatUsd} formatTick={usdTick} formatTime={formatTime} sparse={!live} />
    </div>
  );
}
