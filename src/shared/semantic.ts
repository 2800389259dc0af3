// Semantic cache: per-rule configuration, lookup results and replay-lab reports. Plain data only.
import type { Target } from './targets.ts';

/** Where vectors come from: the local near-duplicate matcher (no model), or an embeddings target reached through Sluice. */
export type SemanticEmbedderConfig =
  | { kind: 'local-ngram' }
  | { kind: 'target'; target: Target }
  /** A model name as a client would ask for it (alias, `provider/model` or plain name), routed by Sluice. */
  | { kind: 'model'; model: string };

/** Per routing rule. Off by default. */
export interface SemanticConfig {
  enabled: boolean;
  /** Cosine similarity a candidate must reach; default 0.95. */
  threshold: number;
  embedder: SemanticEmbedderConfig;
  /** Refuse hits whose texts differ in negation, numbers, entities, quoted strings or tense; default true. */
  guards: boolean;
  /** After a hit is marked false, the entry's threshold becomes max(current, score + margin); default 0.02. */
  falseHitMargin: number;
}

export type SemanticGuardName = 'negation' | 'number' | 'quoted' | 'entity' | 'tense';

export interface GuardRefusal {
  guard: SemanticGuardName;
  /** Signals (normalised) present in the query but not in the cached text, and the other way round. */
  onlyInQuery: string[];
  onlyInCached: string[];
}

export type SemanticMissReason = 'no-candidates' | 'below-threshold' | 'guard' | 'marked-false';

export type SemanticLookupResult =
  | { outcome: 'hit'; entryKey: string; score: number; threshold: number }
  | {
      outcome: 'miss';
      reason: SemanticMissReason;
      /** Best similarity seen among candidates in the same context (null when none). */
      bestScore: number | null;
      /** The candidate that came closest, when there was one. */
      entryKey: string | null;
      /** Set when reason is 'guard'. */
      refusal: GuardRefusal | null;
    };

/** One request of a recorded log, as the replay lab needs it. */
export interface ReplayRecord {
  /** Text of the last user message. */
  text: string;
  /** Hash of the canonical request without that text (same target, system prompt, earlier turns, params, tenant). */
  contextKey: string;
  /** Hash (or text) of the answer the upstream actually gave. */
  answer: string;
  /** Tokens the request cost (prompt + completion). */
  tokens: number;
  costUsd: number;
  /** This request sent this many times (default 1); the lab replays each one, one after another. */
  repeats?: number;
}

export type ReplayPolicy =
  | { kind: 'exact' }
  | { kind: 'semantic'; threshold: number; guards: boolean };

export interface ReplayReport {
  policy: ReplayPolicy;
  requests: number;
  hits: number;
  exactHits: number;
  semanticHits: number;
  hitRate: number;
  tokensSaved: number;
  costSavedUsd: number;
  /** Hits whose cached answer differs from what the upstream actually answered. */
  differingAnswers: number;
  /** Semantic candidates above the threshold that a guard refused, by guard. */
  guardRefusals: Record<SemanticGuardName, number>;
}

/** One semantic hit, shown side by side in the panel: what was asked and the cached question that answered it. */
export interface SemanticHitView {
  id: string;
  ts: number;
  requestId: string;
  /** The cache entry that answered. */
  entryKey: string;
  embedder: string;
  askedText: string;
  cachedText: string;
  score: number;
  /** The threshold the hit had to reach. */
  threshold: number;
  /** A person marked this hit as wrong. */
  markedFalse: boolean;
}

export interface SemanticHitsQuery {
  limit?: number;
}

export interface SemanticFalseHitResult {
  hit: SemanticHitView;
  /** The entry's threshold from now on (above 1: it only serves exact hits). */
  entryThreshold: number;
  /** Every hit of the pair now marked: this one and earlier hits of the same question on the same entry. */
  markedHitIds: string[];
}

export interface SemanticMatcherView {
  embedderId: string;
  /** E.g. "Local near-duplicate matcher (character n-grams, English and Chinese, no model)". */
  label: string;
  entries: number;
}

export interface SemanticStatusView {
  /** The global default (config.semantic), used when a routing rule says nothing. */
  defaults: SemanticConfig;
  matchers: SemanticMatcherView[];
  /** Semantic entries persisted (all embedders). */
  storedEntries: number;
  hitsRecorded: number;
  /** Requests recorded for the replay lab. */
  requestsRecorded: number;
}

export interface ReplayLabRequest {
  /** Policies to compare; default: exact only, then semantic 0.85–0.99 with and without guards. */
  policies?: ReplayPolicy[];
  /** Replay at most this many of the most recent recorded requests (oldest first); default 10,000. */
  limit?: number;
}

export interface ReplayLabResult {
  /** Recorded requests replayed. */
  requests: number;
  from: number | null;
  to: number | null;
  /** The replay uses the local matcher (no upstream is called). */
  embedder: string;
  reports: ReplayReport[];
}
