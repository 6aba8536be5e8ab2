import { Interactions } from '../interactions';
import { Rng } from '../rng';

export interface ClusteredInteractionsOptions {
  nUsers: number;
  nItems: number;
  /** Latent taste clusters; every user and item belongs to one. */
  nClusters: number;
  /** Mean interactions per user (each user draws uniformly in [0.5, 1.5] × this, at least 2). */
  itemsPerUser: number;
  /** Probability that a draw comes from the user's own cluster rather than the whole catalogue. */
  inClusterProbability: number;
  /** Zipf exponent of item popularity (weight of the r-th most popular item ∝ 1 / (r + 1)^s). */
  popularityExponent: number;
  seed: number;
}

export const clusteredInteractionsDefaults: ClusteredInteractionsOptions = {
  nUsers: 300,
  nItems: 200,
  nClusters: 5,
  itemsPerUser: 20,
  inClusterProbability: 0.8,
  popularityExponent: 0.8,
  seed: 7,
};

/**
 * A small seeded latent-cluster matrix (binary values) for the shared suite's "learns"
 * check: power-law popularity plus cluster structure, so popularity alone is a real but
 * beatable baseline. It lives here because core cannot import `@musicrec/data`
 * (dependencies point one way); callers may pass `generateSynthetic` output instead.
 */
export function clusteredInteractions(options: Partial<ClusteredInteractionsOptions> = {}): Interactions {
  const o = { ...clusteredInteractionsDefaults, ...options };
  const rng = new Rng(o.seed);
  const itemCluster = new Int32Array(o.nItems);
  for (let i = 0; i < o.nItems; i++) itemCluster[i] = rng.int(o.nClusters);
  // popularity rank is a random permutation so popular items are spread over clusters
  const rank = new Int32Array(o.nItems);
  for (let i = 0; i < o.nItems; i++) rank[i] = i;
  rng.shuffle(rank);
  const weight = new Float64Array(o.nItems);
  for (let i = 0; i < o.nItems; i++) weight[i] = 1 / Math.pow(rank[i] + 1, o.popularityExponent);

  // cumulative weights: over the whole catalogue, and per cluster over its own items
  const all = cumulative(weight, null, -1);
  const perCluster = Array.from({ length: o.nClusters }, (_, c) => cumulative(weight, itemCluster, c));

  const users: number[] = [];
  const items: number[] = [];
  const seen = new Uint8Array(o.nItems);
  for (let u = 0; u < o.nUsers; u++) {
    const c = rng.int(o.nClusters);
    const own = perCluster[c];
    const want = Math.min(
      Math.max(2, Math.round(o.itemsPerUser * (0.5 + rng.next()))),
      Math.floor(o.nItems / 2),
      Math.max(2, own.items.length),
    );
    const mine: number[] = [];
    // bounded retries: duplicates are redrawn, a pathological tiny cluster cannot loop forever
    for (let tries = 0; mine.length < want && tries < want * 50; tries++) {
      const pool = own.items.length > 0 && rng.next() < o.inClusterProbability ? own : all;
      const i = pool.draw(rng);
      if (seen[i]) continue;
      seen[i] = 1;
      mine.push(i);
    }
    for (const i of mine) {
      seen[i] = 0;
      users.push(u);
      items.push(i);
    }
  }
  return Interactions.fromTriples(
    users,
    items,
    null,
    Array.from({ length: o.nUsers }, (_, u) => `u${u}`),
    Array.from({ length: o.nItems }, (_, i) => `i${i}`),
  );
}

interface WeightedPool {
  items: Int32Array;
  draw(rng: Rng): number;
}

function cumulative(weight: Float64Array, cluster: Int32Array | null, c: number): WeightedPool {
  const members: number[] = [];
  for (let i = 0; i < weight.length; i++) if (cluster === null || cluster[i] === c) members.push(i);
  const items = Int32Array.from(members);
  const cum = new Float64Array(items.length);
  let total = 0;
  for (let k = 0; k < items.length; k++) cum[k] = total += weight[items[k]];
  return {
    items,
    draw(rng: Rng): number {
      const x = rng.next() * total;
      let lo = 0;
      let hi = cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] > x) hi = mid;
        else lo = mid + 1;
      }
      return items[lo];
    },
  };
}
