import { ConfigError, DataError } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { makeReport, makeRow } from '../testing/reports';
import { baselineFromReports, validateGateBaseline } from './baseline';
import { gateReport, renderGateTable } from './gate';
import type { GateBaseline } from './gate';
import { parseMetricKey } from './metric-key';

const baseline: GateBaseline = {
  schema: 1,
  tolerances: { 'ndcg@10': 0.01, hitRate: 0.02, '*': 0.005 },
  datasets: {
    'lastfm-2k': {
      ials: { 'ndcg@10': 0.3, 'hitRate@10': 0.6, ils: 0.4 },
      popularity: { 'ndcg@10': 0.1, 'recall@20': 0.055 },
      ease: { 'ndcg@10': 0.35 },
    },
  },
};

describe('gateReport', () => {
  it('passes within tolerance and marks improvements', () => {
    const report = makeReport([
      makeRow('ials', 0.2905), // ndcg −0.0095 (tol 0.01): ok; hitRate 0.581, −0.019 (tol 0.02): ok
      makeRow('popularity', 0.2), // +0.1: improved; recall@20 = 0.2 × 1.1 / 2 = 0.11: improved
      makeRow('ease', 0.35),
      makeRow('new-model', 0.9),
    ]);
    const r = gateReport(report, baseline);
    expect(r.passed).toBe(true);
    const status = Object.fromEntries(r.lines.map((l) => [`${l.model} ${l.metric}`, l.status]));
    expect(status).toEqual({
      'ials ndcg@10': 'ok',
      'ials hitRate@10': 'ok',
      'ials ils': 'ok',
      'popularity ndcg@10': 'improved',
      'popularity recall@20': 'improved',
      'ease ndcg@10': 'ok',
    });
    const ials = r.lines.find((l) => l.model === 'ials' && l.metric === 'hitRate@10')!;
    expect(ials.tolerance).toBe(0.02); // by name, without @K
    expect(ials.delta).toBeCloseTo(-0.019, 12);
    expect(r.lines.find((l) => l.metric === 'recall@20')!.tolerance).toBe(0.005); // "*"
    expect(r.notes).toEqual(['model "new-model" has no baseline (not gated)']);
  });

  it('fails on a drop beyond tolerance and on a missing model or metric', () => {
    const report = makeReport([
      makeRow('ials', 0.28), // −0.02 > 0.01
      makeRow('popularity', 0.1, { metrics: { '10': makeRow('x', 0.1).metrics['10'] } }), // no @20
    ]);
    const r = gateReport(report, baseline);
    expect(r.passed).toBe(false);
    const by = (model: string, metric: string) => r.lines.find((l) => l.model === model && l.metric === metric)!;
    expect(by('ials', 'ndcg@10').status).toBe('REGRESSED');
    expect(by('ials', 'ndcg@10').delta).toBeCloseTo(-0.02, 12);
    expect(by('popularity', 'recall@20').status).toBe('MISSING');
    expect(by('ease', 'ndcg@10').status).toBe('MISSING');
    expect(Number.isNaN(by('ease', 'ndcg@10').current)).toBe(true);
  });

  it('treats a rise in ILS as the regression', () => {
    const worse = makeReport([makeRow('ials', 0.3, { beyond: { ...makeRow('ials', 0.3).beyond, ils: 0.5 } })]);
    const r = gateReport(worse, { ...baseline, datasets: { 'lastfm-2k': { ials: { ils: 0.4 } } } });
    expect(r.lines[0].status).toBe('REGRESSED');
    expect(r.passed).toBe(false);
  });

  it('a drop exactly at the tolerance is ok', () => {
    const r = gateReport(makeReport([makeRow('ease', 0.34)]), { ...baseline, datasets: { 'lastfm-2k': { ease: { 'ndcg@10': 0.35 } } } });
    expect(r.lines[0].status).toBe('ok');
  });

  it('passes with a note when the dataset has no baseline', () => {
    const r = gateReport(makeReport([makeRow('ials', 0.1)], { dataset: 'spotify-playlists' }), baseline);
    expect(r).toEqual({ passed: true, dataset: 'spotify-playlists', lines: [], notes: ['no baseline for dataset "spotify-playlists"'] });
  });
});

