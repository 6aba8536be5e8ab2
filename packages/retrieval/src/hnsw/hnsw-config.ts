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
}

export const hnswDefaults: HnswConfig = { m: 16, efConstruction: 200, efSearch: 100, seed: 42 };
