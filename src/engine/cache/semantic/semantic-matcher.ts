// The semantic cache matcher that does not lie. A hit needs: the same context key (everything but the
// last user message's wording), similarity at or above the rule's threshold and the entry's own
// (tightened) threshold, no false-hit mark for this (query, entry) pair, and — unless turned off —
// no guard refusing (negation, numbers, quoted strings, entities, tense). Every miss says why.
import { createHash } from 'node:crypto';
import type { GuardRefusal, SemanticLookupResult, SemanticMissReason } from '../../../shared/semantic.ts';
import type { Embedder, SparseVector } from './embedder.ts';
import { checkGuards, extractSignals, type TextSignals } from './semantic-guards.ts';
import type { SemanticQuery } from './semantic-context-key.ts';
import { normalizeText } from './text-normalizer.ts';
import { VectorIndex } from './vector-index.ts';

export interface SemanticPolicy {
  /** Similarity a candidate must reach, (0, 1]. */
  threshold: number;
  /** Refuse hits that trip a guard. */
  guards: boolean;
}

export interface StoredSemanticEntry {
  entryKey: string;
  contextKey: string;
  text: string;
  vector: SparseVector;
  /** Tightened threshold after a false-hit mark; null: the rule's. */
  threshold: number | null;
  createdAt: number;
}

export interface FalseHitMark {
  entryKey: string;
  queryHash: string;
  queryText: string;
  score: number;
  markedAt: number;
}

/** Where the matcher persists what it learns (SemanticRepository, or a batching wrapper around it). */
export interface SemanticPersistence {
  save(embedderId: string, entry: StoredSemanticEntry): void;
  deleteByEntryKeys(entryKeys: readonly string[]): void;
  saveFalseHit(mark: FalseHitMark, newThreshold: number): void;
}

export interface SemanticMatcherOptions {
  embedder: Embedder;
  /** Wall-clock milliseconds (for created/marked timestamps). */
  now: () => number;
  persistence?: SemanticPersistence;
  /** Margin added to a falsely hit score to tighten the entry's threshold; default 0.02. */
  falseHitMargin?: number;
  /** Candidates examined per lookup, best first; default 8. */
  maxCandidates?: number;
  /**
   * Also look this far below the threshold so a miss can report how close it came ('below-threshold'
   * with bestScore); default 0: the search stays as narrow, and as fast, as the threshold allows.
   */
  nearMissMargin?: number;
  /**
   * When nothing reaches the threshold, look once more this far below it for the closest entry, so the
   * miss can say why it is no match: a guard refuses it ("Is Ruby not a compiled language?" against
   * "Is Ruby a compiled language?" scores 0.82: the word the negation guard reads is what sets them
   * apart), or how close it came. Without it such a miss read "no similar question cached",
   * and a person could not tell a refused near-duplicate from an empty cache. Default 0 (off): the second
   * search at 0.2 took a miss's lookup p99 at 100,000 entries in one context from 0.41 to 3.05 ms of event
   * loop (bench:semantic), on every miss, for a trace; a miss says the threshold it did not reach instead.
   */
  explainMargin?: number;
}

interface EntryRecord { contextKey: string; text: string; signals: TextSignals; threshold: number | null }

export function queryHash(text: string): string {
  return createHash('sha256').update(normalizeText(text)).digest('hex').slice(0, 32);
}

export class SemanticMatcher {
  #embedder: Embedder;
  #now: () => number;
  #persist: SemanticPersistence | null;
  #margin: number;
  #maxCandidates: number;
  #nearMiss: number;
  #explain: number;
  #index = new VectorIndex();
  #entries = new Map<string, EntryRecord>();
  #falseHits = new Set<string>();

