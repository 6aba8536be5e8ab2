import { DataError } from '@musicrec/core';
import type { BenchReport } from '../report/types';
import type { GateBaseline } from './gate';
import { metricValue, parseMetricKey } from './metric-key';

/**
 * A baseline holding `metrics` of every row of every report (a later report of the same
 * dataset replaces an earlier one; a repeated model name keeps its first row). Values that
 * are null (e.g. ILS without item vectors) or absent are left out, so they are not gated.
 */
export function baselineFromReports(
  reports: readonly BenchReport[],
  metrics: readonly string[],
  tolerances: Record<string, number>,
): GateBaseline {
  const keys = metrics.map(parseMetricKey);
  const datasets: GateBaseline['datasets'] = {};
  for (const report of reports) {
    const models: Record<string, Record<string, number>> = {};
    for (const row of report.rows) {
      if (row.model in models) continue;
      const values: Record<string, number> = {};
      for (const key of keys) {
        const v = metricValue(row, key);
        if (typeof v === 'number' && Number.isFinite(v)) values[key.key] = v;
      }
      models[row.model] = values;
    }
    datasets[report.dataset] = models;
  }
  return { schema: 1, tolerances: { ...tolerances }, datasets };
}

/** Checks parsed baseline JSON; a problem throws a DataError naming its path (and file). */
export function validateGateBaseline(json: unknown, file?: string): GateBaseline {
  const fail = (field: string, message: string): never => {
    throw new DataError(message, { file, field });
  };
  const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObject(json)) return fail('(root)', 'expected object');
  if (json.schema !== 1) fail('schema', `expected 1, got ${JSON.stringify(json.schema)}`);
  if (!isObject(json.tolerances)) return fail('tolerances', 'expected object');
  for (const [key, t] of Object.entries(json.tolerances)) {
    if (typeof t !== 'number' || !(t >= 0)) fail(`tolerances.${key}`, `expected a number ≥ 0, got ${JSON.stringify(t)}`);
  }
  if (!isObject(json.datasets)) return fail('datasets', 'expected object');
  for (const [dataset, models] of Object.entries(json.datasets)) {
    if (!isObject(models)) return fail(`datasets.${dataset}`, 'expected object');
    for (const [model, metrics] of Object.entries(models)) {
      if (!isObject(metrics)) return fail(`datasets.${dataset}.${model}`, 'expected object');
      for (const [key, v] of Object.entries(metrics)) {
        const path = `datasets.${dataset}.${model}.${key}`;
        try {
          parseMetricKey(key);
        } catch (e) {
          fail(path, (e as Error).message);
        }
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, `expected number, got ${JSON.stringify(v)}`);
      }
    }
  }
  return json as unknown as GateBaseline;
}
