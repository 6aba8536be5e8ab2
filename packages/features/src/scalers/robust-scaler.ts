import { resolveConfig } from '@musicrec/core';
import type { DenseMatrix } from '../matrix';
import type { FittedState } from '../state';
import { AffineScaler } from './affine-scaler';
import type { Imputation } from './column-fit';
import { IMPUTATIONS, fillValues, fitColumns, safeScale } from './column-fit';
import { checkOneOf } from '../config-checks';

export interface RobustScalerConfig {
  impute: Imputation;
}
export const robustScalerDefaults: RobustScalerConfig = { impute: 'median' };

/**
 * (x − median) / IQR with IQR = Q3 − Q1 (linear-interpolated quartiles): outliers do not move
 * the centre or the scale, unlike the standard scaler.
 */
export class RobustScaler extends AffineScaler {
  protected readonly who = 'RobustScaler';
  readonly impute: Imputation;

  constructor(config: Partial<RobustScalerConfig> = {}) {
    super();
    this.impute = checkOneOf('RobustScaler', 'impute', resolveConfig('RobustScaler', robustScalerDefaults, config).impute, IMPUTATIONS);
  }

  fit(m: DenseMatrix, rowMask?: Uint8Array): this {
    const f = fitColumns(m, this.who, rowMask);
    const scale = new Float64Array(m.cols);
    for (let c = 0; c < m.cols; c++) scale[c] = safeScale(f.q3[c] - f.q1[c]);
    this.params = { center: f.median, scale, fill: fillValues(f, this.impute) };
    return this;
  }

  static fromState(state: FittedState): RobustScaler {
    const s = new RobustScaler({ impute: state.meta.impute as Imputation });
    s.restore(state);
    return s;
  }
}
