import { describe, expect, it } from 'vitest';
import { Interactions } from '@musicrec/core';
import { exactTopK } from '@musicrec/retrieval';
import {
  TRADEOFF_DEFAULTS,
  chooseDefaultSpace,
  measureSet,
  operatingPoints,
  renderTradeoffMarkdown,
  syntheticSet,
  type OperatingPoint,
  type TradeoffPoint,
  type TradeoffReport,
} from './hnswTradeoff';

const small = { nItems: 3000, nQueries: 60, dim: 16, clusters: 20 };

describe('syntheticSet', () => {
  it('is seeded: the same options give the same vectors, another seed others', () => {
    const a = syntheticSet(small);
    expect(syntheticSet(small).items).toEqual(a.items);
    expect(syntheticSet({ ...small, seed: 7 }).items).not.toEqual(a.items);
    expect(a.items.length).toBe(3000 * 16);
    expect(a.queries.length).toBe(60 * 16);
  });

  it('unitNorms keeps the same directions with every norm 1', () => {
    const a = syntheticSet(small);
    const u = syntheticSet({ ...small, unitNorms: true });
    expect(u.name).toBe('synthetic 3,000 unit norms');
    const d = small.dim;
    for (const i of [0, 17, 2999]) {
      const n = Math.hypot(...a.items.subarray(i * d, i * d + d));
      expect(Math.hypot(...u.items.subarray(i * d, i * d + d))).toBeCloseTo(1, 5);
      for (let f = 0; f < d; f++) expect(u.items[i * d + f]).toBeCloseTo(a.items[i * d + f] / n, 5);
    }
    expect(u.queries).toEqual(a.queries);
  });

  it('has power-law norms between 1 and the clip, and unit-norm queries', () => {
    const { items, queries, dim } = syntheticSet(small);
    const norms = Array.from({ length: items.length / dim }, (_, i) => Math.hypot(...items.subarray(i * dim, i * dim + dim)));
    expect(Math.min(...norms)).toBeGreaterThanOrEqual(1 - 1e-5);
    expect(Math.max(...norms)).toBeLessThanOrEqual(20 + 1e-4);
    // Pareto α 2.5 with minimum 1: median 2^(1/2.5) ≈ 1.32, a tenth above 10^(1/2.5) ≈ 2.5
    norms.sort((x, y) => x - y);
    expect(norms[1500]).toBeCloseTo(1.32, 1);
    expect(norms[2700]).toBeGreaterThan(2);
    for (let q = 0; q < 60; q++) expect(Math.hypot(...queries.subarray(q * dim, q * dim + dim))).toBeCloseTo(1, 5);
  });
});

describe('measureSet', () => {
  const set = syntheticSet(small);
  // two seen items per query, to check they are left out of both answers
  const seen = Interactions.fromTriples(
    Array.from({ length: 120 }, (_, j) => j >> 1),
    Array.from({ length: 120 }, (_, j) => (j * 37) % 3000),
    null,
    Array.from({ length: 60 }, (_, q) => `q${q}`),
    Array.from({ length: 3000 }, (_, i) => `i${i}`),
  );
  const result = measureSet({ ...set, seen }, { ...TRADEOFF_DEFAULTS, efSearch: [10, 40, 400] });

  it('sweeps every space × efSearch, with recall in [0, 1] reaching 1 when ef searches most of the catalogue', () => {
    expect(result.spaces.map((s) => s.space)).toEqual(['ip', 'mips-l2']);
    expect(result.meanSeen).toBe(2);
    for (const s of result.spaces) {
      expect(s.points.map((p) => p.efSearch)).toEqual([10, 40, 400]);
      for (const p of s.points) {
        expect(p.recallAt10).toBeGreaterThanOrEqual(0);
        expect(p.recallAt10).toBeLessThanOrEqual(1);
        expect(p.speedup).toBeCloseTo(p.queriesPerSec / result.exact.queriesPerSec, 9);
        expect(p.p50Ms).toBeLessThanOrEqual(p.p99Ms);
        // k + |seen| = 12 over-fetched: the searched list is never below that
        expect(p.meanEffectiveEf).toBe(Math.max(p.efSearch, 12));
      }
    }
    expect(result.spaces[0].points[2].recallAt10).toBeGreaterThanOrEqual(0.99);
    expect(result.exact.p50Ms).toBeLessThanOrEqual(result.exact.p99Ms);
  });

  it('reports how concentrated the exact answers are', () => {
    const truth = exactTopK(set.queries, set.items, set.dim, 10, { exclude: seen });
    expect(result.exactCoverage).toBeCloseTo(new Set(truth.items).size / 3000, 12);
    expect(result.nearZeroItems).toBe(0);
  });
});

