import type { BenchReport, ReportRow } from '../report/types';
import { metricValue, parseMetricKey } from './metric-key';

/**
 * The numbers a bench run must not fall below. `tolerances` are absolute drops allowed
 * per metric key (e.g. {"ndcg@10": 0.01}); a key is looked up as written, then by its name
 * without "@K", then "*", else 0.
 */
export interface GateBaseline {
  schema: 1;
  tolerances: Record<string, number>;
  /** dataset → model → metric key → value */
  datasets: Record<string, Record<string, Record<string, number>>>;
}

export type GateStatus = 'ok' | 'improved' | 'REGRESSED' | 'MISSING';

export interface GateLine {
  model: string;
  metric: string;
  baseline: number;
  /** NaN when MISSING. */
  current: number;
  /** current − baseline (NaN when MISSING). */
  delta: number;
  tolerance: number;
  status: GateStatus;
}

export interface GateResult {
  passed: boolean;
  dataset: string;
  lines: GateLine[];
  /** Things worth saying that are not failures (no baseline for the dataset, new models). */
  notes: string[];
}

// differences this small are float noise, not movement
const EPS = 1e-12;

/**
 * Compares every (model, metric) the baseline holds for the report's dataset. REGRESSED when
 * the value is worse than the baseline by more than the tolerance (lower for most metrics,
 * higher for ILS); improved when better by more than it; MISSING when the model or metric is
 * absent from the report. REGRESSED and MISSING fail the gate.
 */
export function gateReport(report: BenchReport, baseline: GateBaseline): GateResult {
  const notes: string[] = [];
  const expected = baseline.datasets[report.dataset];
  if (!expected) {
    return { passed: true, dataset: report.dataset, lines: [], notes: [`no baseline for dataset "${report.dataset}"`] };
  }
  const byModel = new Map<string, ReportRow>();
  for (const row of report.rows) {
    if (byModel.has(row.model)) notes.push(`model "${row.model}" appears twice; the first row is gated`);
    else byModel.set(row.model, row);
  }
  const lines: GateLine[] = [];
  for (const [model, metrics] of Object.entries(expected)) {
    const row = byModel.get(model);
    for (const [key, base] of Object.entries(metrics)) {
      const metric = parseMetricKey(key);
      const tolerance = toleranceFor(baseline.tolerances, key, metric.name);
      const value = row ? metricValue(row, metric) : undefined;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        lines.push({ model, metric: key, baseline: base, current: NaN, delta: NaN, tolerance, status: 'MISSING' });
        continue;
      }
      const delta = value - base;
      const gain = metric.lowerIsBetter ? -delta : delta;
      const status: GateStatus = gain < -tolerance - EPS ? 'REGRESSED' : gain > tolerance + EPS ? 'improved' : 'ok';
      lines.push({ model, metric: key, baseline: base, current: value, delta, tolerance, status });
    }
  }
  for (const model of byModel.keys()) {
    if (!(model in expected)) notes.push(`model "${model}" has no baseline (not gated)`);
  }
  const passed = lines.every((l) => l.status === 'ok' || l.status === 'improved');
  return { passed, dataset: report.dataset, lines, notes };
}

export function toleranceFor(tolerances: Record<string, number>, key: string, name: string): number {
  return tolerances[key] ?? tolerances[name] ?? tolerances['*'] ?? 0;
}

/**
 * A Markdown summary: the verdict with counts, then a table of every check that moved
 * (changed value, or not ok), worst first.
 */
export function renderGateTable(result: GateResult): string {
  const count = (s: GateStatus): number => result.lines.filter((l) => l.status === s).length;
  const out: string[] = [];
  out.push(
    `gate ${result.dataset}: ${result.passed ? 'PASSED' : 'FAILED'} (${result.lines.length} checks: ` +
      `${count('ok')} ok, ${count('improved')} improved, ${count('REGRESSED')} REGRESSED, ${count('MISSING')} MISSING)`,
  );
  const rank: Record<GateStatus, number> = { MISSING: 0, REGRESSED: 1, improved: 2, ok: 3 };
  const moved = result.lines
    .filter((l) => l.status !== 'ok' || Math.abs(l.delta) > EPS)
    .sort((a, b) => rank[a.status] - rank[b.status] || a.model.localeCompare(b.model) || a.metric.localeCompare(b.metric));
  if (moved.length > 0) {
    out.push('', '| model | metric | baseline | current | delta | tolerance | status |', '| --- | --- | ---: | ---: | ---: | ---: | --- |');
    for (const l of moved) {
      const current = Number.isNaN(l.current) ? '–' : l.current.toFixed(4);
      const delta = Number.isNaN(l.delta) ? '–' : `${l.delta >= 0 ? '+' : ''}${l.delta.toFixed(4)}`;
      out.push(`| ${l.model} | ${l.metric} | ${l.baseline.toFixed(4)} | ${current} | ${delta} | ${l.tolerance} | ${l.status} |`);
    }
  }
  const unchanged = result.lines.length - moved.length;
  if (unchanged > 0) out.push('', `${unchanged} check${unchanged === 1 ? '' : 's'} unchanged.`);
  for (const note of result.notes) out.push('', `note: ${note}`);
  return out.join('\n');
}
