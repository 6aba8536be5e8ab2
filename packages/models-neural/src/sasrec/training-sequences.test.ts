import { leaveLastOutSequences } from '@musicrec/data';
import { describe, expect, it } from 'vitest';
import { sequencesOf } from './test-sequences';
import { sequencesWithoutHeldOutValidation } from './training-sequences';

describe('sequencesWithoutHeldOutValidation', () => {
  // u0: train [0, 1], validation 2, test 3; u1: train [4], validation 5, test 6;
  // u2: train [7, 8, 9], validation 1, test 2; u3: two events, no validation target
  const split = leaveLastOutSequences(sequencesOf([[0, 1, 2, 3], [4, 5, 6], [7, 8, 9, 1, 2], [5, 6]]));

  it('keeps the held-out users’ validation events out and trains on everyone else’s, never on a test event', () => {
    const s = sequencesWithoutHeldOutValidation(split, Int32Array.of(1));
    expect(Array.from(s.indptr)).toEqual([0, 3, 4, 8, 9]);
    expect(Array.from(s.items)).toEqual([0, 1, 2, 4, 7, 8, 9, 1, 5]);
    expect(Array.from(s.timestamps)).toEqual([0, 1, 2, 0, 0, 1, 2, 3, 0]);
  });

  it('is the split’s train sequences when every user is held out, its full-train ones when none is', () => {
    const all = sequencesWithoutHeldOutValidation(split, Int32Array.of(0, 1, 2, 3));
    expect(Array.from(all.items)).toEqual(Array.from(split.train.items));
    expect(Array.from(all.indptr)).toEqual(Array.from(split.train.indptr));
    const none = sequencesWithoutHeldOutValidation(split, new Int32Array(0));
    expect(Array.from(none.items)).toEqual(Array.from(split.fullTrain.items));
  });
});
