import type { Catalog } from './catalog';
import type { Interactions } from './interactions';

/** What a loader read, and what it dropped or found missing, with counts. Nothing disappears silently. */
export interface LoadReport {
  files: { path: string; rows: number }[];
  /** Reason → number of rows dropped on purpose (e.g. "duplicate track in playlist"). */
  dropped: Record<string, number>;
  /** Column → number of missing values (e.g. "track_name": 5). */
  missing: Record<string, number>;
  notes: string[];
}

export function emptyLoadReport(): LoadReport {
  return { files: [], dropped: {}, missing: {}, notes: [] };
}

/** Per-user time-ordered item sequences (CSR over users, same index space as interactions). */
export interface Sequences {
  readonly indptr: Int32Array;
  readonly items: Int32Array;
  readonly timestamps: Float64Array;
}

/** A loaded dataset: the interactions every model trains on, plus whatever content the source has. */
export interface Dataset {
  readonly name: string;
  readonly interactions: Interactions;
  readonly catalog: Catalog;
  /** Time-ordered per-user item sequences, where the source has time. */
  readonly sequences?: Sequences;
  /** Undirected social graph as user-index CSR (Last.fm friends). */
  readonly social?: { indptr: Int32Array; indices: Int32Array };
  readonly loadReport: LoadReport;
}
