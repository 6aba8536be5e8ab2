import { ConfigError, ModelFitError, resolveConfig } from '@musicrec/core';
import { checkOneOf } from '../config-checks';
import type { DenseMatrix } from '../matrix';

export type YearOutput = 'year' | 'age' | 'both';
export const YEAR_OUTPUTS: readonly YearOutput[] = ['year', 'age', 'both'];

export interface ReleaseYearEncoderConfig {
  /** Which columns to emit: the release year, the age (referenceYear − year), or both. */
  output: YearOutput;
  /** Age is measured from this year; null = the latest release year seen in fit. */
  referenceYear: number | null;
}
export const releaseYearEncoderDefaults: ReleaseYearEncoderConfig = { output: 'both', referenceYear: null };

/**
 * Release year → year and/or age. The reference year is part of the fitted state (never
 * "now"), so the same fitted encoder gives the same ages next year. Missing stays NaN.
 */
export class ReleaseYearEncoder {
  readonly config: ReleaseYearEncoderConfig;
  private reference: number | null;

  constructor(config: Partial<ReleaseYearEncoderConfig> = {}) {
    this.config = resolveConfig('ReleaseYearEncoder', releaseYearEncoderDefaults, config);
    checkOneOf('ReleaseYearEncoder', 'output', this.config.output, YEAR_OUTPUTS);
    const ref = this.config.referenceYear;
    if (ref !== null && !Number.isFinite(ref)) throw new ConfigError(`ReleaseYearEncoder: option "referenceYear" must be a finite year, got ${ref}`);
    this.reference = null;
  }

  get referenceYear(): number {
    if (this.reference === null) throw new ModelFitError('ReleaseYearEncoder: used before fit');
    return this.reference;
  }

  get columns(): string[] {
    const o = this.config.output;
    return o === 'both' ? ['release_year', 'age_years'] : o === 'year' ? ['release_year'] : ['age_years'];
  }

  fit(years: ArrayLike<number>, rowMask?: Uint8Array): this {
    if (this.config.referenceYear !== null) {
      this.reference = this.config.referenceYear;
      return this;
    }
    let max = -Infinity;
    for (let i = 0; i < years.length; i++) if ((!rowMask || rowMask[i] === 1) && years[i] > max) max = years[i];
    if (max === -Infinity) throw new ModelFitError('ReleaseYearEncoder: no release year to fit a reference year on; set referenceYear');
    this.reference = max;
    return this;
  }

  transform(years: ArrayLike<number>): DenseMatrix {
    const ref = this.referenceYear;
    const n = years.length;
    const cols = this.columns.length;
    const out = new Float32Array(n * cols);
    const o = this.config.output;
    for (let r = 0; r < n; r++) {
      const y = years[r];
      if (o === 'both') {
        out[2 * r] = y;
        out[2 * r + 1] = ref - y;
      } else out[r] = o === 'year' ? y : ref - y;
    }
    return { rows: n, cols, values: out, columns: this.columns };
  }
}
