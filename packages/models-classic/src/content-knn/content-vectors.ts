import { DataError, type Catalog } from '@musicrec/core';
import type { ContentSource } from './config';
import { zScoreAudio } from './audio-zscore';
import { tagTfIdf } from './tag-tfidf';

export type ResolvedContentSource = Exclude<ContentSource, 'auto'>;

/**
 * Unit-length item vectors: a dense block (z-scored audio, `dim` columns) followed by a
 * sparse block (tag TF-IDF, CSR over `nTags` columns). The dot product of two rows is their
 * cosine. An item with neither block has a zero row and `present[i] = 0`.
 */
export interface ContentVectors {
  readonly nItems: number;
  readonly dim: number;
  readonly dense: Float32Array;
  readonly nTags: number;
  readonly tagIndptr: Int32Array;
  readonly tagIndices: Int32Array;
  readonly tagValues: Float32Array;
  readonly present: Uint8Array;
}

/** 'auto' → 'audio' when the catalog has audio features, else 'tags'. */
export function resolveContentSource(source: ContentSource, catalog: Catalog): ResolvedContentSource {
  if (source !== 'auto') return source;
  return catalog.audio ? 'audio' : 'tags';
}

/**
 * Builds the item vectors from the catalog. For 'audio+tags' each block is L2-normalised
 * on its own and scaled by √audioShare and √(1 − audioShare), so the cosine of two items
 * with both blocks is audioShare · cos_audio + (1 − audioShare) · cos_tags; an item with only
 * one block is normalised to that block alone.
 */
export function buildContentVectors(
  catalog: Catalog,
  source: ResolvedContentSource,
  audioShare: number,
  nItems: number,
): ContentVectors {
  if (catalog.itemIds.length !== nItems) {
    throw new DataError(`content-knn: catalog has ${catalog.itemIds.length} items, the training matrix ${nItems}`, {
      field: 'catalog.itemIds',
    });
  }
  const useAudio = source !== 'tags';
  const useTags = source !== 'audio';
  if (useAudio && !catalog.audio) {
    throw new DataError(`content-knn: source "${source}" needs audio features and this catalog has none`, { field: 'catalog.audio' });
  }
  if (useTags && !catalog.tags) {
    throw new DataError(`content-knn: source "${source}" needs tags and this catalog has none`, { field: 'catalog.tags' });
  }
  const audio = useAudio ? catalog.audio! : undefined;
  const tags = useTags ? catalog.tags! : undefined;
  if (audio && audio.values.length !== nItems * audio.columns.length) {
    throw new DataError(`content-knn: audio has ${audio.values.length} values, expected ${nItems} × ${audio.columns.length}`, {
      field: 'catalog.audio.values',
    });
  }
  if (tags && tags.indptr.length !== nItems + 1) {
    throw new DataError(`content-knn: tags indptr has length ${tags.indptr.length}, expected ${nItems + 1}`, {
      field: 'catalog.tags.indptr',
    });
  }

  const dim = audio ? audio.columns.length : 0;
  const dense = audio ? zScoreAudio(audio, nItems) : new Float32Array(0);
  const tagIndptr = tags ? tags.indptr.slice() : new Int32Array(nItems + 1);
  const tagIndices = tags ? tags.tagIndices.slice(0, tagIndptr[nItems]) : new Int32Array(0);
  const tagValues = tags ? tagTfIdf(tags, nItems) : new Float32Array(0);
  const present = new Uint8Array(nItems);
  const both = useAudio && useTags;

  for (let i = 0; i < nItems; i++) {
    let denseNorm = 0;
    for (let d = 0; d < dim; d++) denseNorm += dense[i * dim + d] * dense[i * dim + d];
    let tagNorm = 0;
    for (let p = tagIndptr[i]; p < tagIndptr[i + 1]; p++) tagNorm += tagValues[p] * tagValues[p];
    const hasDense = denseNorm > 0;
    const hasTags = tagNorm > 0;
    present[i] = hasDense || hasTags ? 1 : 0;
    const denseScale = hasDense ? (both && hasTags ? Math.sqrt(audioShare) : 1) / Math.sqrt(denseNorm) : 0;
    const tagScale = hasTags ? (both && hasDense ? Math.sqrt(1 - audioShare) : 1) / Math.sqrt(tagNorm) : 0;
    for (let d = 0; d < dim; d++) dense[i * dim + d] *= denseScale;
    for (let p = tagIndptr[i]; p < tagIndptr[i + 1]; p++) tagValues[p] *= tagScale;
  }
  return { nItems, dim, dense, nTags: tags ? tags.tagNames.length : 0, tagIndptr, tagIndices, tagValues, present };
}

/** Tag → (item, weight) CSR: the transpose of the sparse block, for scoring all items against a tag profile. */
export interface TagPostings {
  readonly indptr: Int32Array;
  readonly items: Int32Array;
  readonly values: Float32Array;
}

export function tagPostings(v: ContentVectors): TagPostings {
  const indptr = new Int32Array(v.nTags + 1);
  const nnz = v.tagIndptr[v.nItems];
  for (let p = 0; p < nnz; p++) indptr[v.tagIndices[p] + 1]++;
  for (let t = 0; t < v.nTags; t++) indptr[t + 1] += indptr[t];
  const cursor = indptr.slice(0, v.nTags);
  const items = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let i = 0; i < v.nItems; i++) {
    for (let p = v.tagIndptr[i]; p < v.tagIndptr[i + 1]; p++) {
      const q = cursor[v.tagIndices[p]]++;
      items[q] = i;
      values[q] = v.tagValues[p];
    }
  }
  return { indptr, items, values };
}
