import type { StoredArray } from '@musicrec/core';
import { DataError } from '@musicrec/core';

/** What a fitted component saves: JSON-able metadata plus typed arrays (see core `saveModelDir`). */
export interface FittedState {
  readonly meta: Record<string, unknown>;
  readonly arrays: Record<string, StoredArray>;
}

/** The Float64Array `name` of a saved state, checked for presence, type and length. */
export function stateArray(state: FittedState, name: string, length: number, who: string): Float64Array {
  const a = state.arrays[name];
  if (!(a instanceof Float64Array)) throw new DataError(`${who}: saved state has no float64 array "${name}"`, { field: name });
  if (a.length !== length) throw new DataError(`${who}: saved "${name}" has ${a.length} values, expected ${length}`, { field: name });
  return a;
}

/** Prefixes every array name of `state` with `prefix.` so several components share one model dir. */
export function prefixArrays(prefix: string, arrays: Record<string, StoredArray>): Record<string, StoredArray> {
  const out: Record<string, StoredArray> = {};
  for (const [k, v] of Object.entries(arrays)) out[`${prefix}.${k}`] = v;
  return out;
}

/** The arrays saved under `prefix.` with the prefix removed. */
export function unprefixArrays(prefix: string, arrays: Record<string, StoredArray>): Record<string, StoredArray> {
  const out: Record<string, StoredArray> = {};
  const p = `${prefix}.`;
  for (const [k, v] of Object.entries(arrays)) if (k.startsWith(p)) out[k.slice(p.length)] = v;
  return out;
}
