import { basename } from 'node:path';
import {
  ConfigError,
  DataError,
  isColdStartScorer,
  isDisposable,
  isExplainer,
  isFactorFoldIn,
  isOnnxExportable,
  isSequenceRecommender,
  isSimilarItems,
  recommendFromLiked,
  topK,
} from '@musicrec/core';
import type { Explanation, FactorFoldIn } from '@musicrec/core';
import { loadArtifact, type Artifact } from '../artifact/artifact-io';
import { HnswIndex } from '../hnsw/hnsw-index';
import type { HnswConfig } from '../hnsw/hnsw-config';
import { OnnxTopKScorer } from '../onnx/onnx-top-k';
import { CatalogSearch } from './catalog-search';
import { LiveHistories } from './live-histories';
import type { Recommendation, RetrievalMode, ServedExplanation, ServedItem, ServiceInfo } from './types';
import { UnknownIdError } from './unknown-id-error';

export interface ArtifactServiceOptions {
  /** The key `?model=` selects; default the artifact folder's name. */
  key?: string;
  /**
   * Default retrieval for known users: 'hnsw' (the model's index: HNSW for factor models, the
   * ONNX top-k graph for neural ones) or 'exact' (every item scored; no index is built, so a
   * request asking for 'hnsw' is answered exactly too).
   */
  retrieval?: RetrievalMode;
  /** HNSW settings for factor models (efSearch is the recall / speed knob). */
  hnsw?: Partial<HnswConfig>;
}

/**
 * One trained artifact, answering the questions a person asks of it, in dataset ids:
 * recommendations for a user (live listens included through fold-in), for a basket of liked
 * items, similar items, explanations, and catalogue search.
 *
 * How a user's list is ranked:
 * - factor models whose scores are u·v (`FactorFoldIn`, iALS): an HNSW index over the item
 *   factors (inner-product space, over-fetching k + |seen| so seen items are still excluded),
 *   or every item scored exactly; a user with listens since training gets their factor row
 *   re-solved from their whole history (the iALS user half-step) and is searched the same way;
 * - neural models that export to ONNX: their top-k graph (onnxruntime), trained users only;
 * - everything else (hybrids): the model's own scoring, and for a changed history its
 *   liked-items path (`ColdStartScorer.scoreFromItems`).
 */
export class ArtifactService {
  readonly info: ServiceInfo;
  private readonly n: number;
  private readonly userIndexMap: Map<string, number>;
  private readonly itemIndexMap: Map<string, number>;
  private readonly histories: LiveHistories;
  private readonly search_: CatalogSearch;
  private readonly scratch: Float32Array;
  private readonly foldIn: FactorFoldIn | null;
  private readonly foldInCache = new Map<number, Float32Array>();

  private constructor(
    readonly artifact: Artifact,
    private readonly index: HnswIndex | null,
    private readonly onnx: OnnxTopKScorer | null,
    private readonly defaultRetrieval: RetrievalMode,
    key: string,
    indexBuildMs: number,
  ) {
    const { interactions, model, manifest } = artifact;
    this.n = interactions.nItems;
    this.userIndexMap = new Map(interactions.userIds.map((id, u) => [id, u]));
    this.itemIndexMap = new Map(interactions.itemIds.map((id, i) => [id, i]));
    this.histories = new LiveHistories(interactions, this.userIndexMap, manifest.fittedOn.weights === 'binary');
    this.search_ = new CatalogSearch(artifact.catalog, this.n, interactions.itemCounts());
    this.scratch = new Float32Array(this.n);
    this.foldIn = isFactorFoldIn(model) ? model : null;
    this.info = {
      key,
      model: manifest.model,
      dataset: manifest.dataset.name,
      users: interactions.nUsers,
      items: interactions.nItems,
      index: index ? 'hnsw' : onnx ? 'onnx-top-k' : defaultRetrieval === 'exact' ? 'exact' : 'model',
      indexBuildMs,
      abilities: {
        explain: isExplainer(model),
        similar: isSimilarItems(model),
        coldStart: this.foldIn !== null || isColdStartScorer(model),
        foldIn: this.foldIn ? 'ials' : isColdStartScorer(model) ? 'liked-items' : 'none',
      },
      artifactDir: artifact.dir,
    };
  }

