// A request trace step in the reader's language: from its `say` (src/shared/trace.ts) when the panel
// knows the sentence, else the engine's English message. The stage is named in the reader's language too.
import { isTraceSaying } from '../../../shared/trace.ts';
import type { MessageKey } from '../i18n/en.ts';
import type { Translate } from '../i18n/translate.ts';

const STAGES = ['route', 'cache', 'semantic', 'coalesce', 'retry', 'scheduler', 'batch', 'speech', 'record', 'admission', 'validate'] as const;

export function stageLabel(t: Translate, stage: string): string {
  return (STAGES as readonly string[]).includes(stage) ? t(`trace.stage.${stage as (typeof STAGES)[number]}`) : stage;
}

export function traceText(t: Translate, step: { message: string; say?: unknown }): string {
  if (!isTraceSaying(step.say)) return step.message;
  const vars: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(step.say.vars ?? {})) if (v !== null && v !== undefined) vars[k] = v;
  const { id } = step.say;
  if (id === 'route.resolved') {
    // "model → targets", then what decided it, each part only when it applies
    let text = t('trace.route.resolved', vars);
    if (vars.rule !== undefined) text += t('trace.route.byRule', { rule: vars.rule });
    if (vars.complexity !== undefined) text += ` [${vars.complexity}]`;
    if (vars.cacheOnly === 1) text += t('trace.route.cacheOnly');
    return text;
  }
  if (id === 'scheduler.waited' && typeof vars.priority === 'string' && ['high', 'normal', 'low'].includes(vars.priority)) {
    vars.priority = t(`trace.priority.${vars.priority as 'high' | 'normal' | 'low'}`);
  }
  if (id.startsWith('semantic.miss.')) vars.closest = vars.closest === undefined ? '' : t('trace.semantic.closest', { score: vars.closest });
  return t(`trace.${id}` as MessageKey, vars);
}
