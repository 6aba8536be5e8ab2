import { recommendTopK, range, type Recommender } from '@musicrec/core';
import { holdoutSplit, loadSpotifyPlaylists } from '@musicrec/data';
import { ContentKnnRecommender, ItemKnnRecommender, PopularityRecommender, itemKnnFactory } from '../index';

const ds = await loadSpotifyPlaylists({ dataDir: process.env.MUSICREC_DATA_DIR ?? '/work/shared/datasets' } as never);
const split = holdoutSplit(ds.interactions, { seed: 42 });
const train = split.fullTrain;
const test = split.test;
const n = train.nItems;
let present = 0;
for (let i = 0; i < n; i++) present += ds.catalog.audio!.present[i];
console.log('items', n, 'users', train.nUsers, 'audio present', present, 'train nnz', train.nnz, 'test nnz', test.nnz);
const K = 10;
function ndcgRows(model: Recommender): Float64Array {
  const users = range(train.nUsers);
  const top = recommendTopK(model, users, n, K, { exclude: train, batchSize: 64 });
  const out = new Float64Array(train.nUsers).fill(NaN);
  for (let u = 0; u < train.nUsers; u++) {
    const t = test.itemsOf(u);
    if (t.length === 0) continue;
    const set = new Set(t);
    let dcg = 0, idcg = 0;
    for (let r = 0; r < K; r++) if (set.has(top.items[u * K + r])) dcg += 1 / Math.log2(r + 2);
    for (let r = 0; r < Math.min(K, t.length); r++) idcg += 1 / Math.log2(r + 2);
    out[u] = dcg / idcg;
  }
  return out;
}
const buckets: [string, number, number][] = [['all', 0, Infinity], ['1-2', 1, 2], ['3-10', 3, 10], ['11+', 11, Infinity]];
const models: [string, Recommender][] = [
  ['popularity', new PopularityRecommender()],
  ['item-knn', itemKnnFactory.create()],
  ['content-knn knn-sum k=50', new ContentKnnRecommender()],
  ['content-knn mean', new ContentKnnRecommender({ profile: 'mean' })],
];
for (const [name, m] of models) {
  const t0 = performance.now();
  await m.fit(train, { seed: 42, catalog: ds.catalog });
  const fitS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  m.scoreUsers(range(train.nUsers));
  const scoreS = (performance.now() - t1) / 1000;
  const nd = ndcgRows(m);
  const cells = buckets.map(([b, lo, hi]) => {
    let s = 0, c = 0;
    for (let u = 0; u < train.nUsers; u++) { const l = train.rowLength(u); if (nd[u] === nd[u] && l >= lo && l <= hi) { s += nd[u]; c++; } }
    return `${b}: ${(s / c).toFixed(4)} (n=${c})`;
  });
  console.log(`${name} | fit ${fitS.toFixed(2)} s | score-all ${scoreS.toFixed(3)} s | ${cells.join(' | ')}`);
}
