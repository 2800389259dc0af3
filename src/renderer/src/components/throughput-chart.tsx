// Throughput (bars) and latency (lines) per bucket, from the panel's request events.
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SeriesPoint } from '../lib/request-stats.ts';
import { useT } from '../panel-context.tsx';

const tick = (t: number) => {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
};

export function ThroughputChart({ data }: { data: SeriesPoint[] }) {
  const t = useT();
  return (
    <div className="chart" role="img" aria-label={t('dash.chart.title')}>
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="t" tickFormatter={tick} stroke="var(--text-muted)" fontSize={12} minTickGap={40} />
          <YAxis yAxisId="req" allowDecimals={false} stroke="var(--text-muted)" fontSize={12} width={36} />
          <YAxis yAxisId="ms" orientation="right" stroke="var(--text-muted)" fontSize={12} width={48} />
          <Tooltip
            labelFormatter={(v) => tick(Number(v))}
            contentStyle={{ background: 'var(--surface-raised)', border: '1px solid var(--border)', borderRadius: 8, color: 'var(--text)' }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="req" dataKey="requests" name={t('dash.chart.requests')} fill="var(--chart-1)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          <Line yAxisId="ms" dataKey="p50Ms" name={t('dash.chart.p50')} stroke="var(--chart-2)" dot={false} strokeWidth={2} connectNulls isAnimationActive={false} />
          <Line yAxisId="ms" dataKey="p95Ms" name={t('dash.chart.p95')} stroke="var(--chart-3)" dot={false} strokeWidth={2} strokeDasharray="4 3" connectNulls isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
