// A request trace step's words as data: `message` keeps the engine's English (the request log, the
// admin API), `say` names the sentence and its values so the panel can say it in the reader's
// language. Values that are someone else's words (an upstream's error, a rule's name) stay as they are.

export const TRACE_SAYINGS = [
  'route.resolved', 'route.heldRefusal',
  'cache.bypass.noStore', 'cache.bypass.off', 'cache.bypass.nondeterministic', 'cache.stale',
  'cache.notStored.otherTarget', 'cache.notStored.stream', 'cache.stored',
  'coalesce.shared',
  'retry.skipped', 'retry.triedAnyway', 'retry.answered', 'retry.failed', 'retry.retryAfter', 'retry.allFailed',
  'scheduler.waited', 'batch.sent', 'speech.sentences', 'record.estimated',
  'semantic.off', 'semantic.notApplicable', 'semantic.lookupFailed', 'semantic.hit', 'semantic.gone',
  'semantic.miss.guard', 'semantic.miss.markedFalse', 'semantic.miss.belowThreshold', 'semantic.miss.none',
] as const;

export type TraceSayingId = (typeof TRACE_SAYINGS)[number];

export interface TraceSaying {
  id: TraceSayingId;
  vars?: Record<string, string | number | null>;
}

export const isTraceSaying = (v: unknown): v is TraceSaying =>
  typeof v === 'object' && v !== null && (TRACE_SAYINGS as readonly string[]).includes((v as { id?: unknown }).id as string);
