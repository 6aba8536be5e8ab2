import { ConfigError } from '@musicrec/core';
import type { RankingMetrics } from '../metrics/ranking';
import type { ReportRow } from '../report/types';

const RANKING = ['hitRate', 'ndcg', 'precision', 'recall', 'map', 'mrr', 'f1'] as const;
const BEYOND = ['coverage', 'ils', 'novelty', 'artistDiversity', 'genreDiversity'] as const;
/** Metrics where a lower value is the better one (a more similar list is a less diverse one). */
const LOWER_IS_BETTER = new Set<string>(['ils']);

export interface MetricKey {
  /** As written, e.g. "ndcg@10" or "coverage". */
  key: string;
  name: string;
  /** Cut-off of a ranking metric; null for beyond-accuracy measures (always @10). */
  k: number | null;
  lowerIsBetter: boolean;
}

/**
 * Parses a gate metric name: `<ranking metric>@<K>` (hitRate, ndcg, precision, recall, map,
 * mrr, f1) or a beyond-accuracy measure (coverage, ils, novelty, artistDiversity,
 * genreDiversity, optionally written with "@10").
 */
export function parseMetricKey(key: string): MetricKey {
  const m = /^([A-Za-z]+)(?:@(\d+))?$/.exec(key);
  if (m) {
    const [, name, kText] = m;
    if ((RANKING as readonly string[]).includes(name) && kText !== undefined && Number(kText) > 0) {
      return { key, name, k: Number(kText), lowerIsBetter: false };
    }
    if ((BEYOND as readonly string[]).includes(name) && (kText === undefined || kText === '10')) {
      return { key, name, k: null, lowerIsBetter: LOWER_IS_BETTER.has(name) };
    }
  }
  throw new ConfigError(
    `unknown gate metric "${key}": use <${RANKING.join('|')}>@<K> or one of ${BEYOND.join(', ')}`,
  );
}

/** The row's value of a metric: undefined when the row does not have it, null when it is not measurable. */
export function metricValue(row: ReportRow, metric: MetricKey): number | null | undefined {
  if (metric.k !== null) {
    const atK = row.metrics[String(metric.k)] as RankingMetrics | undefined;
    return atK?.[metric.name as keyof RankingMetrics];
  }
  return row.beyond[metric.name as (typeof BEYOND)[number]];
}
