import { describe, expect, it } from 'vitest';
import {
  COLD_START_SCORER,
  DISPOSABLE,
  EXPLAINER,
  FACTOR_FOLD_IN,
  ONNX_EXPORTABLE,
  REFITTABLE,
  SEQUENCE_RECOMMENDER,
  SIMILAR_ITEMS,
  isDisposable,
  isExplainer,
  isFactorFoldIn,
  isOnnxExportable,
  isRefittable,
  isSequenceRecommender,
  isSimilarItems,
} from './abilities';
import { isColdStartScorer } from './cold-start';

const noop = (): never => {
  throw new Error('not called');
};

/** Each guard, its brand, and an object with every method of the contract. */
const cases = [
  { name: 'SimilarItems', guard: isSimilarItems, brand: SIMILAR_ITEMS, methods: { similarItems: noop } },
  { name: 'Explainer', guard: isExplainer, brand: EXPLAINER, methods: { explain: noop, explainFromItems: noop } },
  { name: 'OnnxExportable', guard: isOnnxExportable, brand: ONNX_EXPORTABLE, methods: { toOnnx: noop } },
  {
    name: 'SequenceRecommender',
    guard: isSequenceRecommender,
    brand: SEQUENCE_RECOMMENDER,
    methods: { scoreFrom: noop, setScoringSequences: noop, historyWindow: noop },
  },
  { name: 'Disposable', guard: isDisposable, brand: DISPOSABLE, methods: { dispose: noop } },
  { name: 'Refittable', guard: isRefittable, brand: REFITTABLE, methods: { refitParams: noop } },
  {
    name: 'FactorFoldIn',
    guard: isFactorFoldIn,
    brand: FACTOR_FOLD_IN,
    methods: { factors: 2, userFactors: new Float32Array(2), itemFactors: new Float32Array(2), foldInUser: noop },
  },
  { name: 'ColdStartScorer', guard: isColdStartScorer, brand: COLD_START_SCORER, methods: { scoreFromItems: noop } },
] as const;

describe('ability guards read the brand, never a method name', () => {
  for (const { name, guard, brand, methods } of cases) {
    it(`${name}: the methods alone are not the contract; the brand is`, () => {
      expect(guard({ ...methods })).toBe(false);
      expect(guard({ ...methods, [brand]: true })).toBe(true);
      // only `true` counts, and only under this ability's own symbol
      expect(guard({ ...methods, [brand]: 'yes' })).toBe(false);
      const other = cases.find((c) => c.brand !== brand)!.brand;
      expect(guard({ ...methods, [other]: true })).toBe(false);
      for (const v of [null, undefined, 0, 'model', () => {}]) expect(guard(v)).toBe(false);
    });
  }

  it('a brand on the prototype (a class field or getter) counts like an own one', () => {
    class Model {
      get [SIMILAR_ITEMS](): true {
        return true;
      }
    }
    expect(isSimilarItems(new Model())).toBe(true);
  });

  it('brands are registry symbols, so two copies of core agree on them', () => {
    expect(SIMILAR_ITEMS).toBe(Symbol.for('musicrec.SimilarItems'));
    expect(COLD_START_SCORER).toBe(Symbol.for('musicrec.ColdStartScorer'));
  });
});
