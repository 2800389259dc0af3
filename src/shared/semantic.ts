// Semantic cache: per-rule configuration, lookup results and replay-lab reports. Plain data only.
import type { Target } from './targets.ts';

/** Where vectors come from: the local near-duplicate matcher (no model), or an embeddings target reached through Sluice. */
export type SemanticEmbedderConfig =
  | { kind: 'local-ngram' }
  | { kind: 'target'; target: Target };

/** Per routing rule. Off by default. */
export interface SemanticConfig {
  enabled: boolean;
  /** Cosine similarity a candidate must reach; default 0.95. */
  threshold: number;
  embedder: SemanticEmbedderConfig;
  /** Refuse hits whose texts differ in negation, numbers, entities or quoted strings; default true. */
  guards: boolean;
  /** After a hit is marked false, the entry's threshold becomes max(current, score + margin); default 0.02. */
  falseHitMargin: number;
}

export type SemanticGuardName = 'negation' | 'number' | 'quoted' | 'entity';

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
