// Exact cosine search over unit-length sparse vectors, partitioned by context key.
//
// Why an inverted index with exact prefix filtering rather than a brute-force scan: a candidate must
// share the context key, but one app with one system prompt puts its whole cache in one partition, so
// the worst case is every entry in one partition. Measured by bench/semantic.ts on this machine
// (2 shared cores, load average ≈ 9, Node 24), 100,000 local n-gram vectors in ONE partition,
// minScore 0.85: brute-force scan p50 253 ms / p99 549 ms; this index p50 0.30 ms, p99 1.3 ms of CPU
// time (wall-clock p99 12 ms, which is waiting for a core on the loaded machine) — ~840x faster at
// p50, with answers identical to the scan. Spread over 1,000 contexts: index p99 0.07 ms.
// The filter is exact, not approximate: features are visited from the most common down, and the
// most common ones whose combined weight ‖q_skip‖ stays below the threshold are skipped, since an
// entry sharing none of the remaining features scores at most ‖q_skip‖ < threshold (Cauchy–Schwarz).
// Partial scores from the remaining (rarer) features' posting lists, plus ‖q_skip‖, bound each
// candidate; only those that can still reach the threshold are scored exactly.
// Dense vectors (an upstream embeddings model) have no rare features: their partitions skip the
// posting lists and are scanned contiguously, which is fast while partitions stay in the thousands.
import type { SparseVector } from './embedder.ts';

export interface VectorIndexOptions {
  /** Vectors with more non-zeros than this are dense: their partition is scanned. Default 512. */
  maxSparseNonZeros?: number;
}

export interface SearchOptions {
  /** Only results scoring at least this (0 < minScore ≤ 1). */
  minScore: number;
  /** At most this many results, best first. Default 8. */
  limit?: number;
}

export interface SearchHit { id: string; score: number }

class Growable<T extends Uint32Array | Float32Array | Int32Array> {
  data: T;
  length = 0;
  #make: (n: number) => T;
  constructor(make: (n: number) => T, initial = 16) { this.#make = make; this.data = make(initial); }
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const next = this.#make(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  push(v: number): void { this.reserve(1); this.data[this.length++] = v; }
}

class Partition {
  ids: string[] = [];
  alive = new Growable((n) => new Uint32Array(n));
  start = new Growable((n) => new Uint32Array(n));
  count = new Growable((n) => new Uint32Array(n));
  indices = new Growable((n) => new Uint32Array(n), 256);
  values = new Growable((n) => new Float32Array(n), 256);
  /** Per feature: [slot, weight, slot, weight, …] of the vectors holding it (plain arrays: small and cheap to grow). */
  postings = new Map<number, number[]>();
  seen = new Growable((n) => new Uint32Array(n));
  acc = new Growable((n) => new Float32Array(n));
  /** Scratch list of candidate slots, reused by every search. */
  touched = new Growable((n) => new Uint32Array(n));
  epoch = 0;
  dense = false;
  dims = -1;
  live = 0;
}

export class VectorIndex {
  #parts = new Map<string, Partition>();
  #where = new Map<string, { part: string; slot: number }>();
  #maxSparse: number;

  constructor(opts: VectorIndexOptions = {}) {
    const max = opts.maxSparseNonZeros ?? 512;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`VectorIndex: maxSparseNonZeros must be a positive integer, got ${max}.`);
    this.#maxSparse = max;
  }

