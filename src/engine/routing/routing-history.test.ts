import { describe, expect, it } from 'vitest';
import { defaultRoutingConfig } from '../../shared/routing.ts';
import { historyEntries } from './routing-history.ts';

const budget = { id: 'b', scope: 'provider' as const, match: 'openai', period: 'day' as const, unit: 'usd' as const, limit: 5, onExhausted: 'refuse' as const };

describe('historyEntries', () => {
  it('tells apart versions that count the same by what they changed', () => {
    const v1 = { ...defaultRoutingConfig(), budgets: [budget] };
    const v2 = { ...v1, prices: { 'gpt-4o': { input: 2, output: 8 } } };
    const v3 = { ...v2, retry: { ...v2.retry, maxAttempts: 2 }, budgets: [{ ...budget, limit: 9 }] };
    // other settings were saved in between: the store's seq skips, the version does not
    const versions = [v3, v2, v1].map((value, i) => ({ seq: 9 - 4 * i, savedAt: 1000 - i, value }));
    expect(historyEntries(versions, 10, 3)).toEqual([
      { seq: 9, version: 3, savedAt: 1000, rules: 0, aliases: 0, budgets: 1, prices: 1, changed: ['budgets', 'retry'] },
      { seq: 5, version: 2, savedAt: 999, rules: 0, aliases: 0, budgets: 1, prices: 1, changed: ['prices'] },
      { seq: 1, version: 1, savedAt: 998, rules: 0, aliases: 0, budgets: 1, prices: 0, changed: null },
    ]);
  });

  it('compares the oldest entry shown with the version before it, and a rollback to the same content with nothing', () => {
    const v1 = defaultRoutingConfig();
    // an older version saved without the sections it left at their defaults
    const versions = [{ seq: 3, savedAt: 3, value: v1 }, { seq: 2, savedAt: 2, value: { aliases: [], rules: [] } }, { seq: 1, savedAt: 1, value: v1 }];
    expect(historyEntries(versions, 2, 3).map((e) => [e.version, e.changed])).toEqual([[3, []], [2, []]]);
  });
});
