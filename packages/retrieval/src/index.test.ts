import { describe, expect, it } from 'vitest';
import * as retrieval from './index';

describe('@musicrec/retrieval public API', () => {
  it('exports exactly these values (adding or removing one is a deliberate change)', () => {
    expect(Object.keys(retrieval).sort()).toEqual([
      'AnnRecommender',
      'HnswIndex',
      'ONNX_PROVIDER_ORDER',
      'OnnxRecommender',
      'OnnxScorer',
      'annDefaults',
      'annRecommenderFactory',
      'exactTopK',
      'hnswDefaults',
      'hnswTopK',
      'measureRecall',
      'onnxRecommenderFactory',
      'recallAtK',
    ]);
  });
});
