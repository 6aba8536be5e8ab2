import type { Rng } from '@musicrec/core';

/** A seeded sample of at most `max` of `values`, ascending (all of them when there are few enough). */
export function sampleSeeded(values: Int32Array, max: number, rng: Rng): Int32Array {
  if (values.length <= max) return values.slice();
  return rng.shuffle(values.slice()).subarray(0, max).sort();
}
