// A request trace step's words as data: `message` keeps the engine's English (the request log, the
// admin API), `say` names the sentence and its values so the panel can say it in the reader's
// language. Values that are someone else's words (an upstream's error, a rule's name) stay as they are.
// A value may itself be a saying (a reason inside a sentence) or a list (of names, or of sayings),
// which the panel words in turn and joins with ", " as the engine does.

export const TRACE_SAYINGS = [
  'route.resolved', 'route.heldRefusal',
  'cache.bypass.noStore', 'cache.bypass.off', 'cache.bypass.nondeterministic', 'cache.stale',
  'cache.notStored.otherTarget', 'cache.notStored.stream', 'cache.notStored.emptyAudio', 'cache.stored',
  'coalesce.shared',
  'retry.skipped', 'retry.triedAnyway', 'retry.answered', 'retry.failed', 'retry.failedWithId', 'retry.retryAfter', 'retry.allFailed',
  'scheduler.waited', 'batch.sent', 'speech.sentences', 'speech.spokenWhole', 'speech.defaultFormat', 'record.estimated',
  'semantic.off', 'semantic.notApplicable', 'semantic.lookupFailed', 'semantic.hit', 'semantic.gone',
  'semantic.miss.guard', 'semantic.miss.markedFalse', 'semantic.miss.belowThreshold', 'semantic.miss.none',
  // the routing decision step by step (POST /admin/api/routing/explain, a refused request's route step)
  'explain.request', 'explain.ruleMatched', 'explain.noRuleMatched', 'explain.noRules',
  'explain.candidates', 'explain.noSource', 'explain.budgetRefused', 'explain.budgetNoCheaper', 'explain.budgetDowngraded',
  'explain.kept', 'explain.skipped', 'explain.refused', 'explain.willTry', 'explain.noTarget',
  // where the candidates came from
  'explain.from.rule', 'explain.from.ruleAlias', 'explain.from.alias', 'explain.from.class', 'explain.from.explicit', 'explain.from.catalog',
  // why a candidate was kept or skipped
  'explain.reason.ok', 'explain.reason.unknownProvider', 'explain.reason.providerDisabled', 'explain.reason.endpoint',
  'explain.reason.breakerOpen', 'explain.reason.openButAlone', 'explain.reason.budget',
  // why a rule matched or not
  'explain.rule.matched', 'explain.rule.notEvaluated', 'explain.rule.disabled', 'explain.rule.endpoint', 'explain.rule.model',
  'explain.rule.tags', 'explain.rule.minTokens', 'explain.rule.maxTokens', 'explain.rule.complexityUnknown', 'explain.rule.complexity',
  // the error a request would get when nothing is left to try
  'route.failed', 'route.targetRefused', 'route.budgetExhausted', 'route.budgetNoCheaper', 'route.unknownModel', 'route.hint', 'route.wrongEndpoint', 'route.noTarget', 'route.skippedTarget',
  // what the proxy does besides routing, as explain reports it: a body it refuses, a target that refuses the request
  'explain.invalidBody', 'explain.targetRefuses',
  // why the proxy refuses a request body (src/engine/api/request-sayings.ts)
  'request.missing', 'request.invalid', 'request.invalidSentence', 'request.notObject', 'request.missingInput', 'request.missingVoice',
  'request.expect.nonEmptyString', 'request.expect.maxChars', 'request.expect.number', 'request.expect.integer', 'request.expect.range',
  'request.expect.boolean', 'request.expect.content', 'request.expect.contentPart', 'request.expect.string', 'request.expect.messageList',
  'request.expect.aMessage', 'request.expect.object', 'request.expect.oneOf', 'request.expect.array', 'request.expect.stop',
  'request.expect.anInput', 'request.expect.maxInputs', 'request.expect.inputList', 'request.expect.stringOrArray', 'request.expect.either',
  'request.expect.modelName', 'request.expect.speechText', 'request.expect.emptyText', 'request.expect.tooLong', 'request.expect.voiceName',
  'request.expect.notOneOf', 'request.expect.numberFrom',
  // what a provider refuses before calling anyone (src/engine/providers/provider-sayings.ts)
  'provider.otherEndpointModel', 'provider.simulator.voice', 'provider.simulator.format',
  'provider.simulator.invalidValue', 'provider.simulator.missing', 'provider.simulator.emptyArray', 'provider.simulator.namePattern',
  'provider.simulator.toolChoiceWithoutTools', 'provider.simulator.toolChoiceUnknown', 'provider.simulator.logitBiasKey',
  'provider.simulator.logitBiasValue', 'provider.simulator.topLogprobs', 'provider.simulator.customTool',
  'provider.simulator.streamOptions', 'provider.simulator.jsonWord',
  'provider.edge.voice', 'provider.edge.format', 'provider.espeak.voice', 'provider.espeak.format',
] as const;

export type TraceSayingId = (typeof TRACE_SAYINGS)[number];

export type TraceSayingValue = string | number | null | TraceSaying | readonly (string | TraceSaying)[];

export interface TraceSaying {
  id: TraceSayingId;
  vars?: Record<string, TraceSayingValue>;
}

export const isTraceSaying = (v: unknown): v is TraceSaying =>
  typeof v === 'object' && v !== null && (TRACE_SAYINGS as readonly string[]).includes((v as { id?: unknown }).id as string);
