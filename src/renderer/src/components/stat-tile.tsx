// A figure with its label, and optionally a line that details it ("12 failed" under an error rate).
export function StatTile({ label, value, tone, detail }: { label: string; value: string; tone?: 'good' | 'warn' | 'bad'; detail?: string }) {
  return (
    <div className={`tile${tone ? ` tile-${tone}` : ''}`} role="group" aria-label={label}>
      <div className="tile-label">{label}</div>
      <div className="tile-value num">{value}</div>
      {detail && <div className="tile-detail num">{detail}</div>}
    </div>
  );
}