  /** Loads the artifact in `dir` and builds its index (HNSW for factor models, an ONNX top-k session for neural ones). */
  static async open(dir: string, options: ArtifactServiceOptions = {}): Promise<ArtifactService> {
    const artifact = await loadArtifact(dir);
    const retrieval = options.retrieval ?? 'hnsw';
    if (retrieval !== 'hnsw' && retrieval !== 'exact') throw new ConfigError(`retrieval must be "hnsw" or "exact", got ${JSON.stringify(retrieval)}`);
    const { model, interactions } = artifact;
    const t0 = performance.now();
    let index: HnswIndex | null = null;
    let onnx: OnnxTopKScorer | null = null;
    // an 'exact' service builds no index: every request scores the whole catalogue
    if (retrieval === 'exact') {
      // nothing to build
    } else if (isFactorFoldIn(model)) {
      index = new HnswIndex(options.hnsw ?? {}).build(model.itemFactors, model.factors);
    } else if (isOnnxExportable(model) && !isSequenceRecommender(model)) {
      onnx = await OnnxTopKScorer.create(model.toOnnx(), { intraOpNumThreads: 1, nItems: interactions.nItems });
    }
    const buildMs = index || onnx ? performance.now() - t0 : 0;
    return new ArtifactService(artifact, index, onnx, retrieval, options.key ?? basename(dir), buildMs);
  }

  hasUser(id: string): boolean {
    return this.histories.userIndex(id) !== undefined;
  }

  hasItem(id: string): boolean {
    return this.itemIndexMap.has(id);
  }

  /** Top-k unseen items for a known user (trained, or created by a listen), best first. */
  async recommend(user: string, k: number, options: { retrieval?: RetrievalMode } = {}): Promise<Recommendation[]> {
    checkK(k);
    const u = this.requireUser(user);
    const mode = options.retrieval ?? this.defaultRetrieval;
    const { items: seen, weights } = this.histories.history(u);
    const changed = this.histories.changed(u);
    const model = this.artifact.model;
    let items: Int32Array;
    let scores: Float32Array;
    if (this.foldIn) {
      ({ items, scores } = this.factorTopK(changed ? this.foldedIn(u, seen, weights) : this.userRow(u), k, seen, mode));
    } else if (changed) {
      if (!isColdStartScorer(model)) {
        // no fold-in: the trained row, with the items listened to since left out
        if (u >= this.artifact.interactions.nUsers) throw new ConfigError(`model "${this.info.model}" cannot score a user it was not trained on (no fold-in, no liked-items scoring)`);
        ({ items, scores } = this.rowTopK(model.scoreUsers(Int32Array.of(u), this.scratch), k, seen));
      } else {
        ({ items, scores } = this.rowTopK(model.scoreFromItems(seen, weights, this.scratch), k, seen));
      }
    } else if (this.onnx && mode === 'hnsw') {
      ({ items, scores } = await this.onnx.recommendUsers(Int32Array.of(u), k, () => seen));
    } else {
      ({ items, scores } = this.rowTopK(model.scoreUsers(Int32Array.of(u), this.scratch), k, seen));
    }
    return this.ranked(items, scores);
  }

  /** Top-k for someone known only by the items they like (cold start); those items are left out. */
  async recommendFromLiked(liked: string[], k: number): Promise<Recommendation[]> {
    checkK(k);
    const items = this.likedIndices(liked);
    const model = this.artifact.model;
    if (this.foldIn) {
      const r = this.factorTopK(this.foldIn.foldInUser(items), k, items, this.defaultRetrieval);
      return this.ranked(r.items, r.scores);
    }
    if (!isColdStartScorer(model)) throw new ConfigError(`model "${this.info.model}" cannot recommend from liked items`);
    const r = recommendFromLiked(model, items, k);
    return this.ranked(r.items, r.scores);
  }

  /** The k items most similar to `item` (never the item itself). */
  similar(item: string, k: number): ServedItem[] {
    checkK(k);
    const i = this.requireItem(item, 'item');
    const model = this.artifact.model;
    if (!isSimilarItems(model)) throw new ConfigError(`model "${this.info.model}" has no similar-items ability`);
    const r = model.similarItems(i, k);
    return this.ranked(r.items, r.scores).map(({ rank: _rank, ...served }) => served);
  }

  /** Why `item` is (or is not) recommended to `user`: the model's components and the user's nearest liked items. */
  explain(user: string, item: string): ServedExplanation {
    const u = this.requireUser(user);
    const i = this.requireItem(item, 'item');
    const model = this.requireExplainer();
    if (!this.histories.changed(u)) return this.served(model.explain(u, i), user, i);
    // listens since training: explain the history the recommendation was made from
    const h = this.histories.history(u);
    return this.served(model.explainFromItems(h.items, i, h.weights), user, i);
  }

  /** Why `item` is recommended to someone who likes `liked`. */
  explainFromLiked(liked: string[], item: string): ServedExplanation {
    const items = this.likedIndices(liked);
    const i = this.requireItem(item, 'item');
    return this.served(this.requireExplainer().explainFromItems(items, i), null, i);
  }

