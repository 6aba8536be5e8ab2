import type { Explanation } from '@musicrec/core';

/** How `/recommend` ranks a known user: through the item index (HNSW), or by scoring every item. */
export type RetrievalMode = 'hnsw' | 'exact';

/** One item in an answer, named for a person. */
export interface ServedItem {
  /** The dataset's own item id. */
  id: string;
  score: number;
  name: string | null;
  artist: string | null;
  genre: string | null;
  year: number | null;
  tags: string[];
}

/** A recommended item and, where the model explains itself, why. */
export interface Recommendation extends ServedItem {
  rank: number;
}

/** `explain`, with ids and names instead of internal indices. */
export interface ServedExplanation extends Omit<Explanation, 'nearestLikedItems'> {
  user: string | null;
  item: ServedItem;
  nearestLikedItems: (ServedItem & { similarity: number })[];
}

/** What a service loaded, for the startup line and `/health`. */
export interface ServiceInfo {
  /** The key `?model=` selects (the artifact folder's name unless given). */
  key: string;
  /** Registry row name of the model, e.g. "ials", "ensemble". */
  model: string;
  dataset: string;
  users: number;
  items: number;
  /** How a known user's `/recommend` is answered by default. */
  index: 'hnsw' | 'exact' | 'onnx-top-k' | 'model';
  /** What the index building took, ms (0 when none is built). */
  indexBuildMs: number;
  /** Whether the model answers `explain` (Explainer), `similar` (SimilarItems), liked-items cold start (ColdStartScorer). */
  abilities: { explain: boolean; similar: boolean; coldStart: boolean; foldIn: 'ials' | 'liked-items' | 'none' };
  artifactDir: string;
}

/** One live listen, as the store keeps it and replays it. */
export interface Listen {
  user: string;
  item: string;
  /** Artifact key the listen was made against. */
  model: string;
  /** Epoch ms. */
  at: number;
}
