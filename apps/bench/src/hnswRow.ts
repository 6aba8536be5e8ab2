import type { Dataset, Recommender, Split } from '@musicrec/core';
import type { ReportRow } from '@musicrec/eval';
import { evaluateModel, historyBucketsOf, measureLatency, measureLatencyAsync, warmItemsView } from '@musicrec/eval';
import { AnnRecommender } from '@musicrec/retrieval';
import type { AnnConfig, HnswHits } from '@musicrec/retrieval';

/** What `hnswRow` needs of the bench's row options (a subset of runModel's RowOptions). */
export interface HnswRowOptions {
  /** Users timed one by one for the latency percentiles. */
  latencyUsers: number;
  onProgress?: (message: string) => void;
}

/**
 * The same trained factor model served through HNSW (`AnnRecommender` over its item factors,
 * `config` laid over `annDefaults`): the bench's evaluation code ranks every test user from the
 * index's candidates, and one-user top-10 requests are timed through the index
 * (`AnnRecommender.recommendOne`: the request a server makes). The record also holds the latency
 * of the contract path (`scoreUsers` row of candidates + top-k over the whole row, what
 * `measureLatency` times for a `ts` row) and the index build time. Requests are timed with
 * `measureLatencyAsync` (as the ONNX rows are) because it times a request function rather than a
 * score row; the synchronous search is wrapped in an async function.
 *
 * `fullTrain` is the matrix the model was fitted on (the seen items every answer leaves out);
 * `tsRow` is the model's own row, whose fit time and settings the HNSW row keeps.
 */
export async function hnswRow(
  name: string,
  model: Recommender,
  tsRow: ReportRow,
  dataset: Dataset,
  split: Pick<Split, 'test'> & { fullTrain: Split['fullTrain'] },
  config: Partial<AnnConfig>,
  options: HnswRowOptions,
): Promise<ReportRow> {
  const log = options.onProgress ?? (() => {});
  const { fullTrain, test } = split;
  log(`indexing ${name} in HNSW ${JSON.stringify(config)}`);
  const t0 = performance.now();
  const served = new AnnRecommender(model, config).attach(fullTrain);
  const buildSeconds = (performance.now() - t0) / 1000;
  const evaluation = evaluateModel(served, { fullTrain, test }, { catalog: dataset.catalog });
  const latencyUsers = evaluation.users.subarray(0, Math.min(options.latencyUsers, evaluation.users.length));
  const timing = { users: latencyUsers, nItems: fullTrain.nItems, exclude: fullTrain, k: 10 };
  const hits: HnswHits = { items: new Int32Array(10), scores: new Float32Array(10), count: 0 };
  const latency = await measureLatencyAsync(
    {
      recommend: async (u, k, seen) => served.recommendOne(u, k, seen, k === hits.items.length ? hits : undefined),
      scoreBatch: async (users) => served.scoreUsers(users),
    },
    timing,
  );
  const rowPath = await measureLatency(served, timing);
  return {
    ...tsRow,
    model: `${name}-hnsw`,
    inference: 'hnsw',
    metrics: evaluation.ranking.perK,
    beyond: evaluation.beyond,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    latencyMs: { p50: latency.p50, p95: latency.p95, p99: latency.p99 },
    throughputUsersPerSec: latency.throughputUsersPerSec,
    byHistory: historyBucketsOf(evaluation.recs, evaluation.users, fullTrain, test),
    warmItems: warmItemsView(served, { fullTrain, test }, evaluation.recs),
    extra: {
      ...tsRow.extra,
      hnsw: {
        ...served.config,
        buildSeconds,
        request: 'AnnRecommender.recommendOne: one HnswIndex.search (k + seen items fetched, seen dropped), one thread',
        scoreRowLatencyMs: { p50: rowPath.p50, p99: rowPath.p99 },
      },
    },
  };
}