  constructor(opts: SemanticMatcherOptions) {
    if (!opts || typeof opts.embedder?.embed !== 'function') throw new TypeError('SemanticMatcher: opts.embedder must be an Embedder.');
    if (typeof opts.now !== 'function') throw new TypeError('SemanticMatcher: opts.now must be a function returning epoch milliseconds.');
    const margin = opts.falseHitMargin ?? 0.02;
    if (!(margin > 0 && margin <= 0.5)) throw new RangeError(`SemanticMatcher: falseHitMargin must be in (0, 0.5], got ${margin}.`);
    const max = opts.maxCandidates ?? 8;
    if (!Number.isInteger(max) || max < 1 || max > 100) throw new RangeError(`SemanticMatcher: maxCandidates must be an integer in [1, 100], got ${max}.`);
    this.#embedder = opts.embedder;
    this.#now = opts.now;
    this.#persist = opts.persistence ?? null;
    this.#margin = margin;
    this.#maxCandidates = max;
    const near = opts.nearMissMargin ?? 0;
    if (!(near >= 0 && near < 0.5)) throw new RangeError(`SemanticMatcher: nearMissMargin must be in [0, 0.5), got ${near}.`);
    this.#nearMiss = near;
    const explain = opts.explainMargin ?? 0;
    if (!(explain >= 0 && explain < 0.5)) throw new RangeError(`SemanticMatcher: explainMargin must be in [0, 0.5), got ${explain}.`);
    this.#explain = explain;
  }

