import { Interactions } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { itemSideOf } from './item-side';

describe('itemSideOf', () => {
  // items played by 3, 1, 3 and 0 of four users
  const train = Interactions.fromTriples([0, 1, 2, 0, 1, 2, 3], [0, 0, 0, 1, 2, 2, 2], null, ['a', 'b', 'c', 'd'], ['w', 'x', 'y', 'z']);

  it('popularity rank = number of items played by more users (ties share it); log popularity scaled to the top item', () => {
    const side = itemSideOf(train, undefined);
    expect(Array.from(side.popularityRank)).toEqual([0, 2, 0, 3]);
    // log(1 + c) / log(1 + 3): 1, log 2 / log 4 = 0.5, 1, 0
    expect(Array.from(side.logPopularity)).toEqual([1, 0.5, 1, 0]);
    const tied = itemSideOf(Interactions.fromTriples([0, 1], [0, 1], null, ['a', 'b'], ['w', 'x']), undefined);
    expect(Array.from(tied.popularityRank)).toEqual([0, 0]);
  });

  it('artists become indices only when some artist has two items; no catalog, no tags', () => {
    expect(itemSideOf(train, { itemIds: ['w', 'x', 'y', 'z'], artists: ['A', 'B', 'C', 'D'] }).artist).toBeNull();
    const side = itemSideOf(train, { itemIds: ['w', 'x', 'y', 'z'], artists: ['A', null, 'B', 'A'] });
    expect(Array.from(side.artist!)).toEqual([0, -1, 1, 0]);
    expect(side.tagIndptr).toBeNull();
  });
});
