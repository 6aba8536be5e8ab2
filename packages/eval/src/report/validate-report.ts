import { BACKENDS, INFERENCES } from './types';
import type { BenchReport } from './types';
import { Validator } from './validator';

const METRIC_NAMES = ['hitRate', 'ndcg', 'precision', 'recall', 'map', 'mrr', 'f1'] as const;

/**
 * Checks parsed JSON against the report schema and returns it typed. The first problem
 * throws a DataError whose field is the path to it, e.g. `rows[3].metrics.10.ndcg`
 * ("expected number, got string"); `file` names the source when given. Beyond-accuracy
 * fields that may be null may also be absent (older reports); they come back as null.
 * `rows[].byHistory`, `rows[].warmItems` and `curves` are optional, so reports written before them still validate.
 */
export function validateReport(json: unknown, file?: string): BenchReport {
  const v = new Validator(file);
  const report = v.object(json, '');
  v.literal(report.schema, 'schema', 1);
  v.string(report.dataset, 'dataset');
  v.string(report.protocol, 'protocol');
  v.number(report.seed, 'seed');
  v.string(report.createdAt, 'createdAt');
  const machine = v.object(report.machine, 'machine');
  v.number(machine.cpus, 'machine.cpus');
  v.string(machine.node, 'machine.node');
  v.stringOrNull(machine.gpu, 'machine.gpu');
  if (report.datasetStats !== undefined) v.object(report.datasetStats, 'datasetStats');
  const rows = v.array(report.rows, 'rows');
  const out: BenchReport = { ...(report as unknown as BenchReport), rows: [] };
  rows.forEach((rowJson, r) => {
    const at = `rows[${r}]`;
    const row = v.object(rowJson, at);
    v.string(row.model, `${at}.model`);
    v.object(row.params, `${at}.params`);
    if (row.backend !== null) v.oneOf(row.backend, `${at}.backend`, BACKENDS, ' or null');
    v.oneOf(row.inference, `${at}.inference`, INFERENCES);
    if (row.protocol !== undefined) v.string(row.protocol, `${at}.protocol`);
    const metrics = v.object(row.metrics, `${at}.metrics`);
    for (const [k, m] of Object.entries(metrics)) {
      if (!/^[1-9]\d*$/.test(k)) v.fail(`${at}.metrics.${k}`, 'expected a positive integer cut-off as key');
      const mm = v.object(m, `${at}.metrics.${k}`);
      for (const name of METRIC_NAMES) v.number(mm[name], `${at}.metrics.${k}.${name}`);
    }
    const beyond = v.object(row.beyond, `${at}.beyond`);
    v.number(beyond.coverage, `${at}.beyond.coverage`);
    v.number(beyond.novelty, `${at}.beyond.novelty`);
    for (const name of ['ils', 'artistDiversity', 'genreDiversity'] as const) {
      if (beyond[name] !== undefined) v.numberOrNull(beyond[name], `${at}.beyond.${name}`);
    }
    v.number(row.fitSeconds, `${at}.fitSeconds`);
    v.number(row.peakRssMb, `${at}.peakRssMb`);
    const latency = v.object(row.latencyMs, `${at}.latencyMs`);
    for (const p of ['p50', 'p95', 'p99'] as const) v.number(latency[p], `${at}.latencyMs.${p}`);
    v.number(row.throughputUsersPerSec, `${at}.throughputUsersPerSec`);
    if (row.byHistory !== undefined) {
      for (const [label, bucket] of Object.entries(v.object(row.byHistory, `${at}.byHistory`))) {
        const b = v.object(bucket, `${at}.byHistory.${label}`);
        for (const name of ['users', 'ndcg10', 'hitRate10', 'recall20'] as const) v.number(b[name], `${at}.byHistory.${label}.${name}`);
      }
    }
    if (row.warmItems !== undefined) {
      const w = v.object(row.warmItems, `${at}.warmItems`);
      for (const name of ['coldItems', 'coldTestShare', 'coldShareOfTop10', 'users', 'ndcg10', 'hitRate10', 'recall20'] as const) {
        v.number(w[name], `${at}.warmItems.${name}`);
      }
    }
    if (row.extra !== undefined) v.object(row.extra, `${at}.extra`);
    out.rows.push({
      ...(row as unknown as BenchReport['rows'][number]),
      beyond: {
        ...(beyond as unknown as BenchReport['rows'][number]['beyond']),
        ils: (beyond.ils as number | null | undefined) ?? null,
        artistDiversity: (beyond.artistDiversity as number | null | undefined) ?? null,
        genreDiversity: (beyond.genreDiversity as number | null | undefined) ?? null,
      },
    });
  });
  if (report.curves !== undefined) {
    const curves = v.object(report.curves, 'curves');
    if (curves.mmr !== undefined) {
      const mmr = v.object(curves.mmr, 'curves.mmr');
      v.string(mmr.base, 'curves.mmr.base');
      v.string(mmr.similarity, 'curves.mmr.similarity');
      if (mmr.baseParams !== undefined) v.object(mmr.baseParams, 'curves.mmr.baseParams');
      if (mmr.pool !== undefined) v.number(mmr.pool, 'curves.mmr.pool');
      v.array(mmr.points, 'curves.mmr.points').forEach((p, j) => {
        const at = `curves.mmr.points[${j}]`;
        const point = v.object(p, at);
        v.number(point.lambda, `${at}.lambda`);
        v.number(point.ndcg10, `${at}.ndcg10`);
        v.numberOrNull(point.ils10, `${at}.ils10`);
        v.number(point.coverage, `${at}.coverage`);
      });
    }
  }
  if (report.sections !== undefined) {
    v.array(report.sections, 'sections').forEach((s, j) => {
      const section = v.object(s, `sections[${j}]`);
      v.string(section.title, `sections[${j}].title`);
      v.string(section.markdown, `sections[${j}].markdown`);
    });
  }
  return out;
}
