import { ConfigError, Interactions, Rng, emptyLoadReport, resolveConfig } from '@musicrec/core';
import type { Catalog, Dataset, ItemTags, Sequences } from '@musicrec/core';

export interface SyntheticConfig {
  nUsers: number;
  nItems: number;
  /** Target number of distinct (user, item) pairs; the result is within a fraction of a percent. */
  nInteractions: number;
  /** Latent taste clusters; every item belongs to one, every user prefers one or two. */
  nClusters: number;
  /** Genres, each owned by one cluster (round-robin), so genre carries cluster signal. */
  nGenres: number;
  seed: number;
  /** Audio feature columns, drawn around per-cluster centroids. */
  audioDims: number;
  /** Zipf exponent: the item of popularity rank r has weight 1 / (r + 1)^s. */
  popularityExponent: number;
  /** Share of draws from the whole catalogue (∝ popularity) instead of the user's clusters. */
  noiseFraction: number;
  /** Probability that a user has a second preferred cluster. */
  secondClusterProbability: number;
  /** Probability that an in-cluster draw stays with the previous item's artist (sequential signal). */
  artistContinuation: number;
  /** σ of the log-normal user activity (heavy tail: a few users listen to far more items). */
  activitySigma: number;
  /** Fewest distinct items a user gets (2 lets every user have a test item). */
  minPerUser: number;
  /** Average items per artist; artists are nested in clusters. */
  itemsPerArtist: number;
  /** First possible timestamp, Unix milliseconds (2019-01-01). */
  startTime: number;
}

export const syntheticDefaults: SyntheticConfig = {
  nUsers: 2000,
  nItems: 1500,
  nInteractions: 60_000,
  nClusters: 8,
  nGenres: 16,
  seed: 42,
  audioDims: 12,
  popularityExponent: 1,
  noiseFraction: 0.1,
  secondClusterProbability: 0.5,
  artistContinuation: 0.3,
  activitySigma: 1,
  minPerUser: 2,
  itemsPerArtist: 10,
  startTime: 1_546_300_800_000,
};

/** The latent structure behind a synthetic dataset, for tests that check it is learnable. */
export interface SyntheticLatent {
  readonly itemCluster: Int32Array;
  readonly itemArtist: Int32Array;
  /** Per user the preferred cluster and the second one (-1 when the user has only one). */
  readonly userCluster: Int32Array;
  readonly userSecondCluster: Int32Array;
}

export interface SyntheticDataset extends Dataset {
  readonly latent: SyntheticLatent;
}

const CLUSTER_TAGS = 4;
const GENERIC_TAGS = 6;
const SPREAD_MS = 2 * 365 * 86_400_000;
const MEAN_GAP_MS = 6 * 3_600_000;

/**
 * A seeded synthetic listening dataset with learnable structure: latent taste clusters
 * own the items, their artists, genres, tags, release eras and audio centroids; users
 * prefer one or two clusters and draw items from them ∝ Zipf popularity, with some
 * catalogue-wide noise. Sampling uses alias tables, rows are built straight into CSR.
 */
export function generateSynthetic(options: Partial<SyntheticConfig> = {}): SyntheticDataset {
  const cfg = resolveConfig('generateSynthetic', syntheticDefaults, options);
  validate(cfg);
  const root = new Rng(cfg.seed);
  const items = makeItems(cfg, root.fork('items'));
  const targets = userTargets(cfg, root.fork('activity'));
  const { interactions, sequences, userCluster, userSecondCluster } = drawInteractions(
    cfg,
    items,
    targets,
    root.fork('draws'),
  );
  const catalog = makeCatalog(cfg, items, root.fork('catalog'));
  const loadReport = emptyLoadReport();
  loadReport.notes.push(
    `synthetic: ${cfg.nUsers} users × ${cfg.nItems} items, ${interactions.nnz} interactions ` +
      `(target ${cfg.nInteractions}), ${cfg.nClusters} clusters, seed ${cfg.seed}`,
  );
  return {
    name: 'synthetic',
    interactions,
    catalog,
    sequences,
    loadReport,
    latent: { itemCluster: items.cluster, itemArtist: items.artist, userCluster, userSecondCluster },
  };
}

