import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import os from 'node:os';
import { ConfigError, Interactions, Rng } from '@musicrec/core';
import type { Recommender } from '@musicrec/core';
import { quantile, usersWithItems, validateReport } from '@musicrec/eval';
import { HnswIndex, exactTopK, hnswDefaults, recallAtK } from '@musicrec/retrieval';
import type { HnswConfig, HnswHits } from '@musicrec/retrieval';
import type { Argv } from 'yargs';
import { loadSpec } from './benchDatasets';
import { repoRoot } from './paths';
import { findModel } from './registry';
import { makeSplit } from './splitting';

type HnswSpace = HnswConfig['space'];
const HNSW_SPACES: readonly HnswSpace[] = ['ip', 'mips-l2'];

/** Item vectors, the queries searched against them, and each query's seen items. */
export interface EmbeddingSet {
  name: string;
  /** How the vectors were made, for the report. */
  description: string;
  dim: number;
  /** nItems × dim, row-major. */
  items: Float32Array;
  /** nQueries × dim, row-major. */
  queries: Float32Array;
  /** Seen items per query: row `queryRows[q]` of `seen` is left out of query q's answer (exact and HNSW alike). */
  seen?: Interactions;
  queryRows?: Int32Array;
  /** Settings the vectors came from (model params, generator settings). */
  source: Record<string, unknown>;
  /** Seconds spent making the vectors (training or generating). */
  makeSeconds: number;
}

/** Graph settings and the efSearch sweep (defaults: hnswlib's usual M 16 / efConstruction 200). */
export interface TradeoffSettings {
  m: number;
  efConstruction: number;
  efSearch: readonly number[];
  spaces: readonly HnswSpace[];
  k: number;
  seed: number;
  /** Recall the operating point must reach. */
  targetRecall: number;
}

export const TRADEOFF_DEFAULTS: TradeoffSettings = {
  m: hnswDefaults.m,
  efConstruction: hnswDefaults.efConstruction,
  efSearch: [10, 20, 40, 80, 160, 320, 640],
  spaces: HNSW_SPACES,
  k: 10,
  seed: 42,
  targetRecall: 0.95,
};

