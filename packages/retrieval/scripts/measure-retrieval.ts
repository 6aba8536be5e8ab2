/**
 * One-shot serving measurement on lastfm-2k-sized random factors (1,892 users × 17,632 items,
 * dim 64, 49 seen items per user like the dataset's mean): HNSW build time, recall@10 against
 * exact search, per-query latency of HNSW vs exact, and the ONNX dot-product scorer's
 * one-user latency. Run: `npx tsx packages/retrieval/scripts/measure-retrieval.ts`.
 */
import { Interactions, Rng } from '@musicrec/core';
import { exportDotProductScorer } from '@musicrec/models-neural';
import { HnswIndex, OnnxScorer, exactTopK, hnswTopK, recallAtK } from '../src/index';

const nUsers = 1892;
const nItems = 17632;
const dim = 64;
const seenPerUser = 49;
const latencyUsers = 300;

const rng = new Rng(42);
const userFactors = rng.normalArray(nUsers * dim, 1);
const itemFactors = rng.normalArray(nItems * dim, 1);
const tu: number[] = [];
const ti: number[] = [];
for (let u = 0; u < nUsers; u++) for (let s = 0; s < seenPerUser; s++) (tu.push(u), ti.push(rng.int(nItems)));
const seen = Interactions.fromTriples(tu, ti, null, Array.from({ length: nUsers }, (_, i) => `u${i}`), Array.from({ length: nItems }, (_, i) => `i${i}`));

function percentiles(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.round((s.length - 1) * q))];
  return `p50 ${at(0.5).toFixed(3)} ms, p95 ${at(0.95).toFixed(3)} ms, p99 ${at(0.99).toFixed(3)} ms`;
}

let t = performance.now();
const exact = exactTopK(userFactors, itemFactors, dim, 10, { exclude: seen });
console.log(`exact top-10 of all ${nUsers} users: ${((performance.now() - t) / 1000).toFixed(2)} s`);

for (const config of [{ m: 16, efConstruction: 200 }]) {
  t = performance.now();
  const index = new HnswIndex({ ...config, efSearch: 100, seed: 42 }).build(itemFactors, dim);
  console.log(`HNSW build m=${config.m} efConstruction=${config.efConstruction}: ${((performance.now() - t) / 1000).toFixed(2)} s`);
  for (const efSearch of [50, 100, 200]) {
    index.setEfSearch(efSearch);
    t = performance.now();
    const approx = hnswTopK(index, userFactors, 10, { exclude: seen });
    const perQuery = (performance.now() - t) / nUsers;
    console.log(`  efSearch ${efSearch}: recall@10 ${recallAtK(approx.items, exact.items, 10).toFixed(4)}, mean ${perQuery.toFixed(3)} ms/query`);
  }
  index.setEfSearch(100);
  const hnswSamples: number[] = [];
  const hits = { items: new Int32Array(10), scores: new Float32Array(10), count: 0 };
  for (let u = 0; u < latencyUsers; u++) {
    const start = performance.now();
    index.search(userFactors.subarray(u * dim, u * dim + dim), 10, seen.itemsOf(u), hits);
    hnswSamples.push(performance.now() - start);
  }
  console.log(`HNSW one user top-10 (efSearch 100): ${percentiles(hnswSamples)}`);
}

const exactSamples: number[] = [];
for (let u = 0; u < latencyUsers; u++) {
  const start = performance.now();
  exactTopK(userFactors.subarray(u * dim, u * dim + dim), itemFactors, dim, 10, { exclude: seen, users: Int32Array.of(u) });
  exactSamples.push(performance.now() - start);
}
console.log(`exact one user top-10: ${percentiles(exactSamples)}`);

const scorer = await OnnxScorer.create(exportDotProductScorer({ userEmbedding: userFactors, itemEmbedding: itemFactors, dim }));
console.log(`ONNX provider ${scorer.provider}; failed before it: ${scorer.tried.map((f) => f.provider).join(', ') || 'none'}`);
for (let u = 0; u < 20; u++) await scorer.scoreUsers(Int32Array.of(u)); // warm-up
const onnxSamples: number[] = [];
for (let u = 0; u < latencyUsers; u++) {
  const start = performance.now();
  await scorer.scoreUsers(Int32Array.of(u));
  onnxSamples.push(performance.now() - start);
}
console.log(`ONNX dot-product scores, one user × ${nItems} items: ${percentiles(onnxSamples)}`);
t = performance.now();
const all = Int32Array.from({ length: nUsers }, (_, u) => u);
await scorer.scoreUsersBatched(all, nItems, 256);
console.log(`ONNX all ${nUsers} users in batches of 256: ${(nUsers / ((performance.now() - t) / 1000)).toFixed(0)} users/s (scores only)`);
await scorer.release();
