import { ModelFitError } from '@musicrec/core';
import type { FittedState } from '../state';

/** Codes for a column of categories; -1 marks a missing (null) or unseen value, both counted. */
export interface LabelCodes {
  readonly codes: Int32Array;
  readonly unknown: number;
  readonly missing: number;
}

/** Maps categories to 0..k−1, classes in code-point order so the codes do not depend on row order. */
export class LabelEncoder {
  private index: Map<string, number> | null = null;
  private classList: string[] = [];

  get classes(): readonly string[] {
    if (!this.index) throw new ModelFitError('LabelEncoder: used before fit');
    return this.classList;
  }

  fit(values: readonly (string | null | undefined)[]): this {
    const seen = new Set<string>();
    for (const v of values) if (v !== null && v !== undefined) seen.add(v);
    this.setClasses([...seen].sort());
    return this;
  }

  private setClasses(classes: string[]): void {
    this.classList = classes;
    this.index = new Map(classes.map((c, i) => [c, i]));
  }

  transform(values: readonly (string | null | undefined)[]): LabelCodes {
    if (!this.index) throw new ModelFitError('LabelEncoder: used before fit');
    const codes = new Int32Array(values.length);
    let unknown = 0;
    let missing = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) {
        codes[i] = -1;
        missing++;
        continue;
      }
      const code = this.index.get(v);
      if (code === undefined) {
        codes[i] = -1;
        unknown++;
      } else codes[i] = code;
    }
    return { codes, unknown, missing };
  }

  /** Code → category; -1 → null. */
  inverseTransform(codes: Int32Array): (string | null)[] {
    const classes = this.classes;
    return Array.from(codes, (c) => (c >= 0 && c < classes.length ? classes[c] : null));
  }

  toState(): FittedState {
    return { meta: { kind: 'LabelEncoder', classes: [...this.classes] }, arrays: {} };
  }

  static fromState(state: FittedState): LabelEncoder {
    const e = new LabelEncoder();
    e.setClasses([...(state.meta.classes as string[])]);
    return e;
  }
}
