// Ordering a list of targets by strategy: as given (fallback), weighted random without replacement,
// least latency (EWMA; unknown targets count as the average of the known ones), or lowest cost.
// Randomness is injected so tests and explanations are reproducible. `orderIndexes` is the
// allocation-light core the router uses; `orderTargets` the convenient form.
import type { RoutingStrategy } from '../../shared/routing.ts';
import type { Target } from '../../shared/targets.ts';

export interface BalanceInputs {
  weights?: readonly number[];
  random: () => number;
  latencyMs?: (t: Target) => number | undefined;
  /** Comparable cost of a target (e.g. a blended price per million tokens); undefined = unknown. */
  cost?: (t: Target) => number | undefined;
}

export interface IndexInputs {
  weights?: readonly number[];
  random: () => number;
  /** The figure to sort by for least-latency / lowest-cost (by position); undefined = unknown. */
  metric?: (i: number) => number | undefined;
}

export function orderTargets(targets: readonly Target[], strategy: RoutingStrategy, inputs: BalanceInputs): Target[] {
  const fn = strategy === 'least-latency' ? inputs.latencyMs : strategy === 'lowest-cost' ? inputs.cost : undefined;
  const order = orderIndexes(targets.length, strategy, { weights: inputs.weights, random: inputs.random, metric: fn && ((i) => fn(targets[i])) });
  return order.map((i) => targets[i]);
}

/** Positions 0..n-1 in the order to try them. */
export function orderIndexes(n: number, strategy: RoutingStrategy, inputs: IndexInputs): number[] {
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n <= 1 || strategy === 'fallback') return order;
  if (strategy === 'weighted') return weightedOrder(order, inputs.weights, inputs.random);
  return inputs.metric ? sortByMetric(order, inputs.metric) : order;
}

function weightedOrder(pool: number[], weights: readonly number[] | undefined, random: () => number): number[] {
  const out: number[] = [];
  const w = (i: number) => Math.max(0, weights?.[i] ?? 1);
  while (pool.length) {
    let total = 0;
    for (const i of pool) total += w(i);
    let pick = 0;
    if (total > 0) {
      let r = random() * total;
      for (pick = 0; pick < pool.length - 1; pick++) {
        r -= w(pool[pick]);
        if (r < 0) break;
      }
      while (w(pool[pick]) === 0 && pick > 0) pick--;
    }
    out.push(pool[pick]);
    pool.splice(pick, 1);
  }
  return out;
}

function sortByMetric(order: number[], metric: (i: number) => number | undefined): number[] {
  const n = order.length;
  const values = new Array<number>(n);
  let sum = 0;
  let known = 0;
  for (let i = 0; i < n; i++) {
    const v = metric(i);
    if (v != null && Number.isFinite(v)) { values[i] = v; sum += v; known++; } else values[i] = NaN;
  }
  const fill = known ? sum / known : 0;
  for (let i = 0; i < n; i++) if (Number.isNaN(values[i])) values[i] = fill;
  // insertion sort: lists are short, and it is stable
  for (let i = 1; i < n; i++) {
    const x = order[i];
    let j = i - 1;
    while (j >= 0 && values[order[j]] > values[x]) { order[j + 1] = order[j]; j--; }
    order[j + 1] = x;
  }
  return order;
}
