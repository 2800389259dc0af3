// A request trace step (or a routing explanation's step, rule or candidate) in the reader's language:
// from its `say` (src/shared/trace.ts) when the panel knows the sentence, else the engine's English
// message. The stage is named in the reader's language too.
import { isTraceSaying, type TraceSaying, type TraceSayingValue } from '../../../shared/trace.ts';
import type { MessageKey } from '../i18n/en.ts';
import type { Translate, Vars } from '../i18n/translate.ts';

const STAGES = ['route', 'cache', 'semantic', 'coalesce', 'retry', 'scheduler', 'batch', 'speech', 'record', 'admission', 'validate'] as const;

export function stageLabel(t: Translate, stage: string): string {
  return (STAGES as readonly string[]).includes(stage) ? t(`trace.stage.${stage as (typeof STAGES)[number]}`) : stage;
}

export function traceText(t: Translate, step: { message: string; say?: unknown }): string {
  return isTraceSaying(step.say) ? sayingText(t, step.say) : step.message;
}

// Values that are one of the engine's fixed words (an endpoint, a complexity class…), by the name of
// the value: worded in the reader's language (the English words are the engine's own).
const WORDS: Record<string, { prefix: string; known: readonly string[] }> = (() => {
  const endpoint = { prefix: 'trace.word.endpoint', known: ['chat', 'embeddings', 'speech'] };
  const cls = { prefix: 'trace.word.class', known: ['simple', 'medium', 'complex', 'very-complex'] };
  return {
    endpoint, endpoints: endpoint, complexity: cls, classes: cls, class: cls,
    strategy: { prefix: 'trace.word.strategy', known: ['fallback', 'weighted', 'least-latency', 'lowest-cost'] },
    scope: { prefix: 'trace.word.scope', known: ['provider', 'model', 'alias', 'tag'] },
    unit: { prefix: 'trace.word.unit', known: ['usd', 'tokens'] },
    period: { prefix: 'trace.word.period', known: ['day', 'month'] },
    // the simulator names the API a model is for ('chat completions')
    own: { prefix: 'trace.word.api', known: ['chat', 'embeddings', 'speech'] },
    wanted: { prefix: 'trace.word.api', known: ['chat', 'embeddings', 'speech'] },
    // the semantic guard that refused the closest entry
    guard: { prefix: 'trace.word.guard', known: ['negation', 'number', 'quoted', 'entity', 'tense'] },
  };
})();

function word(t: Translate, name: string, value: string): string {
  const w = WORDS[name];
  return w?.known.includes(value) ? t(`${w.prefix}.${value}` as MessageKey) : value;
}

function valueText(t: Translate, name: string, v: TraceSayingValue): string | number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return word(t, name, v);
  if (Array.isArray(v)) return v.map((x: string | TraceSaying) => (typeof x === 'string' ? word(t, name, x) : sayingText(t, x))).join(t('trace.listSep'));
  return isTraceSaying(v) ? sayingText(t, v) : String(v);
}

// The semantic matcher of a step, from its id (`matcher`, and `model` for an embeddings model) in the
// reader's language: the engine's label is English. Steps logged before the id was sent carry only the
// label, recognised here by its exact English words.
const LOCAL_MATCHER_LABEL = 'Local near-duplicate matcher (character n-grams, English and Chinese, no model)';
const MODEL_MATCHER_LABEL = /^Embeddings model '(.+)' \(through Sluice, vectors cached\)$/;

function matcherText(t: Translate, raw: Record<string, TraceSayingValue>): string | undefined {
  const label = typeof raw.embedder === 'string' ? raw.embedder : '';
  const matcher = raw.matcher ?? (label === LOCAL_MATCHER_LABEL ? 'local-ngram' : MODEL_MATCHER_LABEL.test(label) ? 'embeddings' : undefined);
  if (matcher === 'local-ngram') return t('trace.semantic.embedder.local');
  const model = typeof raw.model === 'string' ? raw.model : MODEL_MATCHER_LABEL.exec(label)?.[1];
  return matcher === 'embeddings' && model !== undefined ? t('trace.semantic.embedder.model', { model }) : undefined;
}

