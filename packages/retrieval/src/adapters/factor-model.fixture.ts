import { saveModelDir, loadModelDir, float32ArrayOf } from '@musicrec/core';
import type { FitContext, Interactions, Recommender, RecommenderFactory } from '@musicrec/core';

/**
 * Test fixture: a "factor model" whose fit copies given factors (so tests know every score),
 * scoring u·i like the MF models the adapters wrap.
 */
export class FixedFactorModel implements Recommender {
  readonly name = 'fixed-factors';
  readonly params = {};
  fitCalls = 0;

  constructor(
    public userFactors: Float32Array,
    public itemFactors: Float32Array,
    readonly dim: number,
  ) {}

  async fit(_train: Interactions, _ctx: FitContext): Promise<void> {
    this.fitCalls++;
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    const { dim } = this;
    const nItems = this.itemFactors.length / dim;
    const result = out ?? new Float32Array(users.length * nItems);
    for (let b = 0; b < users.length; b++) {
      for (let i = 0; i < nItems; i++) {
        let s = 0;
        for (let f = 0; f < dim; f++) s += this.userFactors[users[b] * dim + f] * this.itemFactors[i * dim + f];
        result[b * nItems + i] = s;
      }
    }
    return result;
  }

  async save(dir: string): Promise<void> {
    await saveModelDir(dir, { dim: this.dim }, { userFactors: this.userFactors, itemFactors: this.itemFactors });
  }
}

export const fixedFactorFactory: Pick<RecommenderFactory, 'load'> = {
  async load(dir: string) {
    const { meta, arrays } = await loadModelDir(dir);
    const dim = meta.dim as number;
    return new FixedFactorModel(
      float32ArrayOf(arrays, 'userFactors', arrays.userFactors.length, dir),
      float32ArrayOf(arrays, 'itemFactors', arrays.itemFactors.length, dir),
      dim,
    );
  },
};
