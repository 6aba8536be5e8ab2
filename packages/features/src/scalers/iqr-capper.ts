import { ConfigError, ModelFitError, resolveConfig } from '@musicrec/core';
import { checkOneOf } from '../config-checks';
import type { DenseMatrix } from '../matrix';
import { checkMatrix } from '../matrix';
import type { FittedState } from '../state';
import { stateArray } from '../state';
import type { Imputation } from './column-fit';
import { IMPUTATIONS, fillValues, fitColumns } from './column-fit';

export interface IqrCapperConfig {
  /** Fences at Q1 − factor·IQR and Q3 + factor·IQR (Tukey's rule uses 1.5). */
  factor: number;
  impute: Imputation;
}
export const iqrCapperDefaults: IqrCapperConfig = { factor: 1.5, impute: 'median' };

/**
 * Clips each column to its IQR fences (winsorising by Tukey's rule). Not invertible: the
 * clipped part of a value is gone, so there is no inverseTransform.
 */
export class IqrCapper {
  private readonly who = 'IqrCapper';
  readonly config: IqrCapperConfig;
  private params: { lower: Float64Array; upper: Float64Array; fill: Float64Array } | null = null;

  constructor(config: Partial<IqrCapperConfig> = {}) {
    const c = resolveConfig('IqrCapper', iqrCapperDefaults, config);
    if (!(c.factor >= 0)) throw new ConfigError(`IqrCapper: option "factor" must be ≥ 0, got ${c.factor}`);
    checkOneOf('IqrCapper', 'impute', c.impute, IMPUTATIONS);
    this.config = c;
  }

  get fitted(): { lower: Float64Array; upper: Float64Array; fill: Float64Array } {
    if (!this.params) throw new ModelFitError(`${this.who}: used before fit`);
    return this.params;
  }

  fit(m: DenseMatrix, rowMask?: Uint8Array): this {
    const f = fitColumns(m, this.who, rowMask);
    const lower = new Float64Array(m.cols);
    const upper = new Float64Array(m.cols);
    for (let c = 0; c < m.cols; c++) {
      const iqr = f.q3[c] - f.q1[c];
      lower[c] = f.q1[c] - this.config.factor * iqr;
      upper[c] = f.q3[c] + this.config.factor * iqr;
    }
    this.params = { lower, upper, fill: fillValues(f, this.config.impute) };
    return this;
  }

  transform(m: DenseMatrix): DenseMatrix {
    const { lower, upper, fill } = this.fitted;
    checkMatrix(m, this.who, lower.length);
    const out = new Float32Array(m.values.length);
    for (let i = 0; i < out.length; i++) {
      const c = i % m.cols;
      let x = m.values[i];
      if (x !== x) x = fill[c];
      out[i] = x < lower[c] ? lower[c] : x > upper[c] ? upper[c] : x;
    }
    return { rows: m.rows, cols: m.cols, values: out, columns: m.columns };
  }

  /** Number of non-missing values per column outside the fences (what transform would clip). */
  countOutliers(m: DenseMatrix): Int32Array {
    const { lower, upper } = this.fitted;
    checkMatrix(m, this.who, lower.length);
    const counts = new Int32Array(m.cols);
    for (let i = 0; i < m.values.length; i++) {
      const c = i % m.cols;
      const x = m.values[i];
      if (x < lower[c] || x > upper[c]) counts[c]++;
    }
    return counts;
  }

  toState(): FittedState {
    const p = this.fitted;
    return { meta: { kind: this.who, ...this.config, cols: p.lower.length }, arrays: { lower: p.lower, upper: p.upper, fill: p.fill } };
  }

  static fromState(state: FittedState): IqrCapper {
    const cols = Number(state.meta.cols);
    const capper = new IqrCapper({ factor: Number(state.meta.factor), impute: state.meta.impute as Imputation });
    capper.params = {
      lower: stateArray(state, 'lower', cols, capper.who),
      upper: stateArray(state, 'upper', cols, capper.who),
      fill: stateArray(state, 'fill', cols, capper.who),
    };
    return capper;
  }
}
