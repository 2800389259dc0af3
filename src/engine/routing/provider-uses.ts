// Where a routing document names a provider: each alias, rule, budget and `auto` class that does, with
// the path of the reference. Deleting a provider that is still named is refused with this list, and a
// provider that went some other way (left the config file, not detected at this start) is told at start
// and does not block edits elsewhere in the document (validate-routing's `gone`).
import type { ErrorIssue } from '../../shared/openai.ts';
import type { RoutingConfig } from '../../shared/routing.ts';
import type { Target } from '../../shared/targets.ts';

/** What names the provider: an alias, a rule or a budget by its name or id, or a complexity class of `auto`. */
export type ProviderUseKind = 'alias' | 'rule' | 'budget' | 'class';

export interface ProviderUse {
  provider: string;
  kind: ProviderUseKind;
  /** The alias's name, the rule's name, the budget's id, the class. */
  name: string;
  /** Where in the routing document, e.g. `aliases[0].targets[1].provider`. */
  path: string;
}

const targetUses = (targets: unknown, path: string, kind: ProviderUseKind, name: string): ProviderUse[] =>
  (Array.isArray(targets) ? targets as Array<Partial<Target> | null> : [])
    .flatMap((t, i) => (typeof t?.provider === 'string' ? [{ provider: t.provider, kind, name, path: `${path}[${i}].provider` }] : []));

/** Every reference to a provider in the document (a well-formed one; what it cannot read it skips). */
export function providerUses(cfg: RoutingConfig): ProviderUse[] {
  const out: ProviderUse[] = [];
  (cfg.aliases ?? []).forEach((a, i) => out.push(...targetUses(a?.targets, `aliases[${i}].targets`, 'alias', a?.name)));
  (cfg.rules ?? []).forEach((r, i) => out.push(...targetUses(r?.action?.targets, `rules[${i}].action.targets`, 'rule', r?.name || r?.id)));
  (cfg.budgets ?? []).forEach((b, i) => {
    if (b?.scope === 'provider') out.push({ provider: b.match, kind: 'budget', name: b.id, path: `budgets[${i}].match` });
    // a model named with its provider (`fake2/fake-c`)
    else if (b?.scope === 'model' && b.match?.includes('/')) out.push({ provider: b.match.slice(0, b.match.indexOf('/')), kind: 'budget', name: b.id, path: `budgets[${i}].match` });
    out.push(...targetUses(b?.downgradeTo, `budgets[${i}].downgradeTo`, 'budget', b?.id));
  });
  for (const [cls, targets] of Object.entries(cfg.classTargets ?? {})) out.push(...targetUses(targets, `classTargets.${cls}`, 'class', cls));
  return out;
}

/** The uses in words, each thing once: `alias 'main', rule 'slow ones' and budget 'b1'`. */
export function usesInWords(uses: readonly ProviderUse[]): string {
  const things = [...new Set(uses.map((u) => `${u.kind === 'class' ? 'auto class' : u.kind} '${u.name}'`))];
  return things.length > 1 ? `${things.slice(0, -1).join(', ')} and ${things.at(-1)}` : things[0] ?? '';
}

/** The uses as problems on the wire (`error.issues`): the path, the words, the kind as code and the name, for the panel to word. */
export function usesAsIssues(uses: readonly ProviderUse[]): ErrorIssue[] {
  return uses.map((u) => ({ param: u.path, message: `${u.kind === 'class' ? 'auto class' : u.kind} '${u.name}'`, code: u.kind, vars: { name: u.name } }));
}
