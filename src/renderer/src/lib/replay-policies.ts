// The replay lab's choices: which policies to compare, and how a policy reads in the results table.
import type { ReplayPolicy } from '../../../shared/semantic.ts';

export const LAB_THRESHOLDS: readonly number[] = [0.85, 0.9, 0.95, 0.99];

export interface LabChoice { exact: boolean; thresholds: number[]; guards: boolean }

export const DEFAULT_LAB_CHOICE: LabChoice = { exact: true, thresholds: [0.9, 0.95], guards: true };

/** Policies in a stable order: exact first, then semantic by rising threshold. */
export function labPolicies(c: LabChoice): ReplayPolicy[] {
  const out: ReplayPolicy[] = c.exact ? [{ kind: 'exact' }] : [];
  for (const threshold of [...new Set(c.thresholds)].sort((a, b) => a - b)) out.push({ kind: 'semantic', threshold, guards: c.guards });
  return out;
}

export function toggleThreshold(c: LabChoice, threshold: number): LabChoice {
  const has = c.thresholds.includes(threshold);
  return { ...c, thresholds: has ? c.thresholds.filter((t) => t !== threshold) : [...c.thresholds, threshold] };
}
