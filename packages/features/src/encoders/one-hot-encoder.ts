import { ConfigError, resolveConfig } from '@musicrec/core';
import type { DenseMatrix } from '../matrix';
import type { FittedState } from '../state';
import { LabelEncoder } from './label-encoder';

export interface OneHotEncoderConfig {
  /** Column names are `${prefix}=${category}`. */
  prefix: string;
  /** Categories seen fewer times in fit are dropped (their rows encode as all zeros). */
  minFrequency: number;
}
export const oneHotEncoderDefaults: OneHotEncoderConfig = { prefix: 'category', minFrequency: 1 };

/** A one-hot block plus how many rows were all zeros because their value was unseen or missing. */
export interface OneHotBlock {
  readonly matrix: DenseMatrix;
  readonly unknown: number;
  readonly missing: number;
}

/** One column per fitted category; an unseen category encodes as all zeros and is counted. */
export class OneHotEncoder {
  readonly config: OneHotEncoderConfig;
  private readonly labels = new LabelEncoder();

  constructor(config: Partial<OneHotEncoderConfig> = {}) {
    this.config = resolveConfig('OneHotEncoder', oneHotEncoderDefaults, config);
    if (!(this.config.minFrequency >= 1)) throw new ConfigError(`OneHotEncoder: option "minFrequency" must be ≥ 1, got ${this.config.minFrequency}`);
  }

  get categories(): readonly string[] {
    return this.labels.classes;
  }

  get columns(): string[] {
    return this.categories.map((c) => `${this.config.prefix}=${c}`);
  }

  fit(values: readonly (string | null | undefined)[]): this {
    const counts = new Map<string, number>();
    for (const v of values) if (v !== null && v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
    this.labels.fit([...counts].filter(([, n]) => n >= this.config.minFrequency).map(([v]) => v));
    return this;
  }

  transform(values: readonly (string | null | undefined)[]): OneHotBlock {
    const { codes, unknown, missing } = this.labels.transform(values);
    const k = this.categories.length;
    const out = new Float32Array(values.length * k);
    for (let r = 0; r < codes.length; r++) if (codes[r] >= 0) out[r * k + codes[r]] = 1;
    return { matrix: { rows: values.length, cols: k, values: out, columns: this.columns }, unknown, missing };
  }

  toState(): FittedState {
    return { meta: { kind: 'OneHotEncoder', ...this.config, categories: [...this.categories] }, arrays: {} };
  }

  static fromState(state: FittedState): OneHotEncoder {
    const e = new OneHotEncoder({ prefix: String(state.meta.prefix), minFrequency: Number(state.meta.minFrequency) });
    // categories are stored already filtered; refit on them once each
    e.labels.fit(state.meta.categories as string[]);
    return e;
  }
}
