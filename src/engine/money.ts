// Dollar amounts as Sluice reports them. Sums of float costs carry noise (11.431999999999999); whole
// nano-dollars are exact enough for any price and read back as the amounts a person expects.

export function roundUsd(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}

/**
 * A cost as spend and budgets count it: a finite amount of 0 or more. Anything else (a cost no price
 * Sluice takes can give, or one an older build stored from a price past the ceiling) counts as nothing:
 * summed in, one Infinity would make the day's spend, and every USD budget over it, unreadable for good.
 */
export function spentUsd(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
}
