import type { ItemTags } from '@musicrec/core';
import { ConfigError, DataError, ModelFitError, resolveConfig } from '@musicrec/core';
import { checkOneOf } from '../config-checks';
import type { CsrMatrix } from '../matrix';
import type { FittedState } from '../state';
import { stateArray } from '../state';

export interface TfidfConfig {
  /** tf = 1 + ln(count) instead of the raw count (tames tags applied hundreds of times). */
  sublinearTf: boolean;
  /** idf = ln((1 + n) / (1 + df)) + 1 (as if one extra document held every term) instead of ln(n / df) + 1. */
  smoothIdf: boolean;
  /** Terms found in fewer documents than this are left out of the vocabulary. */
  minDf: number;
  /** 'l2' scales each row to unit length (cosine = dot product); empty rows stay empty. */
  norm: 'l2' | 'none';
}
export const tfidfDefaults: TfidfConfig = { sublinearTf: false, smoothIdf: true, minDf: 1, norm: 'l2' };

/**
 * Documents: either token lists (a token may repeat; each occurrence counts 1) or weighted
 * term counts in the core `ItemTags` CSR shape (e.g. Last.fm tag assignment counts).
 */
export type TermDocuments = readonly (readonly string[])[] | ItemTags;

function isWeighted(docs: TermDocuments): docs is ItemTags {
  return !Array.isArray(docs);
}

/** Visits each (document, term name index, count) with term names resolved through `names`. */
interface DocView {
  readonly nDocs: number;
  /** Term names this view uses; `termOf` values index into it. */
  readonly names: readonly string[];
  forEach(visit: (doc: number, term: number, count: number) => void): void;
}

function viewOf(docs: TermDocuments): DocView {
  if (isWeighted(docs)) {
    const nDocs = docs.indptr.length - 1;
    if (docs.tagIndices.length !== docs.counts.length || docs.indptr[nDocs] !== docs.counts.length) {
      throw new DataError(`TfidfVectorizer: weighted terms have indptr end ${docs.indptr[nDocs]}, ${docs.tagIndices.length} indices, ${docs.counts.length} counts`, { field: 'tags' });
    }
    return {
      nDocs,
      names: docs.tagNames,
      forEach(visit) {
        for (let d = 0; d < nDocs; d++) {
          for (let p = docs.indptr[d]; p < docs.indptr[d + 1]; p++) {
            const t = docs.tagIndices[p];
            const c = docs.counts[p];
            if (!(t >= 0 && t < docs.tagNames.length)) throw new DataError(`TfidfVectorizer: document ${d} has tag index ${t}, outside 0..${docs.tagNames.length - 1}`, { field: 'tagIndices' });
            if (!(c >= 0) || c === Infinity) throw new DataError(`TfidfVectorizer: document ${d} has count ${c} for "${docs.tagNames[t]}"`, { field: 'counts' });
            visit(d, t, c);
          }
        }
      },
    };
  }
  // token lists: intern the tokens once so the counting loops below stay on integers
  const ids = new Map<string, number>();
  const names: string[] = [];
  const flat: number[] = [];
  const starts: number[] = [0];
  for (const doc of docs) {
    for (const tok of doc) {
      let id = ids.get(tok);
      if (id === undefined) {
        id = names.length;
        ids.set(tok, id);
        names.push(tok);
      }
      flat.push(id);
    }
    starts.push(flat.length);
  }
  return {
    nDocs: docs.length,
    names,
    forEach(visit) {
      for (let d = 0; d < docs.length; d++) for (let p = starts[d]; p < starts[d + 1]; p++) visit(d, flat[p], 1);
    },
  };
}

/** TF-IDF with a min-df vocabulary (sorted, so columns do not depend on input order) and CSR output. */
export class TfidfVectorizer {
  readonly config: TfidfConfig;
  private vocab: string[] | null = null;
  private column = new Map<string, number>();
  private idfValues: Float64Array = new Float64Array(0);

  constructor(config: Partial<TfidfConfig> = {}) {
    this.config = resolveConfig('TfidfVectorizer', tfidfDefaults, config);
    checkOneOf('TfidfVectorizer', 'norm', this.config.norm, ['l2', 'none']);
    if (!(Number.isInteger(this.config.minDf) && this.config.minDf >= 1)) {
      throw new ConfigError(`TfidfVectorizer: option "minDf" must be an integer ≥ 1, got ${this.config.minDf}`);
    }
  }

  get vocabulary(): readonly string[] {
    if (!this.vocab) throw new ModelFitError('TfidfVectorizer: used before fit');
    return this.vocab;
  }

  get idf(): Float64Array {
    this.vocabulary;
    return this.idfValues;
  }

