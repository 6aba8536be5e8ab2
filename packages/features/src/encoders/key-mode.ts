import { DataError } from '@musicrec/core';
import type { DenseMatrix } from '../matrix';

export type KeyEncoding = 'cyclical' | 'onehot';
export const KEY_ENCODINGS: readonly KeyEncoding[] = ['cyclical', 'onehot'];

/** Pitch-class names for Spotify's `key` (0 = C … 11 = B). */
export const PITCH_CLASSES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;

function checkKey(k: number, row: number): void {
  if (k === k && !(Number.isInteger(k) && k >= -1 && k <= 11)) {
    throw new DataError(`key must be an integer pitch class 0..11 or -1 (unknown), got ${k} in row ${row}`, { field: 'key' });
  }
}

/**
 * Spotify `key` (pitch class 0..11, −1 or NaN = unknown). 'cyclical' puts it on the circle
 * (sin, cos of 2πk/12) so B and C are neighbours; 'onehot' gives 12 columns. Unknown → all zeros.
 */
export function encodeKey(keys: ArrayLike<number>, encoding: KeyEncoding): DenseMatrix {
  const n = keys.length;
  if (encoding === 'cyclical') {
    const out = new Float32Array(n * 2);
    for (let r = 0; r < n; r++) {
      const k = keys[r];
      checkKey(k, r);
      if (!(k >= 0)) continue;
      out[2 * r] = Math.sin((2 * Math.PI * k) / 12);
      out[2 * r + 1] = Math.cos((2 * Math.PI * k) / 12);
    }
    return { rows: n, cols: 2, values: out, columns: ['key_sin', 'key_cos'] };
  }
  const out = new Float32Array(n * 12);
  for (let r = 0; r < n; r++) {
    const k = keys[r];
    checkKey(k, r);
    if (k >= 0) out[r * 12 + k] = 1;
  }
  return { rows: n, cols: 12, values: out, columns: PITCH_CLASSES.map((p) => `key=${p}`) };
}

/** Spotify `mode` (1 = major, 0 = minor) as two one-hot columns; missing (NaN) → both 0. */
export function encodeMode(modes: ArrayLike<number>): DenseMatrix {
  const n = modes.length;
  const out = new Float32Array(n * 2);
  for (let r = 0; r < n; r++) {
    const m = modes[r];
    if (m !== m) continue;
    if (m !== 0 && m !== 1) throw new DataError(`mode must be 0 (minor) or 1 (major), got ${m} in row ${r}`, { field: 'mode' });
    out[2 * r + m] = 1;
  }
  return { rows: n, cols: 2, values: out, columns: ['mode=minor', 'mode=major'] };
}
