import type { BeyondAccuracy } from '../beyond/beyond-accuracy';
import type { HistoryBuckets } from '../buckets/history-buckets';
import type { RankingMetrics } from '../metrics/ranking';
import type { WarmItemsView } from '../warm/warm-items';

export const BACKENDS = ['cpu', 'wasm', 'tensorflow', 'webgpu'] as const;
export const INFERENCES = ['ts', 'onnx-cpu', 'onnx-cuda', 'onnx-webgpu', 'hnsw'] as const;

/** One leaderboard row: a model, how it ran, and what it scored on the dataset's test fold. */
export interface ReportRow {
  model: string;
  /** The resolved configuration the row was fitted with. */
  params: Record<string, unknown>;
  /** TF.js backend that trained it; null for models that do not use TF.js. */
  backend: (typeof BACKENDS)[number] | null;
  /** What produced the test scores. */
  inference: (typeof INFERENCES)[number];
  /** Set when the row used another protocol than the report's (e.g. "sampled-100"). */
  protocol?: string;
  /** Keyed by String(K). */
  metrics: Record<string, RankingMetrics>;
  beyond: BeyondAccuracy;
  fitSeconds: number;
  peakRssMb: number;
  /** One user, top-10, milliseconds. */
  latencyMs: { p50: number; p95: number; p99: number };
  throughputUsersPerSec: number;
  /** Test users grouped by training-history length ("1-2", "3-10", "11+"), each group's means. */
  byHistory?: HistoryBuckets;
  /** The same model ranked without the items nobody trained on (see `warmItemsView`). */
  warmItems?: WarmItemsView;
  extra?: Record<string, unknown>;
}

/** One λ of the MMR accuracy–diversity curve (λ = 1 is the base model's own order). */
export interface MmrCurvePoint {
  lambda: number;
  ndcg10: number;
  /** Intra-list similarity of the top-10 under the curve's similarity; null when no pair is measurable. */
  ils10: number | null;
  coverage: number;
}

/** The base model re-ranked by MMR at several λ, diversity measured with `similarity`. */
export interface MmrCurve {
  base: string;
  baseParams?: Record<string, unknown>;
  /** Item similarity MMR diversified on and ILS measured with (e.g. "audio", "tags"). */
  similarity: string;
  /** Base candidates MMR reorders per user. */
  pool?: number;
  points: MmrCurvePoint[];
}

/** What the bench writes per dataset (`benchmarks/reports/<dataset>.json`) and the gate reads. */
export interface BenchReport {
  schema: 1;
  dataset: string;
  protocol: string;
  seed: number;
  /** ISO 8601. */
  createdAt: string;
  machine: { cpus: number; node: string; gpu: string | null };
  datasetStats?: Record<string, unknown>;
  rows: ReportRow[];
  /** Accuracy–diversity curves over one base model. */
  curves?: { mmr?: MmrCurve };
  /** Extra Markdown blocks appended to the renderings (significance tests, notes). */
  sections?: { title: string; markdown: string }[];
}
