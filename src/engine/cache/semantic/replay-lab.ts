// The replay lab: replays a recorded request log against candidate cache policies without calling
// any upstream, so a person picks a semantic threshold from evidence. Each policy starts from an
// empty cache; a miss stores the answer that was actually given, a hit is scored against the answer
// the upstream actually gave that time (a differing answer is a hit that would have lied, or a
// non-deterministic model).
import type { ReplayPolicy, ReplayRecord, ReplayReport, SemanticGuardName } from '../../../shared/semantic.ts';
import type { Embedder, SparseVector } from './embedder.ts';
import { checkGuards, extractSignals, type TextSignals } from './semantic-guards.ts';
import { VectorIndex } from './vector-index.ts';
import { roundUsd } from '../../money.ts';

export interface ReplayOptions {
  /** Must be local (the lab calls no upstream): the NgramEmbedder, or vectors computed beforehand. */
  embedder: Embedder;
  /** Candidates examined per request; default 8, as the live matcher. */
  maxCandidates?: number;
}

/** Exact only, then semantic at 0.85, 0.86 … 0.99, each with and without guards. */
export function defaultReplayPolicies(): ReplayPolicy[] {
  const out: ReplayPolicy[] = [{ kind: 'exact' }];
  for (let t = 85; t <= 99; t++) {
    out.push({ kind: 'semantic', threshold: t / 100, guards: true }, { kind: 'semantic', threshold: t / 100, guards: false });
  }
  return out;
}

function validate(log: readonly ReplayRecord[], policies: readonly ReplayPolicy[]): void {
  if (!Array.isArray(log)) throw new TypeError('replayLog: log must be an array of records.');
  log.forEach((r, i) => {
    if (typeof r?.text !== 'string' || typeof r.contextKey !== 'string' || typeof r.answer !== 'string') {
      throw new TypeError(`replayLog: record ${i} needs string text, contextKey and answer.`);
    }
    if (!(r.tokens >= 0) || !(r.costUsd >= 0)) throw new TypeError(`replayLog: record ${i} needs non-negative tokens and costUsd.`);
    if (r.repeats !== undefined && !(Number.isInteger(r.repeats) && r.repeats >= 1)) throw new TypeError(`replayLog: record ${i} needs repeats to be a positive integer.`);
  });
  for (const p of policies) {
    if (p.kind === 'semantic' && !(p.threshold > 0 && p.threshold <= 1)) throw new RangeError(`replayLog: semantic threshold must be in (0, 1], got ${p.threshold}.`);
    if (p.kind !== 'exact' && p.kind !== 'semantic') throw new TypeError(`replayLog: unknown policy kind '${(p as { kind: string }).kind}'.`);
  }
}

/** One report per policy, in the order given. Texts are embedded once and shared by every policy. */
export async function replayLog(
  log: readonly ReplayRecord[],
  policies: readonly ReplayPolicy[] = defaultReplayPolicies(),
  opts: ReplayOptions,
): Promise<ReplayReport[]> {
  validate(log, policies);
  if (!opts || typeof opts.embedder?.embed !== 'function') throw new TypeError('replayLog: opts.embedder must be an Embedder.');
  const maxCandidates = opts.maxCandidates ?? 8;
  const needVectors = policies.some((p) => p.kind === 'semantic');
  const vectors = new Map<string, SparseVector>();
  const signals = new Map<string, TextSignals>();
  if (needVectors) {
    const unique = [...new Set(log.map((r) => r.text))];
    for (let i = 0; i < unique.length; i += 256) {
      const chunk = unique.slice(i, i + 256);
      const vs = await opts.embedder.embed(chunk);
      chunk.forEach((t, k) => vectors.set(t, vs[k]));
    }
  }
  const signalsOf = (t: string) => {
    let s = signals.get(t);
    if (!s) { s = extractSignals(t); signals.set(t, s); }
    return s;
  };
  return policies.map((policy) => replayOne(log, policy, vectors, signalsOf, maxCandidates));
}

function replayOne(
  log: readonly ReplayRecord[],
  policy: ReplayPolicy,
  vectors: Map<string, SparseVector>,
  signalsOf: (t: string) => TextSignals,
  maxCandidates: number,
): ReplayReport {
  const exact = new Map<string, string>();
  const stored: Array<{ text: string; answer: string }> = [];
  const index = new VectorIndex();
  const report: ReplayReport = {
    policy, requests: 0, hits: 0, exactHits: 0, semanticHits: 0, hitRate: 0, tokensSaved: 0, costSavedUsd: 0,
    differingAnswers: 0, guardRefusals: { negation: 0, number: 0, quoted: 0, entity: 0, tense: 0 },
  };
  const hit = (r: ReplayRecord, cachedAnswer: string) => {
    report.hits++;
    report.tokensSaved += r.tokens;
    report.costSavedUsd += r.costUsd;
    if (cachedAnswer !== r.answer) report.differingAnswers++;
  };
  for (const r of log) for (let n = r.repeats ?? 1; n > 0; n--) {
    report.requests++;
    const key = `${r.contextKey}\u0000${r.text}`;
    const cached = exact.get(key);
    if (cached !== undefined) { report.exactHits++; hit(r, cached); continue; }
    if (policy.kind === 'semantic') {
      const found = index.search(r.contextKey, vectors.get(r.text)!, { minScore: policy.threshold, limit: maxCandidates });
      let served: string | null = null;
      let refusedBy: SemanticGuardName | null = null;
      for (const c of found) {
        const entry = stored[Number(c.id)];
        const refusal = policy.guards ? checkGuards(r.text, entry.text, signalsOf(r.text), signalsOf(entry.text)) : null;
        if (refusal) { refusedBy ??= refusal.guard; continue; }
        served = entry.answer;
        break;
      }
      if (served !== null) { report.semanticHits++; hit(r, served); continue; }
      if (refusedBy) report.guardRefusals[refusedBy]++;
      index.add(r.contextKey, String(stored.length), vectors.get(r.text)!);
      stored.push({ text: r.text, answer: r.answer });
    }
    exact.set(key, r.answer);
  }
  report.hitRate = report.requests ? report.hits / report.requests : 0;
  report.costSavedUsd = roundUsd(report.costSavedUsd);
  return report;
}
