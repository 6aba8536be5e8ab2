import { describe, expect, it } from 'vitest';
import * as evalPackage from './index';

describe('@musicrec/eval public API', () => {
  it('exports exactly these values (adding or removing one is a deliberate change)', () => {
    expect(Object.keys(evalPackage).sort()).toMatchInlineSnapshot(`
      [
        "BACKENDS",
        "DEFAULT_KS",
        "DenseCosine",
        "HISTORY_BUCKETS",
        "INFERENCES",
        "TagTfidfCosine",
        "audioSimilarity",
        "baselineFromReports",
        "beyondAccuracy",
        "coldItemSplit",
        "coldShareAtK",
        "coldStartMetrics",
        "cutUserHistories",
        "evaluateModel",
        "evaluateNextItem",
        "evaluateRankings",
        "evaluateSampledRanking",
        "gateReport",
        "gridPoint",
        "gridSize",
        "historyBuckets",
        "historyBucketsOf",
        "interactionsFromSequences",
        "interactionsFromTargets",
        "isSequenceFittable",
        "itemsWithContent",
        "mae",
        "measureLatency",
        "measureLatencyAsync",
        "parseMetricKey",
        "perUserMetrics",
        "pickColdStartUsers",
        "quantile",
        "readRecommendationsCsv",
        "renderColdStartMarkdown",
        "renderGateTable",
        "renderHtml",
        "renderMarkdown",
        "rmse",
        "runSequentialBench",
        "tuneModel",
        "usersWithItems",
        "validateColdStartReport",
        "validateGateBaseline",
        "validateReport",
        "validationScorer",
      ]
    `);
  });
});
