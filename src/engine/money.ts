// Dollar amounts as Sluice reports them. Sums of float costs carry noise (11.431999999999999); whole
// nano-dollars are exact enough for any price and read back as the amounts a person expects.

export function roundUsd(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}
