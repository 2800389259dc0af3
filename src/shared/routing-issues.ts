// Why a routing document (a save, an import, a rule or budget form) is refused, as codes: the engine
// sends each problem with its path, its English words, and one of these codes with the values the
// words name, so the panel says it in the reader's language without reading the English.

export const ROUTING_ISSUE_CODES = [
  'required', 'idChars', 'providerId', 'duplicate', 'unknownProvider', 'unknownAlias', 'unknownClass', 'unknownKey',
  'object', 'list', 'listOf', 'oneOf', 'boolean', 'globs', 'tags', 'modelName', 'text',
  'integer', 'number', 'numberRange', 'positiveInteger', 'positiveNumber', 'integerRange', 'fraction', 'similarity', 'timeout', 'price',
  'minAboveMax', 'maxDelayBelowBase', 'noTargets', 'targetsOrAlias', 'weightsList', 'weightCount', 'weightPositive',
] as const;

export type RoutingIssueCode = (typeof ROUTING_ISSUE_CODES)[number];

export const isRoutingIssueCode = (v: unknown): v is RoutingIssueCode => (ROUTING_ISSUE_CODES as readonly unknown[]).includes(v);
