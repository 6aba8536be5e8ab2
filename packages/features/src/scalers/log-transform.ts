import { ModelFitError } from '@musicrec/core';
import type { DenseMatrix } from '../matrix';
import { checkMatrix } from '../matrix';
import type { FittedState } from '../state';
import { stateArray } from '../state';
import { sortedColumn } from '../stats/quantiles';

/**
 * y = log1p(x + shift) per column, for right-skewed columns (duration, popularity, play counts).
 * The shift is fitted as max(0, −min(x)), so a column with negative values (e.g. loudness in
 * dB) maps its minimum to 0 and a non-negative column is left unshifted (plain log1p). A value
 * below the fitted minimum at transform time is clamped to it (log1p of a negative number
 * ≤ −1 is undefined). NaN stays NaN: imputing is the scalers' job.
 */
export class LogTransform {
  private readonly who = 'LogTransform';
  private shifts: Float64Array | null = null;

  get shift(): Float64Array {
    if (!this.shifts) throw new ModelFitError(`${this.who}: used before fit`);
    return this.shifts;
  }

  fit(m: DenseMatrix, rowMask?: Uint8Array): this {
    checkMatrix(m, this.who);
    const shifts = new Float64Array(m.cols);
    for (let c = 0; c < m.cols; c++) {
      const xs = sortedColumn(m.values, m.rows, m.cols, c, rowMask);
      shifts[c] = xs.length > 0 && xs[0] < 0 ? -xs[0] : 0;
    }
    this.shifts = shifts;
    return this;
  }

  transform(m: DenseMatrix): DenseMatrix {
    const shift = this.shift;
    checkMatrix(m, this.who, shift.length);
    const out = new Float32Array(m.values.length);
    for (let i = 0; i < out.length; i++) {
      const s = m.values[i] + shift[i % m.cols];
      out[i] = Math.log1p(s < 0 ? 0 : s);
    }
    return { rows: m.rows, cols: m.cols, values: out, columns: m.columns };
  }

  inverseTransform(m: DenseMatrix): DenseMatrix {
    const shift = this.shift;
    checkMatrix(m, this.who, shift.length);
    const out = new Float32Array(m.values.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.expm1(m.values[i]) - shift[i % m.cols];
    return { rows: m.rows, cols: m.cols, values: out, columns: m.columns };
  }

  toState(): FittedState {
    return { meta: { kind: this.who, cols: this.shift.length }, arrays: { shift: this.shift } };
  }

  static fromState(state: FittedState): LogTransform {
    const t = new LogTransform();
    t.shifts = stateArray(state, 'shift', Number(state.meta.cols), t.who);
    return t;
  }
}
