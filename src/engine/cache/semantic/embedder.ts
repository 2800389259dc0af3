// What the semantic matcher embeds texts with: the local n-gram embedder, or an embeddings target
// reached through Sluice itself (an injected `embed(texts)` function). Vectors are unit length and
// kept sparse (index-ascending), so hashed n-gram vectors cost memory only for their non-zero features.

export interface SparseVector {
  readonly dims: number;
  /** Ascending, distinct. */
  readonly indices: Uint32Array;
  readonly values: Float32Array;
}

export interface Embedder {
  /** Stable id: vectors of different embedders are never compared. */
  readonly id: string;
  /** Shown in the panel, e.g. "Local near-duplicate matcher (character n-grams, no model)". */
  readonly label: string;
  embed(texts: readonly string[]): Promise<SparseVector[]>;
}

/** Unit-length sparse vector from a dense one (zeros dropped). A zero vector stays empty. */
export function fromDense(dense: ArrayLike<number>): SparseVector {
  let sq = 0;
  let nnz = 0;
  for (let i = 0; i < dense.length; i++) {
    const v = dense[i];
    if (!Number.isFinite(v)) throw new TypeError(`Embedding component ${i} is not a finite number.`);
    if (v !== 0) { nnz++; sq += v * v; }
  }
  const norm = Math.sqrt(sq) || 1;
  const indices = new Uint32Array(nnz);
  const values = new Float32Array(nnz);
  for (let i = 0, j = 0; i < dense.length; i++) {
    if (dense[i] !== 0) { indices[j] = i; values[j] = dense[i] / norm; j++; }
  }
  return { dims: dense.length, indices, values };
}

/** Cosine of two unit-length sparse vectors (merge over the ascending indices). */
export function cosine(a: SparseVector, b: SparseVector): number {
  if (a.dims !== b.dims) return 0;
  let i = 0, j = 0, sum = 0;
  const ai = a.indices, bi = b.indices;
  while (i < ai.length && j < bi.length) {
    if (ai[i] === bi[j]) sum += a.values[i++] * b.values[j++];
    else if (ai[i] < bi[j]) i++;
    else j++;
  }
  return sum;
}

export interface FunctionEmbedderOptions {
  id: string;
  label: string;
  /** Usually a call to an embeddings target through Sluice's own pipeline. */
  embed: (texts: string[]) => Promise<number[][]>;
}

/** Wraps an `embed(texts) => number[][]` function (an embeddings target) as an Embedder. */
export function functionEmbedder(opts: FunctionEmbedderOptions): Embedder {
  if (!opts || typeof opts.embed !== 'function') throw new TypeError('functionEmbedder: opts.embed must be a function.');
  if (typeof opts.id !== 'string' || opts.id === '') throw new TypeError('functionEmbedder: opts.id must be a non-empty string.');
  const embed = opts.embed;
  return {
    id: opts.id,
    label: opts.label,
    async embed(texts) {
      if (texts.length === 0) return [];
      const out = await embed([...texts]);
      if (!Array.isArray(out) || out.length !== texts.length) {
        throw new TypeError(`Embedder '${opts.id}' returned ${Array.isArray(out) ? out.length : 'no'} vectors for ${texts.length} texts.`);
      }
      const dims = out[0]?.length ?? 0;
      return out.map((v, k) => {
        if (!Array.isArray(v) || v.length !== dims || dims === 0) throw new TypeError(`Embedder '${opts.id}' vector ${k} has ${v?.length} dimensions, expected ${dims}.`);
        return fromDense(v);
      });
    },
  };
}
