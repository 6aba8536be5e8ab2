import { ModelFitError } from '@musicrec/core';
import type { DenseMatrix } from '../matrix';
import { checkMatrix } from '../matrix';
import type { FittedState } from '../state';
import { stateArray } from '../state';
import type { Imputation } from './column-fit';

/** Fitted parameters of x ↦ (fill-if-missing(x) − center) / scale, per column. */
export interface AffineParams {
  readonly center: Float64Array;
  readonly scale: Float64Array;
  readonly fill: Float64Array;
}

/** Shared transform / inverse / state of the centre-and-scale scalers (standard, robust). */
export abstract class AffineScaler {
  protected params: AffineParams | null = null;
  protected abstract readonly who: string;
  abstract readonly impute: Imputation;

  /** The fitted centre, scale and fill value per column. */
  get fitted(): AffineParams {
    if (!this.params) throw new ModelFitError(`${this.who}: used before fit`);
    return this.params;
  }

  /** Missing values are filled first (per `impute`), then centred and scaled. */
  transform(m: DenseMatrix): DenseMatrix {
    const { center, scale, fill } = this.fitted;
    checkMatrix(m, this.who, center.length);
    const out = new Float32Array(m.values.length);
    const cols = m.cols;
    for (let i = 0; i < out.length; i++) {
      const c = i % cols;
      let x = m.values[i];
      if (x !== x) x = fill[c];
      out[i] = (x - center[c]) / scale[c];
    }
    return { rows: m.rows, cols, values: out, columns: m.columns };
  }

  inverseTransform(m: DenseMatrix): DenseMatrix {
    const { center, scale } = this.fitted;
    checkMatrix(m, this.who, center.length);
    const out = new Float32Array(m.values.length);
    for (let i = 0; i < out.length; i++) {
      const c = i % m.cols;
      out[i] = m.values[i] * scale[c] + center[c];
    }
    return { rows: m.rows, cols: m.cols, values: out, columns: m.columns };
  }

  toState(): FittedState {
    const p = this.fitted;
    return { meta: { kind: this.who, impute: this.impute, cols: p.center.length }, arrays: { center: p.center, scale: p.scale, fill: p.fill } };
  }

  protected restore(state: FittedState): void {
    const cols = Number(state.meta.cols);
    this.params = {
      center: stateArray(state, 'center', cols, this.who),
      scale: stateArray(state, 'scale', cols, this.who),
      fill: stateArray(state, 'fill', cols, this.who),
    };
  }
}
