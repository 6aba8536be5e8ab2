import { ConfigError, DataError, Rng, resolveConfig } from '@musicrec/core';
import type { Interactions, Split } from '@musicrec/core';

/** Draws items a user has not interacted with. */
export interface NegativeSampler {
  readonly nItems: number;
  /** One negative item of user u (independent draws may repeat). */
  sample(u: number): number;
  /** `count` distinct negatives of user u written to out[offset, offset + count); returns out. */
  sampleDistinct(u: number, count: number, out: Int32Array, offset?: number): Int32Array;
}

export interface PopularitySamplerConfig {
  seed: number;
  /** Item weight is popularity^alpha: 1 is proportional, 0 is uniform, 0.75 the word2vec damping. */
  alpha: number;
}

export const popularitySamplerDefaults: Omit<PopularitySamplerConfig, 'seed'> = { alpha: 1 };

/** Rejections in a row before switching to exact sampling over the user's remaining items. */
const MAX_REJECTIONS = 64;

/**
 * Rejection sampler: draws from a fixed item distribution and rejects the user's
 * positives (binary search in each positives matrix's sorted row). Users with almost
 * every item positive fall back to an exact draw over what is left.
 */
class RejectionNegativeSampler implements NegativeSampler {
  readonly nItems: number;
  private readonly rng: Rng;
  /** Generation stamp per item, to keep one sampleDistinct call's picks distinct. */
  private readonly taken: Int32Array;
  private generation = 0;

  constructor(
    private readonly positives: readonly Interactions[],
    seed: number,
    /** Item weights (null = uniform), and their alias table when weighted. */
    private readonly weights: Float64Array | null,
    private readonly aliasProb: Float64Array | null,
    private readonly aliasIndex: Int32Array | null,
  ) {
    this.nItems = positives[0].nItems;
    this.rng = new Rng(seed);
    this.taken = new Int32Array(this.nItems);
  }

  private draw(): number {
    if (!this.aliasProb) return this.rng.int(this.nItems);
    const x = this.rng.next() * this.nItems;
    const j = Math.floor(x);
    return x - j < this.aliasProb[j] ? j : this.aliasIndex![j];
  }

  private isPositive(u: number, i: number): boolean {
    for (const p of this.positives) if (p.has(u, i)) return true;
    return false;
  }

  /** Negative and drawable (a zero-weight item can surface from alias rounding; never return it). */
  private isNegative(u: number, i: number): boolean {
    return (this.weights === null || this.weights[i] > 0) && !this.isPositive(u, i);
  }

  sample(u: number): number {
    this.checkUser(u);
    for (let r = 0; r < MAX_REJECTIONS; r++) {
      const i = this.draw();
      if (this.isNegative(u, i)) return i;
    }
    const out = new Int32Array(1);
    this.exactDistinct(u, 1, out, 0, ++this.generation, 0);
    return out[0];
  }

  sampleDistinct(u: number, count: number, out: Int32Array, offset = 0): Int32Array {
    this.checkUser(u);
    const generation = ++this.generation;
    let got = 0;
    let rejections = 0;
    while (got < count) {
      const i = this.draw();
      if (this.taken[i] === generation || !this.isNegative(u, i)) {
        if (++rejections === MAX_REJECTIONS) {
          this.exactDistinct(u, count - got, out, offset + got, generation, got);
          return out;
        }
        continue;
      }
      rejections = 0;
      this.taken[i] = generation;
      out[offset + got++] = i;
    }
    return out;
  }

  /** Weighted draws without replacement over the user's eligible items (the rare slow path). */
  private exactDistinct(
    u: number,
    count: number,
    out: Int32Array,
    offset: number,
    generation: number,
    /** Picks this call already made (for the error message). */
    already: number,
  ): void {
    const candidates: number[] = [];
    const weight: number[] = [];
    for (let i = 0; i < this.nItems; i++) {
      if (this.taken[i] === generation || !this.isNegative(u, i)) continue;
      candidates.push(i);
      weight.push(this.weights ? this.weights[i] : 1);
    }
    if (candidates.length < count) {
      throw new DataError(
        `user "${this.positives[0].userIds[u]}" has ${already + candidates.length} negative items, ${already + count} distinct ones were asked for`,
        { field: 'user' },
      );
    }
    let total = weight.reduce((a, b) => a + b, 0);
    for (let n = 0; n < count; n++) {
      let x = this.rng.next() * total;
      let j = -1;
      // ends on the last weighted candidate if rounding runs past the total
      for (let c = 0; c < candidates.length; c++) {
        if (weight[c] === 0) continue;
        j = c;
        x -= weight[c];
        if (x < 0) break;
      }
      out[offset + n] = candidates[j];
      this.taken[candidates[j]] = generation;
      total -= weight[j];
      weight[j] = 0;
    }
  }

  private checkUser(u: number): void {
    const nUsers = this.positives[0].nUsers;
    if (!(Number.isInteger(u) && u >= 0 && u < nUsers)) {
      throw new RangeError(`negative sampler: user index ${u} out of range [0, ${nUsers})`);
    }
  }
}

function asList(positives: Interactions | readonly Interactions[]): readonly Interactions[] {
  const list = Array.isArray(positives) ? positives : [positives as Interactions];
  if (list.length === 0) throw new ConfigError('negative sampler: at least one positives matrix is needed');
  for (const p of list) {
    if (p.nUsers !== list[0].nUsers || p.nItems !== list[0].nItems) {
      throw new ConfigError(
        `negative sampler: positives matrices differ in shape (${p.nUsers}×${p.nItems} vs ${list[0].nUsers}×${list[0].nItems})`,
      );
    }
  }
  return list;
}