const point = (efSearch: number, recallAt10: number, speedup: number): TradeoffPoint => ({
  efSearch,
  meanEffectiveEf: efSearch,
  recallAt10,
  queriesPerSec: speedup * 100,
  p50Ms: 1,
  p99Ms: 2,
  speedup,
});

describe('operatingPoints and chooseDefaultSpace', () => {
  const base = { description: '', nItems: 1, nQueries: 1, dim: 1, meanSeen: 0, source: {}, makeSeconds: 0, nearZeroItems: 0, exactCoverage: 0 };
  const norms = { min: 1, p10: 1, median: 1, p90: 1, max: 1 };
  const exact = { queriesPerSec: 100, p50Ms: 10, p99Ms: 10 };
  const sets = [
    {
      ...base,
      name: 'a',
      normSpread: norms,
      exact,
      spaces: [
        { space: 'ip' as const, buildSeconds: 1, points: [point(10, 0.9, 50), point(20, 0.96, 30), point(40, 0.99, 20)] },
        { space: 'mips-l2' as const, buildSeconds: 1, points: [point(10, 0.5, 60), point(20, 0.6, 40), point(40, 0.7, 30)] },
      ],
    },
    {
      ...base,
      name: 'b',
      normSpread: norms,
      exact,
      spaces: [
        { space: 'ip' as const, buildSeconds: 2, points: [point(10, 0.97, 40), point(20, 0.98, 30), point(40, 0.99, 20)] },
        { space: 'mips-l2' as const, buildSeconds: 2, points: [point(10, 0.96, 80), point(20, 0.98, 60), point(40, 0.99, 40)] },
      ],
    },
  ];

  it('takes the lowest efSearch that reaches the target, or records the best recall', () => {
    const ops = operatingPoints(sets, 0.95);
    expect(ops.map((o) => [o.set, o.space, o.point?.efSearch ?? null])).toEqual([
      ['a', 'ip', 20],
      ['a', 'mips-l2', null],
      ['b', 'ip', 10],
      ['b', 'mips-l2', 10],
    ]);
    expect(ops[1].bestRecall).toBe(0.7);
  });

  it('prefers the space that reaches the target on more sets, then the faster one where both do', () => {
    const ops = operatingPoints(sets, 0.95);
    expect(chooseDefaultSpace(ops, ['mips-l2', 'ip'])).toBe('ip');
    // on set b alone both reach .95 and mips-l2 is twice as fast
    expect(chooseDefaultSpace(ops.filter((o: OperatingPoint) => o.set === 'b'), ['ip', 'mips-l2'])).toBe('mips-l2');
  });

  it('renders the operating points and one table per set', () => {
    const report: TradeoffReport = {
      schema: 1,
      createdAt: 'now',
      machine: { cpus: 2, node: 'v20', cpuModel: 'x' },
      settings: { ...TRADEOFF_DEFAULTS, efSearch: [10, 20, 40] },
      method: 'method text',
      defaultSpace: 'ip',
      sets,
      operatingPoints: operatingPoints(sets, 0.95),
    };
    const md = renderTradeoffMarkdown(report);
    expect(md).toContain('| a | ip | 20 | 0.9600 | 3,000 | 100 | 30× |');
    expect(md).toContain('| a | mips-l2 | not reached (best 0.7000) |');
    expect(md).toContain('## a\n');
    expect(md).toContain('## b\n');
    expect(md).toContain('| 40 | 40 | 0.9900 | 2,000 | 20× | 1.000 / 2.000 | 0.9900 | 4,000 | 40× | 1.000 / 2.000 |');
  });
});
