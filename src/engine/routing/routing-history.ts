// The routing history as a person reads it: per saved version what it holds, and which sections differ
// from the version before, so two versions that count the same (a price or retry edit) still differ.
import { isDeepStrictEqual } from 'node:util';
import { isObj } from '../../shared/is-obj.ts';
import { ROUTING_SECTIONS, type RoutingConfig, type RoutingHistoryEntry, type RoutingSection } from '../../shared/routing.ts';
import type { SettingVersion } from '../store/settings-repository.ts';
import { withDefaultSections } from './routing-defaults.ts';

/** Each section as JSON, with the defaults a document may leave out filled in (older versions lack `prices`). */
function sections(doc: unknown): Record<RoutingSection, string> {
  const c = withDefaultSections(doc) as Partial<RoutingConfig>;
  const out = {} as Record<RoutingSection, string>;
  for (const s of ROUTING_SECTIONS) out[s] = JSON.stringify(c[s] ?? (s === 'prices' ? {} : null));
  return out;
}

/** As saved (JSON: keys left undefined are gone), its sections filled in (no `prices` is none). */
function asSaved(doc: unknown): unknown {
  const saved: unknown = JSON.parse(JSON.stringify(withDefaultSections(doc) ?? null));
  return isObj(saved) ? { ...saved, prices: saved.prices ?? {} } : saved;
}

/** Whether saving `after` over `before` would change nothing (the order of an object's keys aside). */
export function sameRouting(before: unknown, after: unknown): boolean {
  return isDeepStrictEqual(asSaved(before), asSaved(after));
}

export function changedSections(before: unknown, after: unknown): RoutingSection[] {
  const a = sections(before);
  const b = sections(after);
  return ROUTING_SECTIONS.filter((s) => a[s] !== b[s]);
}

/**
 * `versions` newest first, as the settings store lists them, one more than `limit` when there are
 * more: the oldest entry shown is compared with the version before it. `total`: how many routing
 * versions were saved in all, so each entry's `version` counts routing saves only (the `seq` the store
 * gives also counts every other setting saved in between).
 */
export function historyEntries(versions: readonly SettingVersion[], limit: number, total: number): RoutingHistoryEntry[] {
  return versions.slice(0, limit).map((v, i) => {
    const c = (v.value ?? {}) as Partial<RoutingConfig>;
    const before = versions[i + 1];
    return {
      seq: v.seq, version: total - i, savedAt: v.savedAt,
      rules: c.rules?.length ?? 0, aliases: c.aliases?.length ?? 0, budgets: c.budgets?.length ?? 0,
      prices: Object.keys(c.prices ?? {}).length,
      changed: before === undefined ? null : changedSections(before.value, v.value),
    };
  });
}
