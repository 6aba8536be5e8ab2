/**
 * How inner products are searched:
 * - 'ip': hnswlib's inner-product space (distance 1 − q·v) straight over the item vectors. Not a
 *   metric (an item is not its own nearest neighbour), but the graph search still works well.
 * - 'mips-l2': the MIPS → nearest-neighbour reduction (Bachrach et al. 2014; Neyshabur & Srebro
 *   2015): each item v becomes [v, sqrt(M² − ‖v‖²)] with M the largest item norm, the query
 *   [q, 0], searched in hnswlib's 'l2' space, where ‖q̃ − ṽ‖² = ‖q‖² + M² − 2 q·v, so the nearest
 *   item is the largest inner product. Scores are recomputed as true inner products.
 */
export type HnswSpace = 'ip' | 'mips-l2';

export const HNSW_SPACES: readonly HnswSpace[] = ['ip', 'mips-l2'];

/** HNSW settings (hnswlib's names in brackets). */
export interface HnswConfig {
  /** Links per node [M]: more links, better recall, more memory. */
  m: number;
  /** Candidate list size while inserting [ef_construction]. */
  efConstruction: number;
  /** Candidate list size while searching [ef]; at least k is used. */
  efSearch: number;
  /** hnswlib's random seed for level assignment: same seed, same data → same graph. */
  seed: number;
  /** Inner-product search as hnswlib's 'ip' space or through the MIPS → L2 transform (see HnswSpace). */
  space: HnswSpace;
}

/** `space: 'ip'` by measurement: see benchmarks/reports/hnsw-tradeoff.md (the transform loses recall on unequal norms). */
export const hnswDefaults: HnswConfig = { m: 16, efConstruction: 200, efSearch: 100, seed: 42, space: 'ip' };