function validate(cfg: SyntheticConfig): void {
  const positiveInts: (keyof SyntheticConfig)[] = ['nUsers', 'nItems', 'nClusters', 'nGenres', 'itemsPerArtist'];
  for (const key of positiveInts) {
    if (!Number.isInteger(cfg[key]) || cfg[key] < 1) {
      throw new ConfigError(`generateSynthetic: ${key} must be a positive integer, got ${cfg[key]}`);
    }
  }
  if (!Number.isInteger(cfg.nInteractions)) {
    throw new ConfigError(`generateSynthetic: nInteractions must be an integer, got ${cfg.nInteractions}`);
  }
  if (!Number.isInteger(cfg.audioDims) || cfg.audioDims < 0) {
    throw new ConfigError(`generateSynthetic: audioDims must be a non-negative integer, got ${cfg.audioDims}`);
  }
  if (cfg.nClusters > cfg.nItems) {
    throw new ConfigError(`generateSynthetic: nClusters (${cfg.nClusters}) exceeds nItems (${cfg.nItems})`);
  }
  for (const key of ['noiseFraction', 'secondClusterProbability', 'artistContinuation'] as const) {
    if (!(cfg[key] >= 0 && cfg[key] <= 1)) {
      throw new ConfigError(`generateSynthetic: ${key} must be in [0, 1], got ${cfg[key]}`);
    }
  }
  const maxPerUser = maxItemsPerUser(cfg);
  if (!(cfg.minPerUser >= 1 && cfg.minPerUser <= maxPerUser)) {
    throw new ConfigError(`generateSynthetic: minPerUser must be in [1, ${maxPerUser}], got ${cfg.minPerUser}`);
  }
  if (cfg.nInteractions < cfg.nUsers * cfg.minPerUser || cfg.nInteractions > cfg.nUsers * maxPerUser) {
    throw new ConfigError(
      `generateSynthetic: nInteractions ${cfg.nInteractions} must lie between nUsers × minPerUser ` +
        `(${cfg.nUsers * cfg.minPerUser}) and nUsers × nItems / 2 (${cfg.nUsers * maxPerUser})`,
    );
  }
}

/** Half the catalogue: beyond that, filling a user's row with distinct items gets slow. */
function maxItemsPerUser(cfg: SyntheticConfig): number {
  return Math.max(1, Math.floor(cfg.nItems / 2));
}

interface SyntheticItems {
  cluster: Int32Array;
  artist: Int32Array;
  artistCluster: Int32Array;
  popularity: Float64Array;
  /** Items grouped by cluster, with per-cluster alias tables over popularity. */
  clusterStart: Int32Array;
  clusterItems: Int32Array;
  clusterProb: Float64Array;
  clusterAlias: Int32Array;
  /** The whole catalogue's alias table (noise draws). */
  globalProb: Float64Array;
  globalAlias: Int32Array;
  /** Items grouped by artist with cumulative popularity (artists are small: binary search). */
  artistStart: Int32Array;
  artistItems: Int32Array;
  artistCum: Float64Array;
}

