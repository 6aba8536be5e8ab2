import type { Sequences } from '@musicrec/core';
import type { SequenceSplit } from '@musicrec/data';

/**
 * The sequences SASRec learns from when only a sample of users is held out for validation:
 * the held-out users' train rows (validation event removed), every other user's full-train
 * row (validation event included as the last target). The most recent transitions are the
 * closest to the test targets, and the validation events are the last input at test time,
 * so training on them gives those items trained embeddings; the held-out users keep early
 * stopping honest. The test event is in neither.
 */
export function sequencesWithoutHeldOutValidation(split: SequenceSplit, heldOut: Int32Array): Sequences {
  const { train, fullTrain } = split;
  const nUsers = train.indptr.length - 1;
  const isHeldOut = new Uint8Array(nUsers);
  for (let k = 0; k < heldOut.length; k++) isHeldOut[heldOut[k]] = 1;
  const sourceOf = (u: number): Sequences => (isHeldOut[u] === 1 ? train : fullTrain);
  const indptr = new Int32Array(nUsers + 1);
  for (let u = 0; u < nUsers; u++) {
    const s = sourceOf(u);
    indptr[u + 1] = indptr[u] + s.indptr[u + 1] - s.indptr[u];
  }
  const items = new Int32Array(indptr[nUsers]);
  const timestamps = new Float64Array(indptr[nUsers]);
  for (let u = 0; u < nUsers; u++) {
    const s = sourceOf(u);
    items.set(s.items.subarray(s.indptr[u], s.indptr[u + 1]), indptr[u]);
    timestamps.set(s.timestamps.subarray(s.indptr[u], s.indptr[u + 1]), indptr[u]);
  }
  return { indptr, items, timestamps };
}
