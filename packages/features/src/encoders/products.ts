import { ConfigError } from '@musicrec/core';
import type { DenseMatrix } from '../matrix';

/**
 * Interaction features: for each pair (a, b) the column a·b, computed row by row on the
 * matrix given (meant to be scaled values, so a product is large when both are far from
 * typical, in the same or opposite direction). Column names are `a*b`.
 */
export function productFeatures(m: DenseMatrix, pairs: readonly (readonly [string, string])[]): DenseMatrix {
  const names = m.columns ?? [];
  const at = (name: string): number => {
    const i = names.indexOf(name);
    if (i < 0) throw new ConfigError(`interaction feature: no column "${name}" (have: ${names.join(', ')})`);
    return i;
  };
  const idx = pairs.map(([a, b]) => [at(a), at(b)] as const);
  const k = pairs.length;
  const out = new Float32Array(m.rows * k);
  for (let r = 0; r < m.rows; r++) {
    const row = r * m.cols;
    for (let j = 0; j < k; j++) out[r * k + j] = m.values[row + idx[j][0]] * m.values[row + idx[j][1]];
  }
  return { rows: m.rows, cols: k, values: out, columns: pairs.map(([a, b]) => `${a}*${b}`) };
}
