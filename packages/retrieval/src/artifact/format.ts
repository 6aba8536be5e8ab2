/**
 * The artifact folder: everything needed to serve a trained model without its dataset.
 *
 * ```
 * artifact.json        ArtifactManifest (below)
 * model/               the model's own files (its save(dir))
 * users.json           dense user index → dataset user id
 * items.json           dense item index → dataset item id
 * catalog.json         the columns a person reads: name, artist, genre, year, top tags
 * interactions/        the training interactions (CSR: indptr, indices, values) — the
 *                      seen-item filter and the fold-in history
 * ```
 */
export const ARTIFACT_FORMAT = 1;

export const ARTIFACT_FILES = {
  manifest: 'artifact.json',
  model: 'model',
  users: 'users.json',
  items: 'items.json',
  catalog: 'catalog.json',
  interactions: 'interactions',
} as const;

export interface DatasetFileDigest {
  /** Path relative to the dataset folder when it has one, else as the loader reported it. */
  path: string;
  sha256: string;
  bytes: number;
}

export interface ArtifactManifest {
  format: typeof ARTIFACT_FORMAT;
  /** Registry row name (the bench's leaderboard name), e.g. "ials", "item-knn-all". */
  model: string;
  /** The model class's own name (`Recommender.name`): which loader restores it. */
  loader: string;
  /** The model's resolved params (defaults filled in), as its `params`. */
  params: Record<string, unknown>;
  dataset: { name: string; files: DatasetFileDigest[] };
  /** What the model was fitted on. */
  fittedOn: { interactions: 'all' | 'split-train'; weights: 'binary' | 'weights'; seed: number; split?: { protocol: string; seed: number } };
  users: number;
  items: number;
  /** Training interactions kept in the artifact. */
  nnz: number;
  musicrec: { version: string; commit: string | null };
  createdAt: string;
  fitSeconds: number;
  /** Where the params came from, and that report row's metrics, when they came from one. */
  fromReport?: { file: string; row: string; createdAt?: string; metrics: Record<string, unknown> };
}

/** The catalogue columns an artifact keeps; arrays indexed by dense item index. */
export interface ArtifactCatalog {
  names: (string | null)[] | null;
  artists: (string | null)[] | null;
  genres: (string | null)[] | null;
  years: (number | null)[] | null;
  /** Each item's most used tags (at most 10), most used first. */
  tags: string[][] | null;
}
