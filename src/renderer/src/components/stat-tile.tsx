// A figure with its label.
export function StatTile({ label, value, tone }: { label: string; value: string; tone?: 'good' | 'warn' | 'bad' }) {
  return (
    <div className={`tile${tone ? ` tile-${tone}` : ''}`} role="group" aria-label={label}>
      <div className="tile-label">{label}</div>
      <div className="tile-value num">{value}</div>
    </div>
  );
}
