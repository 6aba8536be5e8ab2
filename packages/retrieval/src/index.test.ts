import { describe, expect, it } from 'vitest';
import * as retrieval from './index';

describe('@musicrec/retrieval public API', () => {
  it('exports exactly these values (adding or removing one is a deliberate change)', () => {
    expect(Object.keys(retrieval).sort()).toEqual([
      'ARTIFACT_FILES',
      'ARTIFACT_FORMAT',
      'AnnRecommender',
      'ArtifactService',
      'CatalogSearch',
      'HnswIndex',
      'MODEL_FACTORIES',
      'ONNX_K_INPUT',
      'ONNX_PROVIDER_ORDER',
      'ONNX_TOP_ITEMS_OUTPUT',
      'ONNX_TOP_SCORES_OUTPUT',
      'OnnxRecommender',
      'OnnxScorer',
      'OnnxTopKScorer',
      'UnknownIdError',
      'annDefaults',
      'annRecommenderFactory',
      'appendTopK',
      'artifactCatalog',
      'exactTopK',
      'hnswDefaults',
      'hnswTopK',
      'loadArtifact',
      'measureRecall',
      'modelFactory',
      'normalizeForSearch',
      'onnxRecommenderFactory',
      'recallAtK',
      'reportRowRecipe',
      'trainArtifact',
      'writeArtifact',
    ]);
  });
});