function makeItems(cfg: SyntheticConfig, rng: Rng): SyntheticItems {
  const { nItems, nClusters } = cfg;
  const rank = new Int32Array(nItems);
  for (let i = 0; i < nItems; i++) rank[i] = i;
  rng.shuffle(rank);
  const popularity = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) popularity[i] = 1 / Math.pow(rank[i] + 1, cfg.popularityExponent);
  // balanced clusters in random positions, independent of popularity rank
  const cluster = new Int32Array(nItems);
  for (let i = 0; i < nItems; i++) cluster[i] = i % nClusters;
  rng.shuffle(cluster);

  const clusterStart = new Int32Array(nClusters + 1);
  for (let i = 0; i < nItems; i++) clusterStart[cluster[i] + 1]++;
  for (let c = 0; c < nClusters; c++) clusterStart[c + 1] += clusterStart[c];
  const clusterItems = new Int32Array(nItems);
  const cursor = clusterStart.slice(0, nClusters);
  for (let i = 0; i < nItems; i++) clusterItems[cursor[cluster[i]]++] = i;
  const clusterProb = new Float64Array(nItems);
  const clusterAlias = new Int32Array(nItems);
  for (let c = 0; c < nClusters; c++) {
    const from = clusterStart[c];
    const to = clusterStart[c + 1];
    buildAlias(clusterItems.subarray(from, to), popularity, clusterProb.subarray(from, to), clusterAlias.subarray(from, to));
  }
  const everyItem = new Int32Array(nItems);
  for (let i = 0; i < nItems; i++) everyItem[i] = i;
  const globalProb = new Float64Array(nItems);
  const globalAlias = new Int32Array(nItems);
  buildAlias(everyItem, popularity, globalProb, globalAlias);

  // artists nested in clusters: the cluster's items, in their (random) order, dealt round-robin
  const artistsPerCluster = new Int32Array(nClusters);
  const firstArtist = new Int32Array(nClusters + 1);
  for (let c = 0; c < nClusters; c++) {
    const size = clusterStart[c + 1] - clusterStart[c];
    artistsPerCluster[c] = Math.max(1, Math.round(size / cfg.itemsPerArtist));
    firstArtist[c + 1] = firstArtist[c] + artistsPerCluster[c];
  }
  const nArtists = firstArtist[nClusters];
  const artist = new Int32Array(nItems);
  const artistCluster = new Int32Array(nArtists);
  for (let c = 0; c < nClusters; c++) {
    for (let k = clusterStart[c]; k < clusterStart[c + 1]; k++) {
      const a = firstArtist[c] + ((k - clusterStart[c]) % artistsPerCluster[c]);
      artist[clusterItems[k]] = a;
      artistCluster[a] = c;
    }
  }
  const artistStart = new Int32Array(nArtists + 1);
  for (let i = 0; i < nItems; i++) artistStart[artist[i] + 1]++;
  for (let a = 0; a < nArtists; a++) artistStart[a + 1] += artistStart[a];
  const artistItems = new Int32Array(nItems);
  const artistCursor = artistStart.slice(0, nArtists);
  for (let i = 0; i < nItems; i++) artistItems[artistCursor[artist[i]]++] = i;
  const artistCum = new Float64Array(nItems);
  for (let a = 0; a < nArtists; a++) {
    let acc = 0;
    for (let k = artistStart[a]; k < artistStart[a + 1]; k++) artistCum[k] = acc += popularity[artistItems[k]];
  }
  return {
    cluster,
    artist,
    artistCluster,
    popularity,
    clusterStart,
    clusterItems,
    clusterProb,
    clusterAlias,
    globalProb,
    globalAlias,
    artistStart,
    artistItems,
    artistCum,
  };
}

/**
 * Vose's alias table over `members` weighted by weight[member]: slot j keeps itself with
 * probability prob[j], else jumps to slot alias[j] (indices are slots, not item ids).
 */
function buildAlias(members: Int32Array, weight: Float64Array, prob: Float64Array, alias: Int32Array): void {
  const n = members.length;
  let total = 0;
  for (let j = 0; j < n; j++) total += weight[members[j]];
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let ns = 0;
  let nl = 0;
  for (let j = 0; j < n; j++) {
    prob[j] = (weight[members[j]] * n) / total;
    alias[j] = j;
    if (prob[j] < 1) small[ns++] = j;
    else large[nl++] = j;
  }
  while (ns > 0 && nl > 0) {
    const s = small[--ns];
    const l = large[nl - 1];
    alias[s] = l;
    prob[l] -= 1 - prob[s];
    if (prob[l] < 1) {
      nl--;
      small[ns++] = l;
    }
  }
  // what is left is 1 up to rounding
  while (nl > 0) prob[large[--nl]] = 1;
  while (ns > 0) prob[small[--ns]] = 1;
}

/** One alias draw: a slot uniformly, then itself or its alias. Returns the slot. */
function aliasDraw(rng: Rng, prob: Float64Array, alias: Int32Array, from: number, n: number): number {
  const x = rng.next() * n;
  const j = Math.floor(x);
  return x - j < prob[from + j] ? j : alias[from + j];
}

/**
 * Distinct items per user: minPerUser plus a log-normal share of the rest, water-filled
 * under the per-user cap, then rounded so the total hits nInteractions.
 */
