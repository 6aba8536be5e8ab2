/** Means over the evaluated users of one cold-start condition. */
export interface ColdStartMetrics {
  users: number;
  ndcg10: number;
  hitRate10: number;
  recall20: number;
  /** Catalogue coverage of the top-10 lists. */
  coverage: number;
}

export interface ItemColdStartMetrics extends ColdStartMetrics {
  /** Share of all top-10 slots filled by cold items (0 for a model that cannot score unseen items). */
  coldShare10: number;
}

/** One model under every cold-start condition, refitted with the main run's tuned params. */
export interface ColdStartRow {
  model: string;
  params: Record<string, unknown>;
  /** Where `params` came from: the dataset's bench report row, or the registry (no row there). */
  paramsFrom: 'report' | 'registry';
  /** Keyed by the kept history length ("1", "3", "5"), plus "full": the same users uncut. */
  userColdStart: Record<string, ColdStartMetrics>;
  /** Null when the dataset has no item content to pick cold items from. */
  itemColdStart: ItemColdStartMetrics | null;
  /** Seconds of all the row's refits together. */
  fitSeconds: number;
}

/** `benchmarks/reports/coldstart-<dataset>.json`. */
export interface ColdStartReport {
  schema: 1;
  kind: 'coldstart';
  dataset: string;
  protocol: string;
  seed: number;
  createdAt: string;
  machine: { cpus: number; node: string; gpu: string | null };
  userColdStart: { minTrainItems: number; maxUsers: number; users: number; levels: number[] };
  itemColdStart: { fraction: number; contentItems: number; coldItems: number; users: number } | null;
  rows: ColdStartRow[];
  /** Models that failed, with the reason (kept so a failure is visible, not silently dropped). */
  failures?: { model: string; error: string }[];
}
