// Small, pure edits of a routing config for one-call admin actions (switch the targets behind an alias,
// enable or disable a rule). They return a new config; the caller validates and saves it.
import { isObj } from '../../shared/is-obj.ts';
import type { RoutingConfig, RoutingStrategy } from '../../shared/routing.ts';
import type { Target } from '../../shared/targets.ts';
import { NotFoundError } from '../errors.ts';
import { isDefaultAliasDescription } from './routing-defaults.ts';

/**
 * Point an alias at new targets (creating the alias if it does not exist). A description the user wrote
 * stays; the engine's default one ("the strongest model") described the model it picked, so it goes.
 */
export function withAliasTargets(cfg: RoutingConfig, name: string, targets: Target[], strategy?: RoutingStrategy, weights?: number[]): RoutingConfig {
  const exists = cfg.aliases.some((a) => a.name === name);
  // a target that is not an object stays as it is, for validation to name (`targets[0]: must be an object`)
  const next = { name, targets: targets.map((t) => (isObj(t) ? { provider: t.provider, model: t.model } : t)), ...(strategy ? { strategy } : {}), ...(weights ? { weights } : {}) };
  return {
    ...cfg,
    aliases: exists
      ? cfg.aliases.map((a) => {
        if (a.name !== name) return a;
        const { description, ...rest } = a;
        const kept = description !== undefined && !isDefaultAliasDescription(name, description) ? { description } : {};
        return { ...rest, ...kept, ...next, weights: weights ?? (a.targets.length === targets.length ? a.weights : undefined) };
      })
      : [...cfg.aliases, next],
  };
}

export function withRuleEnabled(cfg: RoutingConfig, ruleId: string, enabled: boolean): RoutingConfig {
  if (!cfg.rules.some((r) => r.id === ruleId)) throw new NotFoundError(`No routing rule with id '${ruleId}'.`, 'SLUICE_ROUTING_RULE_NOT_FOUND');
  return { ...cfg, rules: cfg.rules.map((r) => (r.id === ruleId ? { ...r, enabled } : r)) };
}