  /** Catalogue items whose name or artist matches `q` (accents and case ignored), best first. */
  search(q: string, limit: number): ServedItem[] {
    if (typeof q !== 'string') throw new DataError('q must be a string', { field: 'q' });
    checkK(limit, 'limit');
    return this.search_.search(q, limit).map((i) => this.item(i, 0));
  }

  /** Records a listen in memory: the user's next recommendation includes it. Unknown items are refused. */
  addListen(user: string, item: string): { newUser: boolean; historyLength: number } {
    if (typeof user !== 'string' || user === '') throw new DataError('user must be a non-empty string', { field: 'user' });
    const i = this.requireItem(item, 'item');
    const { user: u, newUser } = this.histories.add(user, i);
    this.foldInCache.delete(u);
    return { newUser, historyLength: this.histories.history(u).items.length };
  }

  async close(): Promise<void> {
    await this.onnx?.release();
    if (isDisposable(this.artifact.model)) this.artifact.model.dispose();
  }

  private requireUser(id: string): number {
    const u = typeof id === 'string' ? this.histories.userIndex(id) : undefined;
    if (u === undefined) throw new UnknownIdError('user', String(id), 'user', `the users of ${this.info.key}`);
    return u;
  }

  private requireItem(id: string, field: string): number {
    const i = typeof id === 'string' ? this.itemIndexMap.get(id) : undefined;
    if (i === undefined) throw new UnknownIdError('item', String(id), field, `the items of ${this.info.key}`);
    return i;
  }

  private requireExplainer() {
    const model = this.artifact.model;
    if (!isExplainer(model)) throw new ConfigError(`model "${this.info.model}" does not explain its recommendations`);
    return model;
  }

  private likedIndices(liked: string[]): Int32Array {
    if (!Array.isArray(liked) || liked.length === 0) throw new DataError('liked must be a non-empty list of item ids', { field: 'liked' });
    const set = new Set<number>();
    liked.forEach((id, j) => set.add(this.requireItem(id, `liked[${j}]`)));
    return Int32Array.from(set).sort();
  }

  private userRow(u: number): Float32Array {
    const f = this.foldIn!.factors;
    return this.foldIn!.userFactors.subarray(u * f, u * f + f);
  }

  private foldedIn(u: number, items: Int32Array, weights: Float32Array): Float32Array {
    let x = this.foldInCache.get(u);
    if (!x) this.foldInCache.set(u, (x = this.foldIn!.foldInUser(items, weights)));
    return x;
  }

  /** Top-k by inner product with `vector`: through the HNSW index, or every item scored exactly. */
  private factorTopK(vector: Float32Array, k: number, seen: Int32Array, mode: RetrievalMode): { items: Int32Array; scores: Float32Array } {
    if (mode === 'hnsw' && this.index) {
      const hits = this.index.search(vector, k, seen);
      return { items: hits.items, scores: hits.scores };
    }
    const f = this.foldIn!.factors;
    const v = this.foldIn!.itemFactors;
    const scores = this.scratch;
    for (let i = 0; i < this.n; i++) {
      let s = 0;
      const o = i * f;
      for (let d = 0; d < f; d++) s += vector[d] * v[o + d];
      scores[i] = s;
    }
    return this.rowTopK(scores, k, seen);
  }

  private rowTopK(row: Float32Array, k: number, exclude: Int32Array): { items: Int32Array; scores: Float32Array } {
    const items = new Int32Array(k);
    const scores = new Float32Array(k);
    topK(row, k, items, scores, exclude, 0, this.n);
    return { items, scores };
  }

  private item(i: number, score: number): ServedItem {
    const c = this.artifact.catalog;
    return {
      id: this.artifact.interactions.itemIds[i],
      score,
      name: c.names?.[i] ?? null,
      artist: c.artists?.[i] ?? null,
      genre: c.genres?.[i] ?? null,
      year: c.years?.[i] ?? null,
      tags: c.tags?.[i] ?? [],
    };
  }

  private ranked(items: Int32Array, scores: Float32Array): Recommendation[] {
    const out: Recommendation[] = [];
    for (let r = 0; r < items.length; r++) {
      if (items[r] < 0) break;
      out.push({ rank: out.length + 1, ...this.item(items[r], scores[r]) });
    }
    return out;
  }

  private served(e: Explanation, user: string | null, i: number): ServedExplanation {
    return {
      user,
      item: this.item(i, e.score),
      score: e.score,
      contributions: e.contributions,
      nearestLikedItems: e.nearestLikedItems.map((n) => ({ ...this.item(n.item, 0), similarity: n.similarity })),
      details: e.details,
    };
  }
}

/** k (or a limit) must be an integer in 1..1000. */
function checkK(k: number, field = 'k'): void {
  if (!(Number.isInteger(k) && k >= 1 && k <= 1000)) throw new DataError(`${field} must be an integer from 1 to 1000, got ${JSON.stringify(k)}`, { field });
}
