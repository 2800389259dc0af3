import { describe, expect, it } from 'vitest';
import { DEFAULT_LAB_CHOICE, labPolicies, toggleThreshold } from './replay-policies.ts';

describe('replay lab policies', () => {
  it('lists exact first, then semantic thresholds in rising order with the guard choice', () => {
    const c = toggleThreshold({ ...DEFAULT_LAB_CHOICE, guards: false }, 0.85);
    expect(labPolicies(c)).toEqual([
      { kind: 'exact' },
      { kind: 'semantic', threshold: 0.85, guards: false },
      { kind: 'semantic', threshold: 0.9, guards: false },
      { kind: 'semantic', threshold: 0.95, guards: false },
    ]);
  });

  it('toggles a threshold off again and can leave nothing to run', () => {
    const c = toggleThreshold(toggleThreshold({ exact: false, thresholds: [0.9], guards: true }, 0.9), 0.99);
    expect(labPolicies(c)).toEqual([{ kind: 'semantic', threshold: 0.99, guards: true }]);
    expect(labPolicies({ exact: false, thresholds: [], guards: true })).toEqual([]);
  });
});
