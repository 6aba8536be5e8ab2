import { DataError, type Catalog } from '@musicrec/core';
import { MusicPreprocessor } from '@musicrec/features';
import type { ItemContentConfig } from './config';
import { tagTfidfBlock } from './tag-block';

/** Dense per-item content for the neural models' item towers. */
export interface ItemContent {
  readonly nItems: number;
  readonly dim: number;
  /** nItems × dim, row-major, finite. */
  readonly values: Float32Array;
  readonly columns: readonly string[];
  /** 1 where the item has any content (audio or a kept tag); the rest are zero rows + the missing flag. */
  readonly hasContent: Uint8Array;
}

interface Block {
  values: Float32Array;
  columns: readonly string[];
}

/**
 * Builds the item content matrix from whatever the catalog has: audio features, key/mode,
 * genre and subgenre one-hot when asked (off by default, see ItemContentConfig) and release age through `MusicPreprocessor` (fitted on the
 * items that have audio), an "audio present" flag, a fixed-width tag TF-IDF block, and a
 * final "missing" flag for items with none of these. Deterministic: no sampling anywhere.
 * Without a catalog every item is a zero row with the missing flag set.
 */
export function buildItemContent(catalog: Catalog | undefined, nItems: number, config: ItemContentConfig): ItemContent {
  if (catalog && catalog.itemIds.length !== nItems) {
    throw new DataError(`catalog has ${catalog.itemIds.length} items, the training matrix ${nItems}`, { field: 'catalog.itemIds' });
  }
  const blocks: Block[] = [];
  const hasContent = new Uint8Array(nItems);
  const audioPresent = catalog?.audio?.present;
  if (catalog && audioPresent && audioPresent.some((p) => p === 1)) {
    // per-artist mean profiles (Last.fm × Spotify) average key/mode into fractions: no category to encode
    const categorical = categoricalAudioIsWhole(catalog) ? {} : ({ keyEncoding: 'none', modeEncoding: 'none', timeSignatureEncoding: 'none' } as const);
    const features = new MusicPreprocessor({
      genreOneHot: config.genres && catalog.genres !== undefined,
      subgenreOneHot: config.subgenres && catalog.subgenres !== undefined,
      ...categorical,
    }).fitTransform(catalog);
    blocks.push({ values: features.values, columns: features.columns });
    const flag = new Float32Array(nItems);
    for (let i = 0; i < nItems; i++) if (features.present[i] === 1) flag[i] = hasContent[i] = 1;
    blocks.push({ values: flag, columns: ['audio_present'] });
  }
  if (catalog?.tags && config.tagWidth > 0) {
    const tags = tagTfidfBlock(catalog.tags, nItems, config.tagWidth);
    if (tags.columns.length > 0) {
      blocks.push(tags);
      for (let i = 0; i < nItems; i++) if (tags.present[i] === 1) hasContent[i] = 1;
    }
  }
  const missing = new Float32Array(nItems);
  for (let i = 0; i < nItems; i++) if (hasContent[i] === 0) missing[i] = 1;
  blocks.push({ values: missing, columns: ['content_missing'] });
  return { nItems, hasContent, ...concatColumns(blocks, nItems) };
}

/** Whether key, mode and time_signature (where present) hold whole numbers on every item with audio. */
function categoricalAudioIsWhole(catalog: Catalog): boolean {
  const audio = catalog.audio!;
  const width = audio.columns.length;
  for (const name of ['key', 'mode', 'time_signature']) {
    const c = audio.columns.indexOf(name);
    if (c < 0) continue;
    for (let i = 0; i < audio.present.length; i++) {
      const v = audio.values[i * width + c];
      if (audio.present[i] === 1 && v === v && !Number.isInteger(v)) return false;
    }
  }
  return true;
}

function concatColumns(blocks: Block[], nItems: number): { dim: number; values: Float32Array; columns: string[] } {
  const dim = blocks.reduce((s, b) => s + b.columns.length, 0);
  const values = new Float32Array(nItems * dim);
  let offset = 0;
  for (const b of blocks) {
    const w = b.columns.length;
    for (let i = 0; i < nItems; i++) {
      for (let c = 0; c < w; c++) {
        const v = b.values[i * w + c];
        // the preprocessor imputes; anything still not finite is a bug upstream, not content
        if (!Number.isFinite(v)) throw new DataError(`content value ${v} for item ${i}`, { field: b.columns[c] });
        values[i * dim + offset + c] = v;
      }
    }
    offset += w;
  }
  return { dim, values, columns: blocks.flatMap((b) => b.columns) };
}