function userTargets(cfg: SyntheticConfig, rng: Rng): Int32Array {
  const { nUsers, minPerUser } = cfg;
  const cap = maxItemsPerUser(cfg);
  const weight = new Float64Array(nUsers);
  for (let u = 0; u < nUsers; u++) weight[u] = Math.exp(cfg.activitySigma * rng.normal());
  const share = new Float64Array(nUsers);
  const capped = new Uint8Array(nUsers);
  let remaining = cfg.nInteractions - nUsers * minPerUser;
  for (let pass = 0; pass < 50; pass++) {
    let free = 0;
    for (let u = 0; u < nUsers; u++) if (!capped[u]) free += weight[u];
    let newlyCapped = 0;
    for (let u = 0; u < nUsers; u++) {
      if (capped[u]) continue;
      share[u] = (remaining * weight[u]) / free;
      if (minPerUser + share[u] > cap) {
        share[u] = cap - minPerUser;
        capped[u] = 1;
        remaining -= share[u];
        newlyCapped++;
      }
    }
    if (newlyCapped === 0) break;
  }
  const target = new Int32Array(nUsers);
  let acc = 0;
  let given = 0;
  for (let u = 0; u < nUsers; u++) {
    acc += share[u];
    const upTo = Math.round(acc);
    target[u] = Math.min(cap, minPerUser + upTo - given);
    given = upTo;
  }
  return target;
}

/** Per-user draw settings and shared scratch, so the per-user kernel takes few arguments. */
interface DrawState {
  readonly rng: Rng;
  readonly it: SyntheticItems;
  readonly nItems: number;
  readonly noiseFraction: number;
  readonly artistContinuation: number;
  /** Play-count alias tables: for draws from the user's own clusters, and for noise draws. */
  readonly ownPlaysProb: Float64Array;
  readonly ownPlaysAlias: Int32Array;
  readonly noisePlaysProb: Float64Array;
  readonly noisePlaysAlias: Int32Array;
  /** owner[item] === u when user u already has the item, at row position positionOf[item]. */
  readonly owner: Int32Array;
  readonly positionOf: Int32Array;
  readonly rowPlays: Float32Array;
  readonly seqItems: Int32Array;
  readonly seqTimes: Float64Array;
}

/** Largest play count per draw; the power-law tail beyond it is negligible. */
const MAX_PLAYS = 512;

function drawInteractions(
  cfg: SyntheticConfig,
  it: SyntheticItems,
  target: Int32Array,
  rng: Rng,
): { interactions: Interactions; sequences: Sequences; userCluster: Int32Array; userSecondCluster: Int32Array } {
  const { nUsers, nItems, nClusters } = cfg;
  const indptr = new Int32Array(nUsers + 1);
  for (let u = 0; u < nUsers; u++) indptr[u + 1] = indptr[u] + target[u];
  const nnz = indptr[nUsers];
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  const timestamps = new Float64Array(nnz);
  const userCluster = new Int32Array(nUsers);
  const userSecondCluster = new Int32Array(nUsers).fill(-1);
  let maxRow = 0;
  for (let u = 0; u < nUsers; u++) maxRow = Math.max(maxRow, target[u]);

  // play counts per listen follow a power law, heavier for the user's own taste
  const playSlots = new Int32Array(MAX_PLAYS);
  const ownWeight = new Float64Array(MAX_PLAYS);
  const noiseWeight = new Float64Array(MAX_PLAYS);
  for (let k = 0; k < MAX_PLAYS; k++) {
    playSlots[k] = k;
    ownWeight[k] = Math.pow(k + 1, -1.8);
    noiseWeight[k] = Math.pow(k + 1, -2.5);
  }
  const state: DrawState = {
    rng,
    it,
    nItems,
    noiseFraction: cfg.noiseFraction,
    artistContinuation: cfg.artistContinuation,
    ownPlaysProb: new Float64Array(MAX_PLAYS),
    ownPlaysAlias: new Int32Array(MAX_PLAYS),
    noisePlaysProb: new Float64Array(MAX_PLAYS),
    noisePlaysAlias: new Int32Array(MAX_PLAYS),
    owner: new Int32Array(nItems).fill(-1),
    positionOf: new Int32Array(nItems),
    rowPlays: new Float32Array(maxRow),
    // rows are generated in time order (these are the sequences), then sorted by item for CSR
    seqItems: new Int32Array(nnz),
    seqTimes: new Float64Array(nnz),
  };
  buildAlias(playSlots, ownWeight, state.ownPlaysProb, state.ownPlaysAlias);
  buildAlias(playSlots, noiseWeight, state.noisePlaysProb, state.noisePlaysAlias);
  const sortKey = new Float64Array(maxRow);

  for (let u = 0; u < nUsers; u++) {
    const c1 = rng.int(nClusters);
    let c2 = -1;
    if (nClusters > 1 && rng.next() < cfg.secondClusterProbability) {
      c2 = (c1 + 1 + rng.int(nClusters - 1)) % nClusters;
    }
    userCluster[u] = c1;
    userSecondCluster[u] = c2;
    // each user listens at their own pace, starting somewhere in the first two years
    const meanGap = MEAN_GAP_MS * Math.exp(0.5 * rng.normal());
    const startTime = cfg.startTime + Math.floor(rng.next() * SPREAD_MS);
    const start = indptr[u];
    const want = target[u];
    drawUserRow(state, u, c1, c2, start, want, startTime, meanGap);
    // CSR rows are sorted by item: sort packed (item, position) keys natively, row by row
    // (cache-friendly; a global counting sort scatters across the whole matrix)
    const keys = sortKey.subarray(0, want);
    for (let p = 0; p < want; p++) keys[p] = state.seqItems[start + p] * maxRow + p;
    keys.sort();
    for (let r = 0; r < want; r++) {
      const p = keys[r] % maxRow;
      indices[start + r] = (keys[r] - p) / maxRow;
      values[start + r] = state.rowPlays[p];
      timestamps[start + r] = state.seqTimes[start + p];
    }
  }
  const userIds = Array.from({ length: nUsers }, (_, u) => `u${u}`);
  const itemIds = Array.from({ length: nItems }, (_, i) => `t${i}`);
  return {
    interactions: new Interactions(indptr, indices, values, userIds, itemIds, timestamps),
    sequences: { indptr: indptr.slice(), items: state.seqItems, timestamps: state.seqTimes },
    userCluster,
    userSecondCluster,
  };
}

