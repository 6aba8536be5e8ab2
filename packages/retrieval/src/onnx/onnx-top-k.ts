import * as ort from 'onnxruntime-node';
import { ConfigError, containsSorted, DataError } from '@musicrec/core';
import { int64Users, openSession, ProviderSession, readModelFile } from './onnx-scorer';
import type { OnnxScorerOptions, OpenedSession } from './onnx-scorer';
import { appendTopK, ONNX_K_INPUT, ONNX_TOP_ITEMS_OUTPUT, ONNX_TOP_SCORES_OUTPUT } from './top-k-graph';

/** Seen items per row: sorted ascending item indices (an `Interactions`' `itemsOf`), or none. */
export type ExcludeLists = (row: number) => ArrayLike<number> | undefined;

/** k items per row, best first; rows with fewer than k eligible items end in index −1 / score −Infinity. */
export interface TopKRows {
  items: Int32Array;
  scores: Float32Array;
  k: number;
}

/**
 * Serving through a scorer graph with the selection inside it (`appendTopK`): a request
 * returns the best k items, not a score per catalogue item. Seen items are removed by asking
 * the graph for k + (longest exclude list in the batch) and dropping them afterwards, which
 * returns exactly the items and scores that a full score row + `@musicrec/core` topK with the
 * same exclusions would.
 *
 * ```ts
 * const top = await OnnxTopKScorer.create(exportDotProductScorer(...), { intraOpNumThreads: 1 });
 * const { items } = await top.recommendUsers(Int32Array.of(5), 10, (b) => train.itemsOf(5));
 * ```
 */
export class OnnxTopKScorer extends ProviderSession {
  private constructor(
    opened: OpenedSession,
    /** Items the scorer ranks (its output's last axis). */
    readonly nItems: number,
    private readonly inputName: string,
  ) {
    super(opened);
  }

  /**
   * Opens the top-k version of a scorer graph (one input, one output [batch, nItems]) on the
   * first provider that loads it (cuda → webgpu → cpu by default). `nItems` is read from the
   * graph's output; pass it for a graph whose item axis is symbolic.
   */
  static async create(scorerGraph: Uint8Array | string, options: OnnxScorerOptions & { nItems?: number } = {}): Promise<OnnxTopKScorer> {
    const where = typeof scorerGraph === 'string' ? scorerGraph : 'ONNX model';
    const bytes = typeof scorerGraph === 'string' ? await readModelFile(scorerGraph) : scorerGraph;
    const { graph, nItems: declared } = appendTopK(bytes, where);
    const nItems = options.nItems ?? declared;
    if (nItems === undefined) throw new ConfigError(`OnnxTopKScorer: the scores output of ${where} has a symbolic item axis; pass nItems`);
    if (!(Number.isInteger(nItems) && nItems > 0)) throw new ConfigError(`OnnxTopKScorer: nItems must be a positive integer, got ${nItems}`);
    if (declared !== undefined && declared !== nItems) throw new ConfigError(`OnnxTopKScorer: nItems ${nItems} given, but the graph scores ${declared} items`);
    const opened = await openSession(graph, options, { inputs: 2, outputs: 2, what: 'a scorer input, k, and the outputs top_scores and top_items' });
    const inputName = opened.session.inputNames.find((n) => n !== ONNX_K_INPUT)!;
    return new OnnxTopKScorer(opened, nItems, inputName);
  }

  /** Best k unseen items for each user (`exclude(b)` = the seen items of users[b]). */
  async recommendUsers(users: Int32Array, k: number, exclude?: ExcludeLists): Promise<TopKRows> {
    return this.recommendInput(int64Users(users), [users.length], k, exclude);
  }

  /**
   * Best k unseen items for each row of an int64 input whose first axis is the batch (user
   * indices [batch], or SASRec's history windows [batch, maxLen]).
   */
  async recommendInput(data: BigInt64Array, dims: readonly number[], k: number, exclude?: ExcludeLists): Promise<TopKRows> {
    if (!(Number.isInteger(k) && k >= 1)) throw new ConfigError(`OnnxTopKScorer: k must be an integer >= 1, got ${k}`);
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) throw new ConfigError(`OnnxTopKScorer: input has ${data.length} values, dims [${dims.join(', ')}] need ${size}`);
    const rows = dims[0];
    const items = new Int32Array(rows * k).fill(-1);
    const scores = new Float32Array(rows * k).fill(-Infinity);
    if (rows === 0) return { items, scores, k };
    const lists: (ArrayLike<number> | undefined)[] = [];
    let longest = 0;
    for (let b = 0; b < rows; b++) {
      const list = exclude?.(b);
      if (list) {
        for (let j = 1; j < list.length; j++) {
          if (list[j] < list[j - 1]) throw new ConfigError(`OnnxTopKScorer: the exclude list of row ${b} is not sorted ascending (position ${j}: ${list[j - 1]} then ${list[j]})`);
        }
      }
      lists.push(list);
      if (list && list.length > longest) longest = list.length;
    }
    const fetch = Math.min(this.nItems, k + longest);
    const feeds = {
      [this.inputName]: new ort.Tensor('int64', data, [...dims]),
      [ONNX_K_INPUT]: new ort.Tensor('int64', BigInt64Array.of(BigInt(fetch)), [1]),
    };
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.session.run(feeds, { logSeverityLevel: this.logSeverityLevel });
    } catch (e) {
      throw new ConfigError(`OnnxTopKScorer (${this.provider}): top-${fetch} of a [${dims.join(', ')}] input failed: ${(e as Error).message.split('\n')[0]}`);
    }
    const topScores = out[ONNX_TOP_SCORES_OUTPUT];
    const topItems = out[ONNX_TOP_ITEMS_OUTPUT];
    if (topScores.type !== 'float32' || topItems.type !== 'int64') {
      throw new DataError(`top-k outputs are ${topScores.type} / ${topItems.type}, expected float32 / int64`);
    }
    const s = topScores.data as Float32Array;
    const it = topItems.data as BigInt64Array;
    for (let b = 0; b < rows; b++) {
      const list = lists[b];
      let n = 0;
      for (let j = b * fetch, end = (b + 1) * fetch; j < end && n < k; j++) {
        const item = Number(it[j]);
        if (list && list.length > 0 && containsSorted(list, item)) continue;
        items[b * k + n] = item;
        scores[b * k + n] = s[j];
        n++;
      }
    }
    return { items, scores, k };
  }
}
