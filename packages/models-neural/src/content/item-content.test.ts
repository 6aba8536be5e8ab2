import { describe, expect, it } from 'vitest';
import { ConfigError, DataError, type Catalog, type ItemTags } from '@musicrec/core';
import { generateSynthetic } from '@musicrec/data';
import { buildItemContent } from './item-content';
import { itemContentDefaults, resolveItemContentConfig } from './config';
import { tagTfidfBlock } from './tag-block';

// item 0: rock ×3, pop ×1; item 1: rock ×1; item 2: no tags; jazz is on one item only
const tags: ItemTags = {
  indptr: Int32Array.of(0, 2, 4, 4),
  tagIndices: Int32Array.of(0, 1, 0, 2),
  counts: Float32Array.of(3, 1, 1, 1),
  tagNames: ['rock', 'pop', 'jazz'],
};

describe('tagTfidfBlock', () => {
  it('keeps the most widespread tags and weights them by (1 + ln tf) · smooth idf, rows unit length', () => {
    const block = tagTfidfBlock(tags, 3, 2);
    // df: rock 2, pop 1, jazz 1 → rock, then pop (lower index wins the tie)
    expect(block.columns).toEqual(['tag:rock', 'tag:pop']);
    const idfRock = Math.log(4 / 3) + 1;
    const idfPop = Math.log(4 / 2) + 1;
    const a = (1 + Math.log(3)) * idfRock;
    const b = idfPop;
    const n = Math.hypot(a, b);
    expect(block.values[0]).toBeCloseTo(a / n, 6);
    expect(block.values[1]).toBeCloseTo(b / n, 6);
    // item 1 only has jazz outside the kept columns besides rock → [1, 0]
    expect(Array.from(block.values.subarray(2, 4))).toEqual([1, 0]);
    expect(Array.from(block.values.subarray(4, 6))).toEqual([0, 0]);
    expect(Array.from(block.present)).toEqual([1, 1, 0]);
  });
});

describe('buildItemContent', () => {
  it('without a catalog every item is a zero row with the missing flag', () => {
    const c = buildItemContent(undefined, 3, itemContentDefaults);
    expect(c.columns).toEqual(['content_missing']);
    expect(Array.from(c.values)).toEqual([1, 1, 1]);
    expect(Array.from(c.hasContent)).toEqual([0, 0, 0]);
  });

  it('tags only (Last.fm without audio): tag block + missing flag for the untagged item', () => {
    const catalog: Catalog = { itemIds: ['a', 'b', 'c'], tags };
    const c = buildItemContent(catalog, 3, { ...itemContentDefaults, tagWidth: 2 });
    expect(c.columns).toEqual(['tag:rock', 'tag:pop', 'content_missing']);
    expect(Array.from(c.values.subarray(6, 9))).toEqual([0, 0, 1]);
    expect(c.values[2]).toBe(0);
    expect(Array.from(c.hasContent)).toEqual([1, 1, 0]);
  });

  it('synthetic catalog: audio, genre one-hot only when asked, age and tags; deterministic and finite', () => {
    const { catalog, interactions } = generateSynthetic({ nUsers: 30, nItems: 40, nInteractions: 300, seed: 3 });
    const withGenres = { ...itemContentDefaults, genres: true };
    const a = buildItemContent(catalog, interactions.nItems, withGenres);
    const b = buildItemContent(catalog, interactions.nItems, withGenres);
    expect(a.values).toEqual(b.values);
    expect(a.columns).toContain('audio_present');
    expect(a.columns.some((name) => name.startsWith('genre'))).toBe(true);
    // off by default: Spotify's genre is a playlist attribute (it would leak playlist membership)
    const plain = buildItemContent(catalog, interactions.nItems, itemContentDefaults);
    expect(plain.columns.some((name) => name.startsWith('genre'))).toBe(false);
    expect(plain.dim).toBeLessThan(a.dim);
    expect(a.values.length).toBe(40 * a.dim);
    expect(a.values.every(Number.isFinite)).toBe(true);
    expect(a.hasContent.every((h) => h === 1)).toBe(true);
  });

  it('averaged key/mode (Last.fm artist profiles) are left out instead of rejected', () => {
    const audio = { columns: ['energy', 'key', 'mode'], values: Float32Array.of(0.5, 4.625, 0.5, 0.7, 2, 1), present: Uint8Array.of(1, 1) };
    const c = buildItemContent({ itemIds: ['a', 'b'], audio }, 2, itemContentDefaults);
    expect(c.columns.some((name) => name.startsWith('key') || name.startsWith('mode'))).toBe(false);
    expect(c.columns).toContain('energy');
    expect(c.values.every(Number.isFinite)).toBe(true);
  });

  it('a catalog of another size is a DataError naming the field', () => {
    expect(() => buildItemContent({ itemIds: ['a'] }, 2, itemContentDefaults)).toThrow(DataError);
    expect(() => buildItemContent({ itemIds: ['a'] }, 2, itemContentDefaults)).toThrow(/catalog\.itemIds/);
  });

  it('config: negative tag width is a ConfigError', () => {
    expect(() => resolveItemContentConfig({ tagWidth: -1 })).toThrow(ConfigError);
  });
});