  get size(): number { return this.#where.size; }
  get partitionCount(): number { return this.#parts.size; }
  has(id: string): boolean { return this.#where.has(id); }
  partitionSize(contextKey: string): number { return this.#parts.get(contextKey)?.live ?? 0; }

  /** Adds or replaces the vector stored under `id`. */
  add(contextKey: string, id: string, v: SparseVector): void {
    if (v.indices.length !== v.values.length) throw new TypeError('VectorIndex.add: indices and values differ in length.');
    const existing = this.#parts.get(contextKey);
    if (existing && existing.dims !== v.dims) throw new RangeError(`VectorIndex.add: vector has ${v.dims} dimensions, partition holds ${existing.dims}.`);
    this.remove(id);
    let p = this.#parts.get(contextKey);
    if (!p) { p = new Partition(); p.dims = v.dims; this.#parts.set(contextKey, p); }
    const slot = p.ids.length;
    p.ids.push(id);
    p.alive.push(1);
    p.seen.push(0);
    p.acc.push(0);
    p.start.push(p.indices.length);
    p.count.push(v.indices.length);
    p.indices.reserve(v.indices.length);
    p.values.reserve(v.values.length);
    p.indices.data.set(v.indices, p.indices.length);
    p.values.data.set(v.values, p.values.length);
    p.indices.length += v.indices.length;
    p.values.length += v.values.length;
    if (v.indices.length > this.#maxSparse && !p.dense) { p.dense = true; p.postings.clear(); }
    if (!p.dense) {
      for (let k = 0; k < v.indices.length; k++) {
        const list = p.postings.get(v.indices[k]);
        if (list) list.push(slot, v.values[k]);
        else p.postings.set(v.indices[k], [slot, v.values[k]]);
      }
    }
    p.live++;
    this.#where.set(id, { part: contextKey, slot });
  }

  remove(id: string): boolean {
    const at = this.#where.get(id);
    if (!at) return false;
    this.#where.delete(id);
    const p = this.#parts.get(at.part)!;
    p.alive.data[at.slot] = 0;
    p.live--;
    if (p.live === 0) this.#parts.delete(at.part);
    else if (p.ids.length > 1024 && p.live * 2 < p.ids.length) this.#rebuild(at.part, p);
    return true;
  }

  /** Drops every vector of one context (e.g. a target's cache was cleared). */
  removePartition(contextKey: string): number {
    const p = this.#parts.get(contextKey);
    if (!p) return 0;
    for (let s = 0; s < p.ids.length; s++) if (p.alive.data[s]) this.#where.delete(p.ids[s]);
    this.#parts.delete(contextKey);
    return p.live;
  }

  clear(): void { this.#parts.clear(); this.#where.clear(); }

  search(contextKey: string, q: SparseVector, opts: SearchOptions): SearchHit[] {
    const { minScore } = opts;
    const limit = opts.limit ?? 8;
    if (!(minScore > 0 && minScore <= 1)) throw new RangeError(`VectorIndex.search: minScore must be in (0, 1], got ${minScore}.`);
    const p = this.#parts.get(contextKey);
    if (!p || p.dims !== q.dims || q.indices.length === 0) return [];
    if (p.dense) return this.scan(contextKey, q, opts);
    const hits: SearchHit[] = [];
    const n = this.#candidates(p, q, minScore);
    if (n < 0) return this.scan(contextKey, q, opts);
    const touched = p.touched.data;
    for (let k = 0; k < n; k++) {
      const s = touched[k];
      const score = this.#dot(p, s, q);
      if (score >= minScore) hits.push({ id: p.ids[s], score });
    }
    hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return hits.length > limit ? hits.slice(0, limit) : hits;
  }

  /** Brute-force search over the whole partition: the baseline the benchmark compares against. */
  scan(contextKey: string, q: SparseVector, opts: SearchOptions): SearchHit[] {
    const p = this.#parts.get(contextKey);
    if (!p || p.dims !== q.dims) return [];
    const hits: SearchHit[] = [];
    for (let s = 0; s < p.ids.length; s++) {
      if (!p.alive.data[s]) continue;
      const score = this.#dot(p, s, q);
      if (score >= opts.minScore) hits.push({ id: p.ids[s], score });
    }
    hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return hits.slice(0, opts.limit ?? 8);
  }

  /**
   * Collects into p.touched the alive slots that can still reach minScore and returns how many;
   * -1 means "scan all" (the posting lists would cost more than a scan). Scores from the kept (rarer)
   * features are accumulated from the posting lists; a slot whose partial score plus the most the
   * skipped features could add (‖q_skip‖) stays below minScore is dropped without being scored.
   * Buffers are reused across searches so a lookup leaves little garbage behind.
   */
  #candidates(p: Partition, q: SparseVector, minScore: number): number {
    const lists: number[][] = [];
    const weights: number[] = [];
    for (let k = 0; k < q.indices.length; k++) {
      const list = p.postings.get(q.indices[k]);
      if (list) { lists.push(list); weights.push(q.values[k]); }
    }
    const order = lists.map((_, k) => k).sort((a, b) => lists[b].length - lists[a].length);
    // Skip the most common features while their combined norm stays below minScore.
    let skippedSq = 0;
    let first = 0;
    const limitSq = minScore * minScore * (1 - 1e-6);
    while (first < order.length && skippedSq + weights[order[first]] ** 2 < limitSq) {
      skippedSq += weights[order[first]] ** 2;
      first++;
    }
    let total = 0;
    for (let k = first; k < order.length; k++) total += lists[order[k]].length >> 1;
    if (total >= p.ids.length * 4) return -1;
    if (++p.epoch === 0xffffffff) { p.seen.data.fill(0); p.epoch = 1; }
    const epoch = p.epoch;
    const seen = p.seen.data;
    const alive = p.alive.data;
    const acc = p.acc.data;
    p.touched.length = 0;
    p.touched.reserve(Math.min(total, p.ids.length));
    const touched = p.touched.data;
    let n = 0;
    for (let k = first; k < order.length; k++) {
      const list = lists[order[k]];
      const w = weights[order[k]];
      for (let j = 0; j < list.length; j += 2) {
        const s = list[j];
        if (seen[s] !== epoch) {
          if (!alive[s]) continue;
          seen[s] = epoch;
          acc[s] = 0;
          touched[n++] = s;
        }
        acc[s] += w * list[j + 1];
      }
    }
    // Float32 sums can fall a hair short of the exact value: keep a margin, the exact score decides.
    const rest = Math.sqrt(skippedSq);
    const need = minScore - 1e-4;
    let kept = 0;
    for (let k = 0; k < n; k++) if (acc[touched[k]] + rest >= need) touched[kept++] = touched[k];
    return kept;
  }

  #dot(p: Partition, slot: number, q: SparseVector): number {
    const idx = p.indices.data;
    const val = p.values.data;
    let i = p.start.data[slot];
    const end = i + p.count.data[slot];
    const qi = q.indices, qv = q.values;
    if (p.count.data[slot] === q.dims && qi.length === q.dims) {
      let sum = 0;
      for (let k = 0; i < end; i++, k++) sum += val[i] * qv[k];
      return sum;
    }
    let j = 0, sum = 0;
    while (i < end && j < qi.length) {
      const a = idx[i], b = qi[j];
      if (a === b) { sum += val[i++] * qv[j++]; }
      else if (a < b) i++;
      else j++;
    }
    return sum;
  }

  #rebuild(key: string, p: Partition): void {
    const keep: Array<{ id: string; v: SparseVector }> = [];
    for (let s = 0; s < p.ids.length; s++) {
      if (!p.alive.data[s]) continue;
      const a = p.start.data[s], n = p.count.data[s];
      keep.push({ id: p.ids[s], v: { dims: p.dims, indices: p.indices.data.slice(a, a + n), values: p.values.data.slice(a, a + n) } });
    }
    this.#parts.delete(key);
    for (const { id } of keep) this.#where.delete(id);
    for (const { id, v } of keep) this.add(key, id, v);
  }
}
