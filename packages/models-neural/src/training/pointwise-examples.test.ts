import { describe, expect, it } from 'vitest';
import { Interactions } from '@musicrec/core';
import { uniformNegativeSampler } from '@musicrec/data';
import { pickExamples, pointwiseExamples } from './pointwise-examples';

// user 0 saw items 0, 2; user 1 saw item 1; 5 items
const train = Interactions.fromTriples([0, 0, 1], [0, 2, 1], null, ['a', 'b'], ['i0', 'i1', 'i2', 'i3', 'i4']);

describe('pointwiseExamples', () => {
  it('lists each positive followed by its sampled negatives, none of them seen by the user', () => {
    const ex = pointwiseExamples(train, 3, uniformNegativeSampler(train, 5));
    expect(ex.users.length).toBe(3 * 4);
    expect(Array.from(ex.users)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(Array.from(ex.labels)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    expect([ex.items[0], ex.items[4], ex.items[8]]).toEqual([0, 2, 1]);
    for (let k = 0; k < ex.users.length; k++) {
      expect(train.has(ex.users[k], ex.items[k])).toBe(ex.labels[k] === 1);
    }
    const again = pointwiseExamples(train, 3, uniformNegativeSampler(train, 5));
    expect(again.items).toEqual(ex.items);
  });

  it('pickExamples copies the picked rows', () => {
    const ex = pointwiseExamples(train, 1, uniformNegativeSampler(train, 5));
    const picked = pickExamples(ex, Int32Array.of(4, 0));
    expect(Array.from(picked.users)).toEqual([1, 0]);
    expect(Array.from(picked.items)).toEqual([1, 0]);
    expect(Array.from(picked.labels)).toEqual([1, 1]);
  });
});