/**
 * Fills user u's row (in time order) with `want` distinct items: draws from the user's
 * clusters ∝ popularity, sometimes the previous artist again, sometimes catalogue-wide
 * noise; a repeated item only adds plays. Kept small and monomorphic: it is the hot loop.
 */
function drawUserRow(
  s: DrawState,
  u: number,
  c1: number,
  c2: number,
  start: number,
  want: number,
  startTime: number,
  meanGap: number,
): void {
  const { rng, it, owner, positionOf, rowPlays, seqItems, seqTimes, nItems } = s;
  let time = startTime;
  let have = 0;
  let previousArtist = -1;
  const maxDraws = 4 * want + 16;
  for (let d = 0; d < maxDraws && have < want; d++) {
    let item: number;
    let plays: number;
    if (rng.next() < s.noiseFraction) {
      item = aliasDraw(rng, it.globalProb, it.globalAlias, 0, nItems);
      plays = 1 + aliasDraw(rng, s.noisePlaysProb, s.noisePlaysAlias, 0, MAX_PLAYS);
    } else {
      if (previousArtist >= 0 && rng.next() < s.artistContinuation) {
        item = drawFromArtist(rng, it, previousArtist);
      } else {
        // the first cluster is the main taste: 60 / 40 when the user has two
        const c = c2 >= 0 && rng.next() < 0.4 ? c2 : c1;
        const from = it.clusterStart[c];
        item = it.clusterItems[from + aliasDraw(rng, it.clusterProb, it.clusterAlias, from, it.clusterStart[c + 1] - from)];
      }
      previousArtist = it.artist[item];
      plays = 1 + aliasDraw(rng, s.ownPlaysProb, s.ownPlaysAlias, 0, MAX_PLAYS);
    }
    if (owner[item] === u) {
      rowPlays[positionOf[item]] += plays;
      continue;
    }
    owner[item] = u;
    positionOf[item] = have;
    rowPlays[have] = plays;
    seqItems[start + have] = item;
    seqTimes[start + have] = time;
    time += 1000 + Math.floor(-Math.log(1 - rng.next()) * meanGap);
    have++;
  }
  // heavy users can exhaust their clusters' distinct items: top up with uniform noise
  while (have < want) {
    const item = rng.int(nItems);
    if (owner[item] === u) continue;
    owner[item] = u;
    positionOf[item] = have;
    rowPlays[have] = 1;
    seqItems[start + have] = item;
    seqTimes[start + have] = time;
    time += 1000 + Math.floor(-Math.log(1 - rng.next()) * meanGap);
    have++;
  }
}