  get embedderId(): string { return this.#embedder.id; }
  get embedderLabel(): string { return this.#embedder.label; }
  get size(): number { return this.#entries.size; }

  /** The entry's tightened threshold, or null when it uses the rule's. */
  entryThreshold(entryKey: string): number | null { return this.#entries.get(entryKey)?.threshold ?? null; }

  /** Rebuilds memory from persisted entries and marks (load them with this matcher's embedderId). */
  restore(entries: readonly StoredSemanticEntry[], marks: readonly FalseHitMark[]): void {
    for (const e of entries) this.#put(e.entryKey, e.contextKey, e.text, e.vector, e.threshold);
    for (const m of marks) this.#falseHits.add(`${m.entryKey}\u0000${m.queryHash}`);
  }

  /** Indexes a cache entry that was just stored under `entryKey` for this query. */
  async remember(entryKey: string, query: SemanticQuery): Promise<void> {
    const [vector] = await this.#embedder.embed([query.text]);
    this.#put(entryKey, query.contextKey, query.text, vector, null);
    this.#persist?.save(this.#embedder.id, {
      entryKey, contextKey: query.contextKey, text: query.text, vector, threshold: null, createdAt: this.#now(),
    });
  }

  /** Forgets entries (they were evicted or cleared from the cache), with their false-hit marks. */
  forget(entryKeys: readonly string[]): number {
    let n = 0;
    const gone = new Set<string>();
    for (const key of entryKeys) {
      if (this.#entries.delete(key)) n++;
      this.#index.remove(key);
      gone.add(key);
    }
    for (const mark of this.#falseHits) if (gone.has(mark.slice(0, mark.indexOf('\u0000')))) this.#falseHits.delete(mark);
    if (entryKeys.length) this.#persist?.deleteByEntryKeys(entryKeys);
    return n;
  }

  /** Forgets every entry and mark in memory (the whole cache was cleared; the caller clears what is persisted). */
  clear(): void {
    this.#index.clear();
    this.#entries.clear();
    this.#falseHits.clear();
  }

  /** The indexed question text of an entry. */
  entryText(entryKey: string): string | null { return this.#entries.get(entryKey)?.text ?? null; }

  async lookup(query: SemanticQuery, policy: SemanticPolicy): Promise<SemanticLookupResult> {
    if (!(policy.threshold > 0 && policy.threshold <= 1)) throw new RangeError(`SemanticMatcher.lookup: threshold must be in (0, 1], got ${policy.threshold}.`);
    if (this.#index.partitionSize(query.contextKey) === 0) return miss('no-candidates', null, null, null);
    const [vector] = await this.#embedder.embed([query.text]);
    const floor = Math.max(0.01, policy.threshold - this.#nearMiss);
    const candidates = this.#index.search(query.contextKey, vector, { minScore: floor, limit: this.#maxCandidates });
    const qHash = queryHash(query.text);
    let signals: TextSignals | null = null;
    let firstRefusal: { reason: SemanticMissReason; entryKey: string; score: number; refusal: GuardRefusal | null } | null = null;
    for (const c of candidates) {
      const entry = this.#entries.get(c.id)!;
      if (c.score < policy.threshold) continue;
      const threshold = Math.max(policy.threshold, entry.threshold ?? 0);
      let refusal: GuardRefusal | null = null;
      let reason: SemanticMissReason | null = null;
      if (this.#falseHits.has(`${c.id}\u0000${qHash}`)) reason = 'marked-false';
      else if (c.score < threshold) reason = 'below-threshold';
      else if (policy.guards) {
        signals ??= extractSignals(query.text);
        refusal = checkGuards(query.text, entry.text, signals, entry.signals);
        if (refusal) reason = 'guard';
      }
      if (reason === null) return { outcome: 'hit', entryKey: c.id, score: c.score, threshold };
      firstRefusal ??= { reason, entryKey: c.id, score: c.score, refusal };
    }
    if (firstRefusal) return miss(firstRefusal.reason, firstRefusal.score, firstRefusal.entryKey, firstRefusal.refusal);
    // Nothing reached the threshold. Name what sets the closest entry apart: a guard refuses it at any
    // threshold, so lowering the threshold would not make it a hit; else how close it came.
    const closest = candidates[0] ?? (this.#explain > this.#nearMiss
      ? this.#index.search(query.contextKey, vector, { minScore: Math.max(0.01, policy.threshold - this.#explain), limit: 1 })[0]
      : undefined);
    if (!closest) return miss('no-candidates', null, null, null);
    const entry = this.#entries.get(closest.id)!;
    const refusal = policy.guards ? checkGuards(query.text, entry.text, signals ?? extractSignals(query.text), entry.signals) : null;
    return refusal ? miss('guard', closest.score, closest.id, refusal) : miss('below-threshold', closest.score, closest.id, null);
  }

  /**
   * A person says this hit was wrong: the (query, entry) pair never matches again, and the entry's
   * threshold tightens to max(current, score + margin) (above 1: the entry only serves exact hits).
   */
  markFalseHit(mark: { queryText: string; entryKey: string; score: number }): { threshold: number } {
    const entry = this.#entries.get(mark.entryKey);
    if (!entry) throw new RangeError(`SemanticMatcher.markFalseHit: no semantic entry '${mark.entryKey}'.`);
    if (!(mark.score >= 0 && mark.score <= 1.0001)) throw new RangeError(`SemanticMatcher.markFalseHit: score must be in [0, 1], got ${mark.score}.`);
    const hash = queryHash(mark.queryText);
    const threshold = Math.max(entry.threshold ?? 0, mark.score + this.#margin);
    entry.threshold = threshold;
    this.#falseHits.add(`${mark.entryKey}\u0000${hash}`);
    this.#persist?.saveFalseHit({ entryKey: mark.entryKey, queryHash: hash, queryText: mark.queryText, score: mark.score, markedAt: this.#now() }, threshold);
    return { threshold };
  }

  #put(entryKey: string, contextKey: string, text: string, vector: SparseVector, threshold: number | null): void {
    this.#index.add(contextKey, entryKey, vector);
    this.#entries.set(entryKey, { contextKey, text, signals: extractSignals(text), threshold });
  }
}

function miss(reason: SemanticMissReason, bestScore: number | null, entryKey: string | null, refusal: GuardRefusal | null): SemanticLookupResult {
  return { outcome: 'miss', reason, bestScore, entryKey, refusal };
}