  fit(docs: TermDocuments): this {
    const view = viewOf(docs);
    const df = new Int32Array(view.names.length);
    const lastDoc = new Int32Array(view.names.length).fill(-1);
    view.forEach((d, t, c) => {
      if (c > 0 && lastDoc[t] !== d) {
        lastDoc[t] = d;
        df[t]++;
      }
    });
    // the same name can appear under two indices in weighted input; merge by name
    const dfByName = new Map<string, number>();
    for (let t = 0; t < view.names.length; t++) {
      if (df[t] === 0) continue;
      const name = view.names[t];
      dfByName.set(name, (dfByName.get(name) ?? 0) + df[t]);
    }
    const vocab = [...dfByName].filter(([, n]) => n >= this.config.minDf).map(([name]) => name).sort();
    const n = view.nDocs;
    const idf = new Float64Array(vocab.length);
    for (let j = 0; j < vocab.length; j++) {
      const f = dfByName.get(vocab[j])!;
      idf[j] = this.config.smoothIdf ? Math.log((1 + n) / (1 + f)) + 1 : Math.log(n / f) + 1;
    }
    this.setVocabulary(vocab, idf);
    return this;
  }

  private setVocabulary(vocab: string[], idf: Float64Array): void {
    this.vocab = vocab;
    this.idfValues = idf;
    this.column = new Map(vocab.map((v, j) => [v, j]));
  }

  /** Terms outside the vocabulary are ignored; each row is a sparse vector over the vocabulary. */
  transform(docs: TermDocuments): CsrMatrix {
    const vocab = this.vocabulary;
    const idf = this.idfValues;
    const view = viewOf(docs);
    const colOf = new Int32Array(view.names.length);
    for (let t = 0; t < view.names.length; t++) colOf[t] = this.column.get(view.names[t]) ?? -1;

    // pass 1: summed counts per (doc, column) via a dense scratch row and a touched list
    const scratch = new Float64Array(vocab.length);
    const touched = new Int32Array(vocab.length);
    let nTouched = 0;
    let currentDoc = 0;
    const indptr = new Int32Array(view.nDocs + 1);
    let indices = new Int32Array(1024);
    let values = new Float32Array(1024);
    let nnz = 0;
    const flush = (doc: number): void => {
      const row = touched.subarray(0, nTouched).sort();
      if (nnz + nTouched > indices.length) {
        const cap = Math.max(indices.length * 2, nnz + nTouched);
        const i2 = new Int32Array(cap);
        i2.set(indices.subarray(0, nnz));
        const v2 = new Float32Array(cap);
        v2.set(values.subarray(0, nnz));
        indices = i2;
        values = v2;
      }
      let ss = 0;
      for (let k = 0; k < nTouched; k++) {
        const j = row[k];
        const tf = this.config.sublinearTf ? 1 + Math.log(scratch[j]) : scratch[j];
        scratch[j] = tf * idf[j];
        ss += scratch[j] * scratch[j];
      }
      const scale = this.config.norm === 'l2' && ss > 0 ? 1 / Math.sqrt(ss) : 1;
      for (let k = 0; k < nTouched; k++) {
        const j = row[k];
        indices[nnz] = j;
        values[nnz] = scratch[j] * scale;
        nnz++;
        scratch[j] = 0;
      }
      nTouched = 0;
      indptr[doc + 1] = nnz;
    };
    view.forEach((d, t, c) => {
      while (currentDoc < d) flush(currentDoc++);
      const j = colOf[t];
      if (j < 0 || !(c > 0)) return;
      if (scratch[j] === 0) touched[nTouched++] = j;
      scratch[j] += c;
    });
    while (currentDoc < view.nDocs) flush(currentDoc++);
    return { rows: view.nDocs, cols: vocab.length, indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) };
  }

  fitTransform(docs: TermDocuments): CsrMatrix {
    return this.fit(docs).transform(docs);
  }

  toState(): FittedState {
    return { meta: { kind: 'TfidfVectorizer', ...this.config, vocabulary: [...this.vocabulary] }, arrays: { idf: this.idfValues } };
  }

  static fromState(state: FittedState): TfidfVectorizer {
    const m = state.meta;
    const v = new TfidfVectorizer({ sublinearTf: Boolean(m.sublinearTf), smoothIdf: Boolean(m.smoothIdf), minDf: Number(m.minDf), norm: m.norm as TfidfConfig['norm'] });
    const vocab = [...(m.vocabulary as string[])];
    v.setVocabulary(vocab, stateArray(state, 'idf', vocab.length, 'TfidfVectorizer'));
    return v;
  }
}
