// A y axis from zero to a round number, with round steps and one number format for all its labels:
// "0 ms, 250 ms, 500 ms, 750 ms, 1000 ms", not "0.0 ms … 802 ms" (the raw maximum on top).

export interface NiceAxis {
  domain: [number, number];
  ticks: number[];
  step: number;
  /** Decimals every label of this axis shows (enough for the step). */
  decimals: number;
}

/** Decimals that write every multiple of `step` exactly: 250 → 0, 2.5 → 1, 0.25 → 2, 0.002 → 3. */
export function decimalsFor(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  let d = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  while (d < 12 && Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) > 1e-6) d++;
  return d;
}

/** About `intervals` steps of 1, 2, 2.5 or 5 × 10^k from 0 up to the first one at or above `max` (1 when there is nothing). */
export function niceAxis(max: number, intervals = 4): NiceAxis {
  const top = max > 0 && Number.isFinite(max) ? max : 1;
  const raw = top / intervals;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((n) => n * magnitude >= raw * (1 - 1e-9)) ?? 10) * magnitude;
  const decimals = decimalsFor(step);
  const n = Math.max(1, Math.ceil(top / step - 1e-9));
  const ticks = Array.from({ length: n + 1 }, (_, i) => Number((i * step).toFixed(decimals)));
  return { domain: [0, ticks[n]], ticks, step, decimals };
}

/** Rates as shares: 0 % to 100 % in quarters. */
export const UNIT_AXIS: NiceAxis = { domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1], step: 0.25, decimals: 2 };
