import { ConfigError, Rng } from '@musicrec/core';

/** Candidate values per parameter; the grid is their Cartesian product. */
export interface SearchSpace {
  [param: string]: readonly (number | string | boolean)[];
}

/** Number of points in the grid (product of the value counts). */
export function gridSize(space: SearchSpace): number {
  let size = 1;
  for (const [param, values] of Object.entries(space)) {
    if (!Array.isArray(values) || values.length === 0) throw new ConfigError(`search space: "${param}" has no values`);
    size *= values.length;
  }
  return size;
}

/** Grid point `index` in mixed radix, the last parameter varying fastest. */
export function gridPoint(space: SearchSpace, index: number): Record<string, number | string | boolean> {
  const keys = Object.keys(space);
  const out: Record<string, number | string | boolean> = {};
  let rest = index;
  for (let p = keys.length - 1; p >= 0; p--) {
    const values = space[keys[p]];
    out[keys[p]] = values[rest % values.length];
    rest = Math.floor(rest / values.length);
  }
  // keep the space's key order in the result
  return Object.fromEntries(keys.map((k) => [k, out[k]]));
}

/**
 * `count` distinct grid indices drawn uniformly with the seed (Floyd's algorithm: exactly
 * `count` draws, no rejection), ascending.
 */
export function sampleGridIndices(size: number, count: number, seed: number): number[] {
  if (size > 2 ** 32) throw new ConfigError(`search space of ${size} points is too large to sample; narrow it`);
  const rng = new Rng(seed).fork('tuning');
  const chosen = new Set<number>();
  for (let j = size - count; j < size; j++) {
    const t = rng.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}