/** Per-query timing of one pass over every query, one at a time. */
export interface QueryTiming {
  queriesPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

export interface TradeoffPoint extends QueryTiming {
  efSearch: number;
  /** Mean candidate list size searched: max(efSearch, k + |seen|), since the index over-fetches past seen items. */
  meanEffectiveEf: number;
  recallAt10: number;
  /** queriesPerSec over exact search's. */
  speedup: number;
}

export interface SpaceResult {
  space: HnswSpace;
  buildSeconds: number;
  points: TradeoffPoint[];
}

export interface SetResult {
  name: string;
  description: string;
  nItems: number;
  nQueries: number;
  dim: number;
  /** Seen items left out per query (mean), 0 when none. */
  meanSeen: number;
  source: Record<string, unknown>;
  makeSeconds: number;
  /** Largest item norm over the median item norm (how unequal the norms are). */
  normSpread: { min: number; p10: number; median: number; p90: number; max: number };
  /** Items whose norm is under 1e-3 of the largest (e.g. iALS factors of items nobody trained on): duplicates at the pole under 'mips-l2'. */
  nearZeroItems: number;
  /** Distinct items over all exact top-10 lists, as a share of the catalogue (how concentrated the answers are). */
  exactCoverage: number;
  exact: QueryTiming;
  spaces: SpaceResult[];
}

/** The lowest efSearch of a space that reaches the target recall, or null. */
export interface OperatingPoint {
  set: string;
  space: HnswSpace;
  point: TradeoffPoint | null;
  /** The best recall the sweep reached (when the target was not). */
  bestRecall: number;
  buildSeconds: number;
}

export interface TradeoffReport {
  schema: 1;
  createdAt: string;
  machine: { cpus: number; node: string; cpuModel: string };
  settings: TradeoffSettings;
  method: string;
  /** The space HnswIndex uses by default, and the operating points that chose it. */
  defaultSpace: HnswSpace;
  sets: SetResult[];
  operatingPoints: OperatingPoint[];
}

// ---------------------------------------------------------------------------------------------
// Embedding sets

/** Item and user factors of a model trained on lastfm-2k's bench split (train ∪ validation); queries = the test users. */
async function lastfmSet(
  name: string,
  modelName: string,
  description: string,
  options: { dataDir?: string; reportsDir: string; seed: number; params?: Record<string, unknown>; log: (s: string) => void },
): Promise<EmbeddingSet> {
  const file = join(options.reportsDir, 'lastfm-2k.json');
  const report = validateReport(JSON.parse(await readFile(file, 'utf8')), file);
  const row = report.rows.find((r) => r.model === modelName);
  if (!row) throw new ConfigError(`${file} has no "${modelName}" row to take the settings from`);
  const entry = findModel(modelName);
  const dataset = await loadSpec({ name: 'lastfm-2k', dataDir: options.dataDir });
  const split = makeSplit(dataset, report.protocol, report.seed);
  const train = entry.usesWeights ? split.fullTrain : split.fullTrain.binarize();
  // the report row's resolved settings; no validation fold here, so no early stopping either
  const params = { ...row.params, ...(options.params ?? {}) };
  options.log(`${name}: fitting ${modelName} on lastfm-2k train ∪ validation (${JSON.stringify(options.params ?? {})} over the report row's params)`);
  const model: Recommender = entry.factory.create(params);
  const t0 = performance.now();
  await model.fit(train, { seed: options.seed, catalog: dataset.catalog, dataset });
  const makeSeconds = (performance.now() - t0) / 1000;
  const { userFactors, itemFactors } = model;
  if (!userFactors || !itemFactors) throw new ConfigError(`${modelName} exposes no factors`);
  const dim = itemFactors.length / train.nItems;
  const users = usersWithItems(split.test);
  const queries = new Float32Array(users.length * dim);
  for (let q = 0; q < users.length; q++) queries.set(userFactors.subarray(users[q] * dim, users[q] * dim + dim), q * dim);
  await (model as Partial<{ dispose(): Promise<void> | void }>).dispose?.();
  return {
    name,
    description,
    dim,
    items: itemFactors.slice(),
    queries,
    seen: train,
    queryRows: users,
    source: { dataset: 'lastfm-2k', protocol: report.protocol, splitSeed: report.seed, model: modelName, params: model.params, fittedOn: 'train ∪ validation' },
    makeSeconds,
  };
}

export function lastfmIalsSet(options: { dataDir?: string; reportsDir: string; seed: number; log: (s: string) => void }): Promise<EmbeddingSet> {
  return lastfmSet('lastfm-2k iALS', 'ials', "iALS item factors and test users' factors, the ials row's settings", options);
}

export function lastfmTwoTowerSet(options: { dataDir?: string; reportsDir: string; seed: number; log: (s: string) => void }): Promise<EmbeddingSet> {
  return lastfmSet('lastfm-2k Two-Tower', 'two-tower', "Two-Tower item-tower embeddings and test users' user-tower embeddings, the two-tower row's settings", {
    ...options,
    params: { epochs: 6 },
  });
}

/** How the synthetic catalogue is generated (all seeded). */
export interface SyntheticEmbeddingOptions {
  nItems: number;
  nQueries: number;
  dim: number;
  /** Cluster centres (taste / genre directions). */
  clusters: number;
  /** Cluster sizes follow a Zipf law with this exponent (a few big genres, a long tail). */
  clusterZipf: number;
  /** Spread of an item around its centre, relative to the centre's norm (1 = as far as the centre is long). */
  withinCluster: number;
  /** Item norms are Pareto(normAlpha) with minimum 1: power-law, most items short, a few long (popular). */
  normAlpha: number;
  /** Norms above this are clipped (a learned model's regularisation bounds them). */
  maxNorm: number;
  /** Every item of norm 1 instead (a harder control: the answers no longer concentrate on the few long vectors). */
  unitNorms: boolean;
  seed: number;
}

export const SYNTHETIC_EMBEDDINGS: SyntheticEmbeddingOptions = {
  nItems: 200_000,
  nQueries: 1000,
  dim: 64,
  clusters: 300,
  clusterZipf: 1,
  withinCluster: 0.6,
  normAlpha: 2.5,
  maxNorm: 20,
  unitNorms: false,
  seed: 42,
};

/**
 * Item vectors that look like learned embeddings: directions clustered around `clusters`
 * random centres whose sizes follow a Zipf law, norms power-law (Pareto) and clipped. Queries
 * are drawn the same way (a cluster by the same law, a direction around it) with unit-scale
 * norms, since a query's norm does not change its ranking.
 */
export function syntheticSet(given: Partial<SyntheticEmbeddingOptions> = {}): EmbeddingSet {
  const o = { ...SYNTHETIC_EMBEDDINGS, ...given };
  const t0 = performance.now();
  const rng = new Rng(o.seed);
  const { dim } = o;
  const centres = rng.fork('centres').normalArray(o.clusters * dim, 1 / Math.sqrt(dim));
  // Zipf cumulative weights for picking a cluster
  const cdf = new Float64Array(o.clusters);
  let total = 0;
  for (let c = 0; c < o.clusters; c++) cdf[c] = total += 1 / (c + 1) ** o.clusterZipf;
  const pick = (r: Rng): number => {
    const x = r.next() * total;
    let lo = 0;
    let hi = o.clusters - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const draw = (r: Rng, out: Float32Array, row: number, norm: number): void => {
    const c = pick(r);
    const o2 = row * dim;
    let sq = 0;
    for (let f = 0; f < dim; f++) {
      const x = centres[c * dim + f] + (o.withinCluster / Math.sqrt(dim)) * r.normal();
      out[o2 + f] = x;
      sq += x * x;
    }
    const scale = norm / Math.sqrt(sq);
    for (let f = 0; f < dim; f++) out[o2 + f] *= scale;
  };
  const itemRng = rng.fork('items');
  const items = new Float32Array(o.nItems * dim);
  for (let i = 0; i < o.nItems; i++) {
    const pareto = Math.min(o.maxNorm, (1 - itemRng.next()) ** (-1 / o.normAlpha));
    draw(itemRng, items, i, o.unitNorms ? 1 : pareto);
  }
  const queryRng = rng.fork('queries');
  const queries = new Float32Array(o.nQueries * dim);
  for (let q = 0; q < o.nQueries; q++) draw(queryRng, queries, q, 1);
  return {
    name: `synthetic ${o.nItems.toLocaleString('en-US')}${o.unitNorms ? ' unit norms' : ''}`,
    description:
      `${o.nItems.toLocaleString('en-US')} items × ${dim} dims: directions around ${o.clusters} random centres (Zipf ${o.clusterZipf} cluster sizes, ` +
      `spread ${o.withinCluster} of a centre's length), ` +
      (o.unitNorms ? 'every norm 1 (the control: same directions as the power-law set, no long vectors)' : `norms Pareto α ${o.normAlpha} (min 1, clipped at ${o.maxNorm})`) +
      '; ' +
      `${o.nQueries.toLocaleString('en-US')} unit-norm queries drawn the same way; no seen items; seed ${o.seed}`,
    dim,
    items,
    queries,
    source: { generator: 'syntheticSet (apps/bench/src/hnswTradeoff.ts)', ...o },
    makeSeconds: (performance.now() - t0) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------
// Measurement

function seenOf(set: EmbeddingSet, q: number): Int32Array | undefined {
  return set.seen ? set.seen.itemsOf(set.queryRows ? set.queryRows[q] : q) : undefined;
}

function timingOf(samples: Float64Array, totalMs: number): QueryTiming {
  const sorted = Float64Array.from(samples).sort();
  return {
    queriesPerSec: samples.length / (totalMs / 1000),
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
  };
}

/**
 * Exact search timed like HNSW: one query at a time over the whole catalogue with
 * `exactTopK` (blocked dot products over typed arrays, bounded-heap top-k, seen items
 * excluded), after a warm-up pass over `warmup` queries.
 */
export function timeExact(set: EmbeddingSet, k: number, warmup = 20): QueryTiming {
  const { dim, items, queries } = set;
  const nQueries = queries.length / dim;
  const one = new Int32Array(1);
  const run = (q: number): void => {
    one[0] = set.queryRows ? set.queryRows[q] : q;
    exactTopK(queries.subarray(q * dim, q * dim + dim), items, dim, k, set.seen ? { exclude: set.seen, users: one } : {});
  };
  for (let q = 0; q < Math.min(warmup, nQueries); q++) run(q);
  const samples = new Float64Array(nQueries);
  const start = performance.now();
  for (let q = 0; q < nQueries; q++) {
    const t = performance.now();
    run(q);
    samples[q] = performance.now() - t;
  }
  return timingOf(samples, performance.now() - start);
}

/** Every query through the index one at a time (after a warm-up pass): the answers and their timing. */
export function timeHnsw(index: HnswIndex, set: EmbeddingSet, k: number, warmup = 100): { items: Int32Array; timing: QueryTiming } {
  const { dim, queries } = set;
  const nQueries = queries.length / dim;
  const hits: HnswHits = { items: new Int32Array(k), scores: new Float32Array(k), count: 0 };
  for (let q = 0; q < Math.min(warmup, nQueries); q++) index.search(queries.subarray(q * dim, q * dim + dim), k, seenOf(set, q), hits);
  const items = new Int32Array(nQueries * k);
  const samples = new Float64Array(nQueries);
  const start = performance.now();
  for (let q = 0; q < nQueries; q++) {
    const query = queries.subarray(q * dim, q * dim + dim);
    const seen = seenOf(set, q);
    const t = performance.now();
    index.search(query, k, seen, hits);
    samples[q] = performance.now() - t;
    items.set(hits.items, q * k);
  }
  return { items, timing: timingOf(samples, performance.now() - start) };
}

function distinctShare(lists: Int32Array, nItems: number): number {
  const seen = new Uint8Array(nItems);
  let distinct = 0;
  for (const i of lists) if (i >= 0 && !seen[i]) (seen[i] = 1), distinct++;
  return distinct / nItems;
}

function nearZeroCount(items: Float32Array, dim: number, max: number): number {
  let count = 0;
  for (let o = 0; o < items.length; o += dim) {
    let s = 0;
    for (let f = 0; f < dim; f++) s += items[o + f] ** 2;
    if (Math.sqrt(s) < 1e-3 * max) count++;
  }
  return count;
}

function normSpread(items: Float32Array, dim: number): SetResult['normSpread'] {
  const n = items.length / dim;
  const norms: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let f = 0; f < dim; f++) s += items[i * dim + f] ** 2;
    norms[i] = Math.sqrt(s);
  }
  norms.sort((a, b) => a - b);
  return { min: norms[0], p10: quantile(norms, 0.1), median: quantile(norms, 0.5), p90: quantile(norms, 0.9), max: norms[n - 1] };
}

/** Exact answers, exact timing, then per space: build time and the efSearch sweep. */
export function measureSet(set: EmbeddingSet, settings: TradeoffSettings, log: (s: string) => void = () => {}): SetResult {
  const { dim, items, queries } = set;
  const { k } = settings;
  const nItems = items.length / dim;
  const nQueries = queries.length / dim;
  const truth = exactTopK(queries, items, dim, k, set.seen ? { exclude: set.seen, users: set.queryRows } : {});
  const exact = timeExact(set, k);
  log(`${set.name}: exact ${exact.queriesPerSec.toFixed(1)} q/s (p50 ${exact.p50Ms.toFixed(3)} ms)`);
  const spaces: SpaceResult[] = [];
  for (const space of settings.spaces) {
    const t0 = performance.now();
    const index = new HnswIndex({ m: settings.m, efConstruction: settings.efConstruction, seed: settings.seed, space }).build(items, dim);
    const buildSeconds = (performance.now() - t0) / 1000;
    log(`${set.name} ${space}: built in ${buildSeconds.toFixed(1)} s`);
    const points: TradeoffPoint[] = [];
    for (const efSearch of settings.efSearch) {
      index.setEfSearch(efSearch);
      const { items: approx, timing } = timeHnsw(index, set, k);
      let effective = 0;
      for (let q = 0; q < nQueries; q++) effective += Math.max(efSearch, Math.min(nItems, k + (seenOf(set, q)?.length ?? 0)));
      const point = {
        efSearch,
        meanEffectiveEf: effective / nQueries,
        recallAt10: recallAtK(approx, truth.items, k),
        ...timing,
        speedup: timing.queriesPerSec / exact.queriesPerSec,
      };
      log(`  ef ${efSearch}: recall@${k} ${point.recallAt10.toFixed(4)}, ${timing.queriesPerSec.toFixed(0)} q/s (×${point.speedup.toFixed(1)} exact)`);
      points.push(point);
    }
    spaces.push({ space, buildSeconds, points });
  }
  let seenTotal = 0;
  for (let q = 0; q < nQueries; q++) seenTotal += seenOf(set, q)?.length ?? 0;
  const norms = normSpread(items, dim);
  return {
    name: set.name,
    description: set.description,
    nItems,
    nQueries,
    dim,
    meanSeen: seenTotal / nQueries,
    source: set.source,
    makeSeconds: set.makeSeconds,
    normSpread: norms,
    nearZeroItems: nearZeroCount(items, dim, norms.max),
    exactCoverage: distinctShare(truth.items, nItems),
    exact,
    spaces,
  };
}

/** The lowest efSearch of each set × space that reaches `target`. */
export function operatingPoints(sets: readonly SetResult[], target: number): OperatingPoint[] {
  const out: OperatingPoint[] = [];
  for (const set of sets) {
    for (const s of set.spaces) {
      const point = s.points.find((p) => p.recallAt10 >= target) ?? null;
      out.push({ set: set.name, space: s.space, point, bestRecall: Math.max(...s.points.map((p) => p.recallAt10)), buildSeconds: s.buildSeconds });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Report

const f3 = (x: number): string => x.toFixed(3);
const f4 = (x: number): string => x.toFixed(4);
const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const speed = (x: number): string => (x >= 10 ? x.toFixed(0) : x.toFixed(1));

export function renderTradeoffMarkdown(report: TradeoffReport): string {
  const { settings } = report;
  const lines: string[] = [
    '# HNSW recall / speed trade-off',
    '',
    `created: ${report.createdAt} · machine: ${report.machine.cpus} CPUs (${report.machine.cpuModel}), node ${report.machine.node} · ` +
      `hnswlib-node, M ${settings.m}, efConstruction ${settings.efConstruction}, seed ${settings.seed}`,
    '',
    report.method,
    '',
    `HnswIndex's default space: **${report.defaultSpace}**. ` +
      settings.spaces
        .map((space) => {
          const mine = report.operatingPoints.filter((o) => o.space === space);
          return `${space} reaches recall@${settings.k} ≥ ${settings.targetRecall} on ${mine.filter((o) => o.point).length} of ${mine.length} sets`;
        })
        .join('; ') +
      '.',
    '',
    `## Operating points (lowest efSearch with recall@${settings.k} ≥ ${settings.targetRecall})`,
    '',
    '| set | space | efSearch | recall@10 | HNSW q/s | exact q/s | speed-up | HNSW p50 / p99 ms | build s |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const op of report.operatingPoints) {
    const set = report.sets.find((s) => s.name === op.set)!;
    const p = op.point;
    lines.push(
      p
        ? `| ${op.set} | ${op.space} | ${p.efSearch} | ${f4(p.recallAt10)} | ${int(p.queriesPerSec)} | ${int(set.exact.queriesPerSec)} | ${speed(p.speedup)}× | ${f3(p.p50Ms)} / ${f3(p.p99Ms)} | ${op.buildSeconds.toFixed(1)} |`
        : `| ${op.set} | ${op.space} | not reached (best ${f4(op.bestRecall)}) | – | – | ${int(set.exact.queriesPerSec)} | – | – | ${op.buildSeconds.toFixed(1)} |`,
    );
  }
  for (const set of report.sets) {
    lines.push(
      '',
      `## ${set.name}`,
      '',
      `${set.description}. ${int(set.nItems)} items × ${set.dim} dims, ${int(set.nQueries)} queries` +
        (set.meanSeen > 0 ? `, ${set.meanSeen.toFixed(1)} seen items per query left out (exact and HNSW)` : '') +
        `; item norms min ${set.normSpread.min.toFixed(3)} / p10 ${set.normSpread.p10.toFixed(3)} / median ${set.normSpread.median.toFixed(3)} / ` +
        `p90 ${set.normSpread.p90.toFixed(3)} / max ${set.normSpread.max.toFixed(3)}` +
        (set.nearZeroItems > 0 ? ` (${int(set.nearZeroItems)} items near zero: under 1e-3 of the largest)` : '') +
        `; the exact top-10 lists cover ${(100 * set.exactCoverage).toFixed(1)} % of the items; vectors made in ${set.makeSeconds.toFixed(1)} s.`,
      '',
      `Exact (\`exactTopK\`, one query at a time): **${int(set.exact.queriesPerSec)} q/s**, p50 ${f3(set.exact.p50Ms)} ms, p99 ${f3(set.exact.p99Ms)} ms. ` +
        `Build: ${set.spaces.map((s) => `${s.space} ${s.buildSeconds.toFixed(1)} s`).join(', ')}.`,
      '',
      '| efSearch | mean ef searched | ' + set.spaces.map((s) => `${s.space} recall@10 | ${s.space} q/s | ${s.space} speed-up | ${s.space} p50 / p99 ms`).join(' | ') + ' |',
      '| ---: | ---: | ' + set.spaces.map(() => '---: | ---: | ---: | ---:').join(' | ') + ' |',
    );
    for (const [j, ef] of settings.efSearch.entries()) {
      const cells = set.spaces.map((s) => {
        const p = s.points[j];
        return `${f4(p.recallAt10)} | ${int(p.queriesPerSec)} | ${speed(p.speedup)}× | ${f3(p.p50Ms)} / ${f3(p.p99Ms)}`;
      });
      lines.push(`| ${ef} | ${set.spaces[0].points[j].meanEffectiveEf.toFixed(0)} | ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n') + '\n';
}

export const TRADEOFF_METHOD =
  'Recall@10 is against exact top-10 over the same vectors (`exactTopK`), seen items excluded in both. ' +
  'The index over-fetches k + |seen| neighbours to leave seen items out, so the candidate list searched is max(efSearch, k + |seen|) ' +
  '("mean ef searched"): below that, a smaller efSearch changes nothing. ' +
  'Timing: every query once, one at a time on one thread (`HnswIndex.search`, over-fetching k + |seen| and dropping the seen ones; ' +
  '`exactTopK` over the whole catalogue for exact), each query timed with performance.now() after a warm-up pass; ' +
  'q/s = queries / total time of the pass, p50 / p99 over the per-query times. Build is single-threaded (`addPoint` one item at a time).';

/**
 * The default space: the one whose operating points reach the target recall on more sets, then
 * with the larger geometric-mean speed-up over the sets both reach.
 */
export function chooseDefaultSpace(points: readonly OperatingPoint[], spaces: readonly HnswSpace[]): HnswSpace {
  const score = (space: HnswSpace) => {
    const mine = points.filter((p) => p.space === space);
    const reached = mine.filter((p) => p.point).length;
    return { reached, mine };
  };
  const sorted = [...spaces].sort((a, b) => {
    const sa = score(a);
    const sb = score(b);
    if (sa.reached !== sb.reached) return sb.reached - sa.reached;
    // both reach on the same number of sets: compare speed-ups where both reached
    let logRatio = 0;
    for (const pa of sa.mine) {
      const pb = sb.mine.find((p) => p.set === pa.set);
      if (pa.point && pb?.point) logRatio += Math.log(pa.point.speedup / pb.point.speedup);
    }
    return -logRatio;
  });
  return sorted[0];
}

export interface HnswTradeoffOptions {
  sets: readonly (typeof TRADEOFF_SETS)[number][];
  settings: TradeoffSettings;
  synthetic: Partial<SyntheticEmbeddingOptions>;
  dataDir?: string;
  reportsDir: string;
  outDir: string;
  log: (s: string) => void;
}

export const TRADEOFF_SETS = ['lastfm-ials', 'lastfm-two-tower', 'synthetic', 'synthetic-unit-norms'] as const;

/** Makes each embedding set, measures it, writes `hnsw-tradeoff.{json,md}` into outDir. */
export async function runHnswTradeoff(options: HnswTradeoffOptions): Promise<TradeoffReport> {
  const results: SetResult[] = [];
  const common = { dataDir: options.dataDir, reportsDir: options.reportsDir, seed: options.settings.seed, log: options.log };
  for (const name of options.sets) {
    const set =
      name === 'lastfm-ials'
        ? await lastfmIalsSet(common)
        : name === 'lastfm-two-tower'
          ? await lastfmTwoTowerSet(common)
          : syntheticSet({ ...options.synthetic, unitNorms: name === 'synthetic-unit-norms' });
    options.log(`${set.name}: ${set.items.length / set.dim} items × ${set.dim}, ${set.queries.length / set.dim} queries (made in ${set.makeSeconds.toFixed(1)} s)`);
    results.push(measureSet(set, options.settings, options.log));
  }
  const ops = operatingPoints(results, options.settings.targetRecall);
  const report: TradeoffReport = {
    schema: 1,
    createdAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, cpuModel: os.cpus()[0]?.model ?? 'unknown' },
    settings: options.settings,
    method: TRADEOFF_METHOD,
    defaultSpace: hnswDefaults.space,
    sets: results,
    operatingPoints: ops,
  };
  const better = chooseDefaultSpace(ops, options.settings.spaces);
  if (better !== hnswDefaults.space) options.log(`note: by these numbers '${better}' would be the better default (HnswIndex's is '${hnswDefaults.space}')`);
  await writeFile(join(options.outDir, 'hnsw-tradeoff.json'), JSON.stringify(report, null, 2) + '\n');
  await writeFile(join(options.outDir, 'hnsw-tradeoff.md'), renderTradeoffMarkdown(report));
  return report;
}

/** `bench hnsw-tradeoff`: yargs command module (cli.ts wires it with one `.command(...)`). */
export const hnswTradeoffCommand = {
  command: 'hnsw-tradeoff',
  describe:
    'HNSW recall@10 / queries per second against exact search over efSearch, in both spaces (ip, mips-l2), on lastfm-2k iALS and Two-Tower embeddings and a 200k synthetic catalogue; writes benchmarks/reports/hnsw-tradeoff.{json,md}',
  builder: (y: Argv) =>
    y
      .option('sets', { type: 'array', string: true, choices: TRADEOFF_SETS, default: [...TRADEOFF_SETS], describe: 'embedding sets to measure' })
      .option('ef-search', { type: 'array', number: true, default: [...TRADEOFF_DEFAULTS.efSearch], describe: 'efSearch values swept' })
      .option('spaces', { type: 'array', string: true, choices: HNSW_SPACES, default: [...HNSW_SPACES], describe: 'HnswIndex spaces compared' })
      .option('m', { type: 'number', default: TRADEOFF_DEFAULTS.m, describe: 'HNSW links per node' })
      .option('ef-construction', { type: 'number', default: TRADEOFF_DEFAULTS.efConstruction })
      .option('seed', { type: 'number', default: TRADEOFF_DEFAULTS.seed, describe: 'graph seed and model seed' })
      .option('synthetic-items', { type: 'number', default: SYNTHETIC_EMBEDDINGS.nItems, describe: 'size of the synthetic catalogue' })
      .option('synthetic-queries', { type: 'number', default: SYNTHETIC_EMBEDDINGS.nQueries })
      .option('reports', { type: 'string', default: join(repoRoot(), 'benchmarks', 'reports'), describe: 'where lastfm-2k.json (the rows\' settings) is read' })
      .option('out', { type: 'string', describe: 'output directory (default: --reports)' })
      .option('data-dir', { type: 'string', describe: 'data directory (else $MUSICREC_DATA_DIR, else datasets/cache)' }),
  handler: async (args: {
    sets: string[];
    efSearch: number[];
    spaces: string[];
    m: number;
    efConstruction: number;
    seed: number;
    syntheticItems: number;
    syntheticQueries: number;
    reports: string;
    out?: string;
    dataDir?: string;
  }): Promise<void> => {
    const t0 = performance.now();
    const report = await runHnswTradeoff({
      sets: args.sets as HnswTradeoffOptions['sets'],
      settings: { ...TRADEOFF_DEFAULTS, m: args.m, efConstruction: args.efConstruction, efSearch: args.efSearch, spaces: args.spaces as HnswSpace[], seed: args.seed },
      synthetic: { nItems: args.syntheticItems, nQueries: args.syntheticQueries },
      dataDir: args.dataDir,
      reportsDir: args.reports,
      outDir: args.out ?? args.reports,
      log: (s) => console.error(s),
    });
    process.stdout.write(renderTradeoffMarkdown(report));
    console.error(`hnsw-tradeoff: ${((performance.now() - t0) / 1000).toFixed(0)} s, written to ${join(args.out ?? args.reports, 'hnsw-tradeoff')}.{json,md}`);
  },
};