function drawFromArtist(rng: Rng, it: SyntheticItems, a: number): number {
  const from = it.artistStart[a];
  const to = it.artistStart[a + 1];
  const x = rng.next() * it.artistCum[to - 1]; // cumulative sums restart at each artist
  let lo = from;
  let hi = to - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (it.artistCum[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return it.artistItems[lo];
}

function makeCatalog(cfg: SyntheticConfig, it: SyntheticItems, rng: Rng): Catalog {
  const { nItems, nClusters, nGenres, audioDims } = cfg;
  const nArtists = it.artistCluster.length;
  // genre g belongs to cluster g % nClusters; with fewer genres than clusters, clusters share
  const genresOfCluster: number[][] = Array.from({ length: nClusters }, () => []);
  for (let g = 0; g < nGenres; g++) genresOfCluster[g % nClusters].push(g);
  for (let c = 0; c < nClusters; c++) if (genresOfCluster[c].length === 0) genresOfCluster[c].push(c % nGenres);
  const artistGenre = new Int32Array(nArtists);
  const artistYear = new Float64Array(nArtists);
  const clusterEra = new Float64Array(nClusters);
  for (let c = 0; c < nClusters; c++) clusterEra[c] = 1965 + 55 * rng.next();
  for (let a = 0; a < nArtists; a++) {
    const own = genresOfCluster[it.artistCluster[a]];
    artistGenre[a] = own[rng.int(own.length)];
    artistYear[a] = clusterEra[it.artistCluster[a]] + 6 * rng.normal();
  }
  const genreNames = Array.from({ length: nGenres }, (_, g) => `genre-${g}`);
  const genres: string[] = new Array(nItems);
  const artists: string[] = new Array(nItems);
  const names: string[] = new Array(nItems);
  const releaseYears = new Float32Array(nItems);
  for (let i = 0; i < nItems; i++) {
    const a = it.artist[i];
    // mostly the artist's genre, sometimes any genre
    genres[i] = genreNames[rng.next() < 0.9 ? artistGenre[a] : rng.int(nGenres)];
    artists[i] = `Artist ${a}`;
    names[i] = `Track ${i}`;
    releaseYears[i] = Math.min(2024, Math.max(1950, Math.round(artistYear[a] + 3 * rng.normal())));
  }

  const centroid = new Float64Array(nClusters * audioDims);
  for (let k = 0; k < centroid.length; k++) centroid[k] = rng.normal();
  const audioValues = new Float32Array(nItems * audioDims);
  for (let i = 0; i < nItems; i++) {
    const c = it.cluster[i];
    for (let d = 0; d < audioDims; d++) audioValues[i * audioDims + d] = centroid[c * audioDims + d] + 0.6 * rng.normal();
  }
  const audio = {
    columns: Array.from({ length: audioDims }, (_, d) => `audio_${d}`),
    values: audioValues,
    present: new Uint8Array(nItems).fill(1),
  };
  return {
    itemIds: Array.from({ length: nItems }, (_, i) => `t${i}`),
    names,
    artists,
    genres,
    releaseYears,
    audio,
    tags: makeTags(cfg, it, rng),
  };
}

/** 1–3 tags per item, mostly from its cluster's own tags, plus catalogue-wide generic ones. */
function makeTags(cfg: SyntheticConfig, it: SyntheticItems, rng: Rng): ItemTags {
  const { nItems, nClusters } = cfg;
  const tagNames: string[] = [];
  for (let c = 0; c < nClusters; c++) for (let j = 0; j < CLUSTER_TAGS; j++) tagNames.push(`cluster-${c}-tag-${j}`);
  for (let j = 0; j < GENERIC_TAGS; j++) tagNames.push(`generic-${j}`);
  const indptr = new Int32Array(nItems + 1);
  const tagIndices = new Int32Array(nItems * 3);
  const counts = new Float32Array(nItems * 3);
  const picked = new Int32Array(3);
  let p = 0;
  for (let i = 0; i < nItems; i++) {
    const n = 1 + rng.int(3);
    let m = 0;
    for (let t = 0; t < n; t++) {
      const tag =
        rng.next() < 0.8 ? it.cluster[i] * CLUSTER_TAGS + rng.int(CLUSTER_TAGS) : nClusters * CLUSTER_TAGS + rng.int(GENERIC_TAGS);
      let dup = false;
      for (let q = 0; q < m; q++) if (picked[q] === tag) dup = true;
      if (!dup) picked[m++] = tag;
    }
    picked.subarray(0, m).sort();
    for (let q = 0; q < m; q++) {
      tagIndices[p] = picked[q];
      counts[p] = 1 + Math.floor(Math.exp(rng.normal()));
      p++;
    }
    indptr[i + 1] = p;
  }
  return { indptr, tagIndices: tagIndices.slice(0, p), counts: counts.slice(0, p), tagNames };
}
