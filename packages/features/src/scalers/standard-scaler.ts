import { resolveConfig } from '@musicrec/core';
import type { DenseMatrix } from '../matrix';
import type { FittedState } from '../state';
import { AffineScaler } from './affine-scaler';
import type { Imputation } from './column-fit';
import { IMPUTATIONS, fillValues, fitColumns, safeScale } from './column-fit';
import { checkOneOf } from '../config-checks';

export interface StandardScalerConfig {
  /** Fill for missing values at transform time. */
  impute: Imputation;
}
export const standardScalerDefaults: StandardScalerConfig = { impute: 'median' };

/** z = (x − mean) / std, with the population std (divisor n, as scikit-learn); NaN ignored in fit. */
export class StandardScaler extends AffineScaler {
  protected readonly who = 'StandardScaler';
  readonly impute: Imputation;

  constructor(config: Partial<StandardScalerConfig> = {}) {
    super();
    this.impute = checkOneOf('StandardScaler', 'impute', resolveConfig('StandardScaler', standardScalerDefaults, config).impute, IMPUTATIONS);
  }

  /** `rowMask`: only rows with 1 are fitted on (e.g. items that have audio). */
  fit(m: DenseMatrix, rowMask?: Uint8Array): this {
    const f = fitColumns(m, this.who, rowMask);
    this.params = { center: f.mean, scale: f.std.map(safeScale), fill: fillValues(f, this.impute) };
    return this;
  }

  static fromState(state: FittedState): StandardScaler {
    const s = new StandardScaler({ impute: state.meta.impute as Imputation });
    s.restore(state);
    return s;
  }
}