const quoted = (patterns: TraceSayingValue | undefined) => (Array.isArray(patterns) ? patterns.map((p) => `'${String(p)}'`) : []);
const isEmptyList = (v: TraceSayingValue | undefined) => Array.isArray(v) && v.length === 0;

function sayingText(t: Translate, say: TraceSaying): string {
  const raw = say.vars ?? {};
  const vars: Vars = {};
  for (const [k, v] of Object.entries(raw)) if (v !== null && v !== undefined) vars[k] = valueText(t, k, v);
  const { id } = say;
  switch (id) {
    case 'route.resolved': {
      // "model → targets", then what decided it, each part only when it applies
      let text = t('trace.route.resolved', vars);
      if (vars.rule !== undefined) text += t('trace.route.byRule', { rule: vars.rule });
      if (vars.complexity !== undefined) text += ` [${vars.complexity}]`;
      if (vars.cacheOnly === 1) text += t('trace.route.cacheOnly');
      return text;
    }
    case 'scheduler.waited':
      if (typeof vars.priority === 'string' && ['high', 'normal', 'low'].includes(vars.priority)) vars.priority = t(`trace.priority.${vars.priority as 'high' | 'normal' | 'low'}`);
      break;
    case 'explain.request': {
      let text = t('trace.explain.request', vars);
      if (vars.complexity !== undefined) text += t('trace.explain.request.complexity', { complexity: vars.complexity });
      if (vars.tags !== undefined) text += t('trace.explain.request.tags', { tags: vars.tags });
      return text;
    }
    case 'explain.candidates':
      if (isEmptyList(raw.targets)) vars.targets = t('trace.explain.none');
      break;
    case 'explain.budgetDowngraded':
      if (isEmptyList(raw.targets)) vars.targets = t('trace.explain.nothing');
      break;
    case 'explain.reason.budget':
      return t('trace.explain.reason.budget', vars) + (vars.downgrading === 1 ? t('trace.explain.reason.downgrading') : '');
    case 'explain.rule.matched': {
      const parts: string[] = [];
      if (vars.endpoint !== undefined) parts.push(t('trace.explain.rule.matched.endpoint', vars));
      if (vars.model !== undefined) parts.push(t('trace.explain.rule.matched.model', { model: vars.model, patterns: quoted(raw.patterns).join(t('trace.explain.or')) }));
      if (vars.tags !== undefined) parts.push(t('trace.explain.rule.matched.tags', vars));
      if (vars.tokens !== undefined) parts.push(t('trace.explain.rule.matched.tokens', vars));
      if (vars.complexity !== undefined) parts.push(t('trace.explain.rule.matched.complexity', vars));
      return parts.length ? t('trace.explain.rule.matched', { parts: parts.join(t('trace.explain.partSep')) }) : t('trace.explain.rule.matchedNothing');
    }
    case 'explain.rule.model':
      vars.patterns = quoted(raw.patterns).join(', ');
      break;
    case 'explain.rule.tags':
      if (vars.tags === undefined) vars.tags = t('trace.explain.none');
      break;
    case 'route.unknownModel':
      // the hint (a saying, or the engine's words from an older build) names what is served instead
      return t('trace.route.unknownModel', vars) + (vars.hint !== undefined ? ` ${vars.hint}` : '');
    case 'provider.otherEndpointModel':
      vars.models = Array.isArray(raw.models) ? raw.models.map(String).join(t('trace.explain.or')) : vars.models;
      break;
    case 'provider.espeak.format':
      vars.why = vars.ffmpeg === 1 ? t('trace.provider.espeak.ffmpeg', { format: vars.format }) : '';
      break;
    case 'route.hint': {
      const served = vars.models !== undefined ? t('trace.route.hint.models', vars) : t('trace.route.hint.none', vars);
      return vars.remote === 1 ? served : `${served} ${t('trace.route.hint.remote')}`;
    }
    default:
      if (id.startsWith('semantic.miss.')) vars.closest = vars.closest === undefined ? '' : t('trace.semantic.closest', { score: vars.closest });
      if (id.startsWith('semantic.')) vars.embedder = matcherText(t, raw) ?? vars.embedder;
      // logged before a miss named the threshold it did not reach
      if (id === 'semantic.miss.none' && vars.threshold === undefined) return t('trace.semantic.miss.noneLogged', vars);
  }
  return t(`trace.${id}` as MessageKey, vars);
}
