import { describe, expect, it } from 'vitest';
import { ConfigError, topK } from '@musicrec/core';
import type { Interactions } from '@musicrec/core';
import { sequencesFromInteractions } from './sequences';
import { holdoutSplit } from './split';
import { datasetStats } from './stats';
import { generateSynthetic } from './synthetic';

describe('generateSynthetic', () => {
  const small = { nUsers: 600, nItems: 400, nInteractions: 15_000, seed: 3 };
  const ds = generateSynthetic(small);
  const x = ds.interactions;

  it('has the requested size (interactions within 2% of the target) and valid CSR rows', () => {
    expect(ds.name).toBe('synthetic');
    expect(x.nUsers).toBe(600);
    expect(x.nItems).toBe(400);
    expect(Math.abs(x.nnz - 15_000) / 15_000).toBeLessThan(0.02);
    let shortRows = 0;
    let unsorted = 0;
    for (let u = 0; u < x.nUsers; u++) {
      if (x.rowLength(u) < 2) shortRows++;
      for (let k = x.indptr[u] + 1; k < x.indptr[u + 1]; k++) if (x.indices[k] <= x.indices[k - 1]) unsorted++;
    }
    expect(shortRows).toBe(0);
    expect(unsorted).toBe(0);
    expect(Math.min(...x.values)).toBeGreaterThanOrEqual(1);
  });

  it('hits other sizes too, including when heavy users hit the per-user cap', () => {
    const tight = generateSynthetic({ nUsers: 300, nItems: 60, nInteractions: 6000, seed: 1 }); // 20 of a 30 cap per user
    expect(Math.abs(tight.interactions.nnz - 6000) / 6000).toBeLessThan(0.02);
    const wide = generateSynthetic({ nUsers: 5000, nItems: 3000, nInteractions: 200_000, nClusters: 12, nGenres: 6, seed: 2 });
    expect(Math.abs(wide.interactions.nnz - 200_000) / 200_000).toBeLessThan(0.02);
    expect(wide.catalog.genres!.length).toBe(3000);
  });

  it('same seed gives the same data, another seed different data', () => {
    const again = generateSynthetic(small);
    expect(Array.from(again.interactions.indices)).toEqual(Array.from(x.indices));
    expect(Array.from(again.interactions.values)).toEqual(Array.from(x.values));
    expect(Array.from(again.interactions.timestamps!)).toEqual(Array.from(x.timestamps!));
    expect(Array.from(again.catalog.audio!.values)).toEqual(Array.from(ds.catalog.audio!.values));
    const other = generateSynthetic({ ...small, seed: 4 });
    expect(Array.from(other.interactions.indices)).not.toEqual(Array.from(x.indices));
  });

  it('has power-law popularity and heavy-tailed user activity', () => {
    // at the bench-quick size (the small fixture is too dense: popular items saturate)
    const quick = generateSynthetic({ nUsers: 2000, nItems: 1500, nInteractions: 60_000, seed: 7 }).interactions;
    expect(datasetStats(quick).itemGini).toBeGreaterThan(0.45);
    const counts = Array.from(quick.itemCounts()).sort((a, b) => b - a);
    const top = counts.slice(0, 150).reduce((a, b) => a + b, 0);
    expect(top / quick.nnz).toBeGreaterThan(0.3); // the top 10% of items hold over 30% of the interactions
    const stats = datasetStats(x);
    expect(stats.perUser.max / stats.perUser.median).toBeGreaterThan(5);
  });

  it('timestamps increase along each user sequence, which matches the interactions', () => {
    const seq = ds.sequences!;
    let backwards = 0;
    for (let u = 0; u < x.nUsers; u++) {
      for (let k = seq.indptr[u] + 1; k < seq.indptr[u + 1]; k++) if (seq.timestamps[k] <= seq.timestamps[k - 1]) backwards++;
    }
    expect(backwards).toBe(0);
    const rebuilt = sequencesFromInteractions(x);
    expect(Array.from(rebuilt.items)).toEqual(Array.from(seq.items));
    expect(Array.from(rebuilt.timestamps)).toEqual(Array.from(seq.timestamps));
  });

  it('content carries the cluster: artists nested in clusters, genres, tags and audio follow it', () => {
    const { itemCluster, itemArtist } = ds.latent;
    const cat = ds.catalog;
    expect(cat.itemIds).toEqual(x.itemIds);
    // every artist's items share one cluster
    const artistCluster = new Map<number, number>();
    for (let i = 0; i < x.nItems; i++) {
      const c = artistCluster.get(itemArtist[i]);
      if (c !== undefined) expect(c).toBe(itemCluster[i]);
      artistCluster.set(itemArtist[i], itemCluster[i]);
      expect(cat.artists![i]).toBe(`Artist ${itemArtist[i]}`);
    }
    // genre g belongs to cluster g % 8 for ~90% of items
    let genreMatches = 0;
    for (let i = 0; i < x.nItems; i++) if (Number(cat.genres![i]!.slice('genre-'.length)) % 8 === itemCluster[i]) genreMatches++;
    expect(genreMatches / x.nItems).toBeGreaterThan(0.85);
    // most tag assignments are the item's cluster tags
    const tags = cat.tags!;
    let own = 0;
    for (let i = 0; i < x.nItems; i++) {
      for (let k = tags.indptr[i]; k < tags.indptr[i + 1]; k++) if (tags.tagNames[tags.tagIndices[k]].startsWith(`cluster-${itemCluster[i]}-`)) own++;
    }
    expect(own / tags.tagIndices.length).toBeGreaterThan(0.7);
    // audio: nearest cluster mean classifies items well
    const audio = cat.audio!;
    const d = audio.columns.length;
    expect(d).toBe(12);
    expect(Array.from(audio.present).every((p) => p === 1)).toBe(true);
    const means = new Float64Array(8 * d);
    const sizes = new Float64Array(8);
    for (let i = 0; i < x.nItems; i++) {
      sizes[itemCluster[i]]++;
      for (let j = 0; j < d; j++) means[itemCluster[i] * d + j] += audio.values[i * d + j];
    }
    for (let c = 0; c < 8; c++) for (let j = 0; j < d; j++) means[c * d + j] /= sizes[c];
    let correct = 0;
    for (let i = 0; i < x.nItems; i++) {
      let best = -1;
      let bestDist = Infinity;
      for (let c = 0; c < 8; c++) {
        let dist = 0;
        for (let j = 0; j < d; j++) dist += (audio.values[i * d + j] - means[c * d + j]) ** 2;
        if (dist < bestDist) {
          bestDist = dist;
          best = c;
        }
      }
      if (best === itemCluster[i]) correct++;
    }
    expect(correct / x.nItems).toBeGreaterThan(0.9);
    for (const y of cat.releaseYears!) expect(y >= 1950 && y <= 2024).toBe(true);
  });

  it('users draw mostly from their preferred clusters', () => {
    const { itemCluster, userCluster, userSecondCluster } = ds.latent;
    let inPreferred = 0;
    for (let u = 0; u < x.nUsers; u++) {
      for (const i of x.itemsOf(u)) if (itemCluster[i] === userCluster[u] || itemCluster[i] === userSecondCluster[u]) inPreferred++;
    }
    expect(inPreferred / x.nnz).toBeGreaterThan(0.7);
  });

  it('is learnable: item co-occurrence beats popularity on a holdout split', () => {
    const split = holdoutSplit(x, { seed: 1 });
    const popularity = Float32Array.from(split.fullTrain.itemCounts());
    const knnScores = cooccurrenceScorer(split.fullTrain);
    const hitRate = (score: (u: number) => Float32Array): number => {
      let hits = 0;
      let users = 0;
      const top = new Int32Array(10);
      for (let u = 0; u < x.nUsers; u++) {
        if (split.test.rowLength(u) === 0) continue;
        users++;
        topK(score(u), 10, top, undefined, split.fullTrain.itemsOf(u));
        if (Array.from(top).some((i) => i >= 0 && split.test.has(u, i))) hits++;
      }
      return hits / users;
    };
    const pop = hitRate(() => popularity);
    const knn = hitRate(knnScores);
    expect(knn).toBeGreaterThan(pop * 1.3);
  });

  it('rejects unknown options and impossible sizes', () => {
    expect(() => generateSynthetic({ nUser: 5 } as never)).toThrow(/unknown option "nUser"/);
    expect(() => generateSynthetic({ nUsers: 100, nItems: 50, nInteractions: 100 })).toThrow(ConfigError);
    expect(() => generateSynthetic({ nUsers: 10, nItems: 50, nInteractions: 300 })).toThrow(/nUsers × nItems \/ 2 \(250\)/);
    expect(() => generateSynthetic({ nClusters: 0 })).toThrow(/nClusters must be a positive integer/);
  });
});

/** Cosine item–item co-occurrence scores summed over the user's training items. */
function cooccurrenceScorer(train: Interactions): (u: number) => Float32Array {
  const n = train.nItems;
  const co = new Float64Array(n * n);
  for (let u = 0; u < train.nUsers; u++) {
    const row = train.itemsOf(u);
    for (const a of row) for (const b of row) co[a * n + b]++;
  }
  const norm = new Float64Array(n);
  for (let i = 0; i < n; i++) norm[i] = Math.sqrt(co[i * n + i]) || 1;
  const out = new Float32Array(n);
  return (u) => {
    out.fill(0);
    for (const a of train.itemsOf(u)) {
      for (let b = 0; b < n; b++) if (a !== b) out[b] += co[a * n + b] / (norm[a] * norm[b]);
    }
    return out;
  };
}
