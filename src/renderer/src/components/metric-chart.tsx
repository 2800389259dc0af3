// One dashboard chart: time on x, one or more series of ChartPoint on y. Memoised on its data
// array, animations off (a new point arrives every second), and described for assistive technology.
import { memo, useMemo, type ReactElement } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { niceAxis, UNIT_AXIS, type NiceAxis } from '../lib/axis-ticks.ts';
import type { ChartPoint } from '../lib/metric-points.ts';

export type NumericKey = { [K in keyof ChartPoint]: ChartPoint[K] extends number | null ? K : never }[keyof ChartPoint];

export interface ChartSeries {
  key: NumericKey;
  name: string;
  color: string;
  /** Filled and stacked with the other `area` series. */
  area?: boolean;
  dashed?: boolean;
}

export interface MetricChartProps {
  title: string;
  data: readonly ChartPoint[];
  series: readonly ChartSeries[];
  /** The caption's and the tooltip's values, at full precision. */
  formatValue(v: number): string;
  /** The y axis's labels: one format for every label of the axis (its decimals come from its step). */
  formatTick(v: number, axis: NiceAxis): string;
  formatTime(ts: number): string;
  /** Fix the y axis to 0..1 (rates). */
  unitInterval?: boolean;
  /** History: steps without requests leave gaps; a value alone between gaps gets a dot. */
  sparse?: boolean;
}

const tooltipStyle = { background: 'var(--surface-raised)', border: '1px solid var(--border)', borderRadius: 8, color: 'var(--text)', fontSize: 12 };

/** The newest value of each series, for the caption ("requests/s: 2.4"). */
function latestValues(data: readonly ChartPoint[], series: readonly ChartSeries[], formatValue: (v: number) => string): string {
  const last = data.at(-1);
  if (!last) return '';
  return series.map((s) => { const v = last[s.key]; return `${s.name}: ${v === null ? '—' : formatValue(v)}`; }).join(' · ');
}

/** The highest point drawn: stacked areas add up, lines stand alone. */
function highest(data: readonly ChartPoint[], series: readonly ChartSeries[]): number {
  let max = 0;
  for (const p of data) {
    let stacked = 0;
    for (const s of series) {
      const v = p[s.key] ?? 0;
      if (s.area) stacked += v;
      else if (v > max) max = v;
    }
    if (stacked > max) max = stacked;
  }
  return max;
}

interface DotProps { cx?: number; cy?: number; index?: number; stroke?: string }

/** History: a dot only where a value stands alone between gaps (a line would not show it). */
function isolatedDot(data: readonly ChartPoint[], key: NumericKey) {
  return function IsolatedDot({ cx, cy, index = -1, stroke }: DotProps): ReactElement {
    const here = data[index]?.[key];
    const alone = here !== null && here !== undefined && (data[index - 1]?.[key] ?? null) === null && (data[index + 1]?.[key] ?? null) === null;
    return alone && cx !== undefined && cy !== undefined ? <circle key={index} cx={cx} cy={cy} r={3} fill={stroke} /> : <g key={index} />;
  };
}

function MetricChartView({ title, data, series, formatValue, formatTick, formatTime, unitInterval, sparse }: MetricChartProps) {
  // round ticks from 0 to a round top (recharts put the raw maximum on top: 3.85, 802 ms)
  const axis = useMemo(() => (unitInterval ? UNIT_AXIS : niceAxis(highest(data, series))), [data, series, unitInterval]);
  return (
    <figure className="chart-card" aria-label={title}>
      <figcaption className="chart-title">{title} <span className="chart-latest num" data-testid="chart-latest">{latestValues(data, series, formatValue)}</span></figcaption>
      <div className="chart chart-small" role="img" aria-label={title}>
        <ResponsiveContainer width="100%" height={200}>
          <ComposedChart data={data as ChartPoint[]} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="ts" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={formatTime} stroke="var(--text-muted)" fontSize={11} minTickGap={48} />
            <YAxis stroke="var(--text-muted)" fontSize={11} width={56} tickFormatter={(v: number) => formatTick(v, axis)} domain={axis.domain} ticks={axis.ticks} interval={0} />
            <Tooltip labelFormatter={(v) => formatTime(Number(v))} formatter={(v) => (typeof v === 'number' ? formatValue(v) : String(v))} contentStyle={tooltipStyle} isAnimationActive={false} />
            {series.map((s) => (s.area ? (
              <Area key={s.key} dataKey={s.key} name={s.name} stackId="a" type="monotone" stroke={s.color} fill={s.color} fillOpacity={0.35} strokeWidth={1.5} dot={sparse ? isolatedDot(data, s.key) : false} isAnimationActive={false} connectNulls={false} />
            ) : (
              <Line key={s.key} dataKey={s.key} name={s.name} type="monotone" stroke={s.color} strokeWidth={2} dot={sparse ? isolatedDot(data, s.key) : false} strokeDasharray={s.dashed ? '4 3' : undefined} isAnimationActive={false} connectNulls={false} />
            )))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      {/* our own legend: recharts' labels its icons in English ("… legend icon") */}
      <ul className="chart-legend">
        {series.map((s) => (
          <li key={s.key}><span className={`chart-swatch${s.dashed ? ' dashed' : ''}${s.area ? ' area' : ''}`} style={{ borderColor: s.color, color: s.color }} aria-hidden="true" />{s.name}</li>
        ))}
      </ul>
    </figure>
  );
}

export const MetricChart = memo(MetricChartView);
