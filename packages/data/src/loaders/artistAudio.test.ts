import { describe, expect, it } from 'vitest';
import type { Catalog } from '@musicrec/core';
import { joinArtistAudio, normaliseArtistName } from './artistAudio';

describe('normaliseArtistName', () => {
  it.each([
    ['The Beatles', 'beatles'],
    ['Beyoncé', 'beyonce'],
    ['Sigur Rós', 'sigur ros'],
    ['AC/DC', 'acdc'],
    ['Guns N\' Roses', 'guns n roses'],
    ['  Florence   +  the Machine ', 'florence the machine'],
    ['Motörhead', 'motorhead'],
    ['THE  WHO', 'who'],
    ['Theory of a Deadman', 'theory of a deadman'],
    ['Tyler, The Creator', 'tyler the creator'],
  ])('%j → %j', (name, key) => {
    expect(normaliseArtistName(name)).toBe(key);
  });
});

describe('joinArtistAudio', () => {
  // three source tracks with two feature columns; the second Beatles track lacks column b
  const source: Catalog = {
    itemIds: ['s1', 's2', 's3', 's4'],
    artists: ['Beatles', 'the beatles', 'Björk', null],
    audio: {
      columns: ['a', 'b'],
      values: Float32Array.from([1, 10, 3, NaN, 5, 50, 7, 70]),
      present: Uint8Array.from([1, 1, 1, 1]),
    },
  };

  it('averages the matched tracks per feature, skipping NaN, and reports coverage', () => {
    const join = joinArtistAudio(['The Beatles', 'Bjork', 'Nobody', null], Float64Array.from([60, 20, 15, 5]), source);
    expect(join.matchedArtists).toBe(2);
    expect(join.matchedPlayShare).toBeCloseTo(80 / 100, 12);
    expect(join.tracksUsed).toBe(3);
    expect(Array.from(join.audio.present)).toEqual([1, 1, 0, 0]);
    expect(Array.from(join.audio.values)).toEqual([2, 10, 5, 50, NaN, NaN, NaN, NaN]);
    expect(join.audio.columns).toEqual(['a', 'b']);
  });
});