/** Every non-positive item equally likely. `positives` may be several matrices (e.g. train and test). */
export function uniformNegativeSampler(positives: Interactions | readonly Interactions[], seed: number): NegativeSampler {
  return new RejectionNegativeSampler(asList(positives), seed, null, null, null);
}

/**
 * Non-positive items drawn ∝ popularity^alpha, popularity being the number of users per
 * item in the first positives matrix (the training data, so test items leak nothing).
 * Items nobody interacted with are never drawn when alpha > 0.
 */
export function popularityNegativeSampler(
  positives: Interactions | readonly Interactions[],
  options: Partial<PopularitySamplerConfig> & { seed: number },
): NegativeSampler {
  const { seed, alpha } = resolveConfig<PopularitySamplerConfig>(
    'popularityNegativeSampler',
    { seed: options.seed, ...popularitySamplerDefaults },
    options,
  );
  if (!(alpha >= 0 && Number.isFinite(alpha))) {
    throw new ConfigError(`popularityNegativeSampler: alpha must be a finite number ≥ 0, got ${alpha}`);
  }
  const list = asList(positives);
  const counts = list[0].itemCounts();
  const n = counts.length;
  const weights = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i] = Math.pow(counts[i], alpha); // 0^0 = 1
  if (!(total > 0)) throw new DataError('popularityNegativeSampler: no item has any interaction to weight by');
  const { prob, alias } = aliasTable(weights, total);
  return new RejectionNegativeSampler(list, seed, weights, prob, alias);
}

/** Vose's alias table: draw slot j uniformly, keep it with prob[j], else take alias[j]. */
function aliasTable(weights: Float64Array, total: number): { prob: Float64Array; alias: Int32Array } {
  const n = weights.length;
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let ns = 0;
  let nl = 0;
  for (let j = 0; j < n; j++) {
    prob[j] = (weights[j] * n) / total;
    alias[j] = j;
    if (prob[j] < 1) small[ns++] = j;
    else large[nl++] = j;
  }
  while (ns > 0 && nl > 0) {
    const s = small[--ns];
    const l = large[nl - 1];
    alias[s] = l;
    prob[l] -= 1 - prob[s];
    if (prob[l] < 1) {
      nl--;
      small[ns++] = l;
    }
  }
  while (nl > 0) prob[large[--nl]] = 1;
  // a leftover small slot is 1 up to rounding, unless its weight is 0 (never drawn then)
  while (ns > 0) {
    const s = small[--ns];
    if (weights[s] > 0) prob[s] = 1;
  }
  return { prob, alias };
}

export interface SampledCandidatesConfig {
  /** Negatives per held-out item (100 in the papers this protocol exists to compare with). */
  negatives: number;
  sampler: 'uniform' | 'popularity';
  /** Popularity exponent when sampler is "popularity". */
  alpha: number;
}

export const sampledCandidatesDefaults: SampledCandidatesConfig = { negatives: 100, sampler: 'uniform', alpha: 1 };

/**
 * Candidate lists for the `sampled-100` protocol: one row per test interaction, the held-out
 * item in column 0 followed by `negatives` distinct items the user has in none of train,
 * validation or test. Rank within a row; break score ties against column 0.
 */
export interface SampledCandidates {
  readonly protocol: 'sampled-100';
  readonly seed: number;
  /** Candidates per row: 1 + negatives. */
  readonly width: number;
  /** Row → user index. */
  readonly users: Int32Array;
  /** Row → held-out test item (also candidates[row · width]). */
  readonly positives: Int32Array;
  /** rows × width item indices. */
  readonly candidates: Int32Array;
}

export function sampled100Candidates(
  split: Split,
  seed: number,
  options: Partial<SampledCandidatesConfig> = {},
): SampledCandidates {
  const cfg = resolveConfig('sampled100Candidates', sampledCandidatesDefaults, options);
  if (!(Number.isInteger(cfg.negatives) && cfg.negatives >= 1)) {
    throw new ConfigError(`sampled100Candidates: negatives must be a positive integer, got ${cfg.negatives}`);
  }
  if (cfg.sampler !== 'uniform' && cfg.sampler !== 'popularity') {
    throw new ConfigError(`sampled100Candidates: sampler must be "uniform" or "popularity", got "${cfg.sampler}"`);
  }
  const positives = [split.fullTrain, split.test];
  const sampler =
    cfg.sampler === 'uniform'
      ? uniformNegativeSampler(positives, seed)
      : popularityNegativeSampler(positives, { seed, alpha: cfg.alpha });
  const { test } = split;
  const rows = test.nnz;
  const width = 1 + cfg.negatives;
  const users = new Int32Array(rows);
  const held = new Int32Array(rows);
  const candidates = new Int32Array(rows * width);
  for (let u = 0; u < test.nUsers; u++) {
    for (let k = test.indptr[u]; k < test.indptr[u + 1]; k++) {
      users[k] = u;
      held[k] = test.indices[k];
      candidates[k * width] = test.indices[k];
      sampler.sampleDistinct(u, cfg.negatives, candidates, k * width + 1);
    }
  }
  return { protocol: 'sampled-100', seed, width, users, positives: held, candidates };
}
