// One dashboard chart: time on x, one or more series of ChartPoint on y. Memoised on its data
// array, animations off (a new point arrives every second), and described for assistive technology.
import { memo } from 'react';
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
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
  formatValue(v: number): string;
  formatTime(ts: number): string;
  /** Fix the y axis to 0..1 (rates). */
  unitInterval?: boolean;
}

const tooltipStyle = { background: 'var(--surface-raised)', border: '1px solid var(--border)', borderRadius: 8, color: 'var(--text)', fontSize: 12 };

function MetricChartView({ title, data, series, formatValue, formatTime, unitInterval }: MetricChartProps) {
  return (
    <figure className="chart-card" aria-label={title}>
      <figcaption className="chart-title">{title}</figcaption>
      <div className="chart chart-small" role="img" aria-label={title}>
        <ResponsiveContainer width="100%" height={200}>
          <ComposedChart data={data as ChartPoint[]} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="ts" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={formatTime} stroke="var(--text-muted)" fontSize={11} minTickGap={48} />
            <YAxis stroke="var(--text-muted)" fontSize={11} width={56} tickFormatter={formatValue} domain={unitInterval ? [0, 1] : [0, 'auto']} allowDecimals />
            <Tooltip labelFormatter={(v) => formatTime(Number(v))} formatter={(v) => (typeof v === 'number' ? formatValue(v) : String(v))} contentStyle={tooltipStyle} isAnimationActive={false} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {series.map((s) => (s.area ? (
              <Area key={s.key} dataKey={s.key} name={s.name} stackId="a" type="monotone" stroke={s.color} fill={s.color} fillOpacity={0.35} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
            ) : (
              <Line key={s.key} dataKey={s.key} name={s.name} type="monotone" stroke={s.color} strokeWidth={2} dot={false} strokeDasharray={s.dashed ? '4 3' : undefined} isAnimationActive={false} connectNulls={false} />
            )))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export const MetricChart = memo(MetricChartView);
