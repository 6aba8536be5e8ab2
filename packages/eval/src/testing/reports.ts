import type { RankingMetrics } from '../metrics/ranking';
import type { BenchReport, ReportRow } from '../report/types';

/** Hand-made report rows for renderer and gate tests. Not exported from the package. */

export function metricsWith(ndcg: number, hitRate = ndcg * 2): RankingMetrics {
  return { hitRate, ndcg, precision: ndcg / 4, recall: ndcg / 2, map: ndcg / 3, mrr: ndcg * 1.5, f1: ndcg / 5 };
}

export function makeRow(model: string, ndcg10: number, overrides: Partial<ReportRow> = {}): ReportRow {
  return {
    model,
    params: { factors: 32 },
    backend: null,
    inference: 'ts',
    metrics: { '5': metricsWith(ndcg10 * 0.8), '10': metricsWith(ndcg10), '20': metricsWith(ndcg10 * 1.1) },
    beyond: { coverage: 0.25, ils: 0.4, novelty: 7.5, artistDiversity: null, genreDiversity: 0.6 },
    fitSeconds: 1.5,
    peakRssMb: 210,
    latencyMs: { p50: 0.21, p95: 0.3, p99: 0.45 },
    throughputUsersPerSec: 12000,
    ...overrides,
  };
}

export function makeReport(rows: ReportRow[], overrides: Partial<BenchReport> = {}): BenchReport {
  return {
    schema: 1,
    dataset: 'lastfm-2k',
    protocol: 'holdout',
    seed: 42,
    createdAt: '2025-01-01T00:00:00.000Z',
    machine: { cpus: 2, node: 'v20.19.0', gpu: null },
    rows,
    ...overrides,
  };
}
