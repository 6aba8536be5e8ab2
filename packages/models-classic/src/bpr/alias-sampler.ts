import type { Rng } from '@musicrec/core';

/**
 * Draws indices from a fixed discrete distribution in O(1) per draw (Walker's alias method,
 * Vose's construction). BPR uses it for popularity-weighted negatives: a binary search over a
 * cumulative table would cost log(nItems) per sample in the hot loop.
 */
export class AliasSampler {
  private constructor(
    /** Probability of keeping column k rather than jumping to alias[k]. */
    readonly keep: Float64Array,
    readonly alias: Int32Array,
  ) {}

  get size(): number {
    return this.keep.length;
  }

  /** Index k is drawn with probability weights[k] / Σ weights. Weights must be finite and >= 0. */
  static fromWeights(weights: ArrayLike<number>): AliasSampler {
    const n = weights.length;
    let total = 0;
    for (let k = 0; k < n; k++) {
      const w = weights[k];
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`AliasSampler: weight ${k} is ${w}, must be finite and >= 0`);
      total += w;
    }
    if (!(total > 0)) throw new RangeError(`AliasSampler: weights sum to ${total}, need a positive total`);
    const keep = new Float64Array(n);
    const alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let nSmall = 0;
    let nLarge = 0;
    for (let k = 0; k < n; k++) {
      scaled[k] = (weights[k] * n) / total;
      if (scaled[k] < 1) small[nSmall++] = k;
      else large[nLarge++] = k;
    }
    while (nSmall > 0 && nLarge > 0) {
      const s = small[--nSmall];
      const l = large[--nLarge];
      keep[s] = scaled[s];
      alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) small[nSmall++] = l;
      else large[nLarge++] = l;
    }
    // what is left is 1 up to rounding
    while (nLarge > 0) {
      const l = large[--nLarge];
      keep[l] = 1;
      alias[l] = l;
    }
    while (nSmall > 0) {
      const s = small[--nSmall];
      keep[s] = 1;
      alias[s] = s;
    }
    return new AliasSampler(keep, alias);
  }

  sample(rng: Rng): number {
    const k = rng.int(this.keep.length);
    return rng.next() < this.keep[k] ? k : this.alias[k];
  }

  /** Exact probability of drawing index k (for tests and diagnostics). */
  probability(k: number): number {
    const n = this.keep.length;
    let p = this.keep[k] / n;
    for (let c = 0; c < n; c++) if (c !== k && this.alias[c] === k) p += (1 - this.keep[c]) / n;
    return p;
  }
}