describe('renderGateTable', () => {
  it('summarises and lists everything that moved, failures first', () => {
    const report = makeReport([makeRow('ials', 0.28), makeRow('popularity', 0.2)]);
    const text = renderGateTable(gateReport(report, baseline));
    const lines = text.split('\n');
    // ials: ndcg −0.02 and hitRate −0.04 both beyond tolerance, ILS unchanged; ease absent
    expect(lines[0]).toBe('gate lastfm-2k: FAILED (6 checks: 1 ok, 2 improved, 2 REGRESSED, 1 MISSING)');
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| model') && !l.startsWith('| ---'));
    expect(rows.map((l) => l.split(' | ').at(-1))).toEqual(['MISSING |', 'REGRESSED |', 'REGRESSED |', 'improved |', 'improved |']);
    expect(lines.at(-1)).toBe('1 check unchanged.');
    expect(rows[0]).toBe('| ease | ndcg@10 | 0.3500 | – | – | 0.01 | MISSING |');
    expect(text).toContain('| ials | ndcg@10 | 0.3000 | 0.2800 | -0.0200 | 0.01 | REGRESSED |');
    expect(text).toContain('| popularity | ndcg@10 | 0.1000 | 0.2000 | +0.1000 | 0.01 | improved |');
  });

  it('does not list unchanged checks', () => {
    const report = makeReport([makeRow('ease', 0.35)]);
    const text = renderGateTable(gateReport(report, { ...baseline, datasets: { 'lastfm-2k': { ease: { 'ndcg@10': 0.35 } } } }));
    expect(text).toBe('gate lastfm-2k: PASSED (1 checks: 1 ok, 0 improved, 0 REGRESSED, 0 MISSING)\n\n1 check unchanged.');
  });
});

describe('baselineFromReports', () => {
  it('collects the chosen metrics of every row per dataset, skipping null values', () => {
    const reports = [
      makeReport([makeRow('ials', 0.3), makeRow('pop', 0.1, { beyond: { ...makeRow('x', 0).beyond, ils: null } })]),
      makeReport([makeRow('ials', 0.2)], { dataset: 'spotify-playlists' }),
    ];
    const b = baselineFromReports(reports, ['ndcg@10', 'hitRate@10', 'ils'], { 'ndcg@10': 0.01 });
    expect(b).toEqual({
      schema: 1,
      tolerances: { 'ndcg@10': 0.01 },
      datasets: {
        'lastfm-2k': { ials: { 'ndcg@10': 0.3, 'hitRate@10': 0.6, ils: 0.4 }, pop: { 'ndcg@10': 0.1, 'hitRate@10': 0.2 } },
        'spotify-playlists': { ials: { 'ndcg@10': 0.2, 'hitRate@10': 0.4, ils: 0.4 } },
      },
    });
    // a report gated against its own baseline passes with nothing moved
    const r = gateReport(reports[0], b);
    expect(r.passed).toBe(true);
    expect(r.lines.every((l) => l.status === 'ok' && l.delta === 0)).toBe(true);
  });

  it('rejects unknown metric names', () => {
    expect(() => baselineFromReports([], ['ndgc@10'], {})).toThrow(ConfigError);
    expect(() => parseMetricKey('ndcg')).toThrow(/unknown gate metric "ndcg"/);
    expect(parseMetricKey('coverage@10')).toEqual({ key: 'coverage@10', name: 'coverage', k: null, lowerIsBetter: false });
  });
});

describe('validateGateBaseline', () => {
  it('accepts a baseline and names the path of a bad value', () => {
    expect(validateGateBaseline(JSON.parse(JSON.stringify(baseline)))).toEqual(baseline);
    const bad = JSON.parse(JSON.stringify(baseline));
    bad.datasets['lastfm-2k'].ials['ndcg@10'] = '0.3';
    expect(() => validateGateBaseline(bad, 'baseline.json')).toThrow(DataError);
    expect(() => validateGateBaseline(bad, 'baseline.json')).toThrow(
      'baseline.json, field "datasets.lastfm-2k.ials.ndcg@10": expected number, got "0.3"',
    );
    const badKey = JSON.parse(JSON.stringify(baseline));
    badKey.datasets['lastfm-2k'].ials['ndcg10'] = 0.3;
    expect(() => validateGateBaseline(badKey)).toThrow(/datasets\.lastfm-2k\.ials\.ndcg10.*unknown gate metric/);
    expect(() => validateGateBaseline({ ...baseline, tolerances: { x: -1 } })).toThrow(/tolerances\.x/);
  });
});
