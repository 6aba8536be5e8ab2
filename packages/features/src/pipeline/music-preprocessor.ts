import type { Catalog } from '@musicrec/core';
import { ConfigError, DataError, ModelFitError, loadModelDir, resolveConfig, saveModelDir } from '@musicrec/core';
import { checkOneOf } from '../config-checks';
import { encodeKey, encodeMode, KEY_ENCODINGS } from '../encoders/key-mode';
import type { KeyEncoding } from '../encoders/key-mode';
import { OneHotEncoder } from '../encoders/one-hot-encoder';
import { productFeatures } from '../encoders/products';
import { ReleaseYearEncoder, YEAR_OUTPUTS } from '../encoders/release-year';
import type { YearOutput } from '../encoders/release-year';
import type { CsrMatrix, DenseMatrix } from '../matrix';
import { selectColumns } from '../matrix';
import { IqrCapper } from '../scalers/iqr-capper';
import { LogTransform } from '../scalers/log-transform';
import { RobustScaler } from '../scalers/robust-scaler';
import { StandardScaler } from '../scalers/standard-scaler';
import type { FittedState } from '../state';
import { prefixArrays, unprefixArrays } from '../state';
import { TfidfVectorizer } from '../tfidf/tfidf-vectorizer';
import type { MusicPreprocessorConfig } from './config';
import { ENCODED_AUDIO_COLUMNS, musicPreprocessorDefaults } from './config';

/** The dense feature rows of a catalog, plus the optional sparse tag block. */
export interface MusicFeatures {
  readonly dim: number;
  /** nItems × dim, row-major; all zeros where present = 0. */
  readonly values: Float32Array;
  readonly columns: string[];
  /** 1 where the item has an audio profile (copied from `catalog.audio.present`). */
  readonly present: Uint8Array;
  /** Tag TF-IDF rows (nItems × vocabulary), when `tagTfidf` is on and the catalog has tags. */
  readonly tags?: CsrMatrix;
  /** Items (with audio) whose genre/subgenre/time signature was not seen in fit: encoded as zeros. */
  readonly unknownCategories: number;
}

const POPULARITY = 'popularity';

/** What fit decided and learned; everything transform needs. */
interface Fitted {
  /** Numeric columns before scaling: audio columns, then popularity, then year/age. */
  numericAudio: string[];
  popularity: boolean;
  year: ReleaseYearEncoder | null;
  logIdx: number[];
  log: LogTransform | null;
  capper: IqrCapper | null;
  scaler: StandardScaler | RobustScaler;
  pairs: [string, string][];
  key: KeyEncoding | null;
  mode: boolean;
  timeSignature: OneHotEncoder | null;
  genre: OneHotEncoder | null;
  subgenre: OneHotEncoder | null;
  tfidf: TfidfVectorizer | null;
  columns: string[];
}

function audioColumn(catalog: Catalog, name: string): Float32Array {
  const audio = catalog.audio;
  const c = audio ? audio.columns.indexOf(name) : -1;
  if (!audio || c < 0) throw new DataError(`catalog has no audio column "${name}" (has: ${audio?.columns.join(', ') ?? 'no audio'})`, { field: name });
  const k = audio.columns.length;
  const n = catalog.itemIds.length;
  const out = new Float32Array(n);
  for (let r = 0; r < n; r++) out[r] = audio.values[r * k + c];
  return out;
}

/** The values of items with audio; null for the rest (so they neither fit nor count as unknown). */
function onlyPresent(present: Uint8Array, values: readonly (string | null)[] | undefined): (string | null)[] {
  return Array.from(present, (p, i) => (p === 1 ? (values?.[i] ?? null) : null));
}

/** The catalog's shape with zero items: enough to name the output columns without transforming everything. */
function noItems(catalog: Catalog): Catalog {
  const a = catalog.audio;
  return {
    itemIds: [],
    genres: catalog.genres && [],
    subgenres: catalog.subgenres && [],
    releaseYears: catalog.releaseYears && new Float32Array(0),
    popularity: catalog.popularity && new Float32Array(0),
    audio: a && { columns: a.columns, values: new Float32Array(0), present: new Uint8Array(0) },
  };
}

function hstack(rows: number, blocks: DenseMatrix[]): DenseMatrix {
  const dim = blocks.reduce((s, b) => s + b.cols, 0);
  const out = new Float32Array(rows * dim);
  let offset = 0;
  for (const b of blocks) {
    for (let r = 0; r < rows; r++) {
      const src = r * b.cols;
      const dst = r * dim + offset;
      for (let j = 0; j < b.cols; j++) out[dst + j] = b.values[src + j];
    }
    offset += b.cols;
  }
  return { rows, cols: dim, values: out, columns: blocks.flatMap((b) => b.columns ?? []) };
}

/**
 * Catalog → dense item feature rows for content models: log for skewed columns, IQR
 * capping, robust or standard scaling (NaN imputed), key/mode/time-signature encoding,
 * year/age, interaction products, genre one-hot, and an optional sparse tag TF-IDF block.
 * Fit uses only items with an audio profile; items without one get zero rows.
 */
export class MusicPreprocessor {
  readonly config: MusicPreprocessorConfig;
  private fitted: Fitted | null = null;

  constructor(config: Partial<MusicPreprocessorConfig> = {}) {
    const c = resolveConfig('MusicPreprocessor', musicPreprocessorDefaults, config);
    const who = 'MusicPreprocessor';
    checkOneOf(who, 'scaling', c.scaling, ['robust', 'standard']);
    checkOneOf(who, 'impute', c.impute, ['median', 'mean']);
    checkOneOf(who, 'keyEncoding', c.keyEncoding, [...KEY_ENCODINGS, 'none']);
    checkOneOf(who, 'modeEncoding', c.modeEncoding, ['onehot', 'none']);
    checkOneOf(who, 'timeSignatureEncoding', c.timeSignatureEncoding, ['onehot', 'none']);
    checkOneOf<YearOutput | 'none'>(who, 'yearFeatures', c.yearFeatures, [...YEAR_OUTPUTS, 'none']);
    if (!(c.iqrFactor >= 0)) throw new ConfigError(`${who}: option "iqrFactor" must be ≥ 0, got ${c.iqrFactor}`);
    for (const p of c.interactionPairs) {
      if (!Array.isArray(p) || p.length !== 2) throw new ConfigError(`${who}: option "interactionPairs" needs [column, column] pairs, got ${JSON.stringify(p)}`);
    }
    this.config = c;
  }

  /** Names of the dense output columns, in order. */
  get columns(): readonly string[] {
    return this.state().columns;
  }

  /** Tag TF-IDF vocabulary (the sparse block's columns), empty when off. */
  get tagVocabulary(): readonly string[] {
    return this.state().tfidf?.vocabulary ?? [];
  }

  private state(): Fitted {
    if (!this.fitted) throw new ModelFitError('MusicPreprocessor: used before fit');
    return this.fitted;
  }

  fit(catalog: Catalog): this {
    const c = this.config;
    const n = catalog.itemIds.length;
    const present = catalog.audio?.present ?? new Uint8Array(n);
    const have = new Set(catalog.audio?.columns ?? []);
    let numericAudio: string[];
    if (c.audioColumns !== null) {
      const missing = c.audioColumns.filter((name) => !have.has(name));
      if (missing.length > 0) throw new ConfigError(`MusicPreprocessor: audioColumns ${missing.join(', ')} not in the catalog (has: ${[...have].join(', ') || 'no audio'})`);
      numericAudio = [...c.audioColumns];
    } else numericAudio = [...have].filter((name) => !(ENCODED_AUDIO_COLUMNS as readonly string[]).includes(name));

    const f: Fitted = {
      numericAudio,
      popularity: c.includePopularity && catalog.popularity !== undefined,
      year: c.yearFeatures !== 'none' && catalog.releaseYears ? new ReleaseYearEncoder({ output: c.yearFeatures, referenceYear: c.referenceYear }) : null,
      logIdx: [],
      log: null,
      // missing values pass the capper untouched so that only the scaler imputes, after fitting on real values
      capper: c.capOutliers ? new IqrCapper({ factor: c.iqrFactor, impute: 'keep' }) : null,
      scaler: c.scaling === 'robust' ? new RobustScaler({ impute: c.impute }) : new StandardScaler({ impute: c.impute }),
      pairs: [],
      key: c.keyEncoding !== 'none' && have.has('key') ? c.keyEncoding : null,
      mode: c.modeEncoding === 'onehot' && have.has('mode'),
      timeSignature: c.timeSignatureEncoding === 'onehot' && have.has('time_signature') ? new OneHotEncoder({ prefix: 'time_signature' }) : null,
      genre: c.genreOneHot && catalog.genres ? new OneHotEncoder({ prefix: 'genre' }) : null,
      subgenre: c.subgenreOneHot && catalog.subgenres ? new OneHotEncoder({ prefix: 'subgenre' }) : null,
      tfidf: c.tagTfidf && catalog.tags ? new TfidfVectorizer({ sublinearTf: c.tagSublinearTf, minDf: c.tagMinDf }) : null,
      columns: [],
    };
    f.year?.fit(catalog.releaseYears!, present);
    const raw = this.numericBlock(catalog, f);
    f.logIdx = c.logColumns.map((name) => raw.columns!.indexOf(name)).filter((i) => i >= 0);
    let numeric = raw;
    if (f.logIdx.length > 0) {
      f.log = new LogTransform().fit(selectColumns(raw, f.logIdx), present);
      numeric = this.applyLog(raw, f);
    }
    if (f.capper) numeric = f.capper.fit(numeric, present).transform(numeric);
    f.scaler.fit(numeric, present);
    const names = numeric.columns!;
    f.pairs = c.interactionPairs.filter(([a, b]) => names.includes(a) && names.includes(b));
    f.genre?.fit(onlyPresent(present, catalog.genres));
    f.subgenre?.fit(onlyPresent(present, catalog.subgenres));
    if (f.timeSignature) f.timeSignature.fit(this.timeSignatureLabels(catalog, present));
    f.tfidf?.fit(catalog.tags!);
    this.fitted = f;
    f.columns = this.dense(noItems(catalog), f).matrix.columns as string[];
    return this;
  }

  transform(catalog: Catalog): MusicFeatures {
    const f = this.state();
    const { matrix, unknownCategories, present } = this.dense(catalog, f);
    let tags: CsrMatrix | undefined;
    if (f.tfidf) {
      if (!catalog.tags) throw new DataError('catalog has no tags, but the preprocessor was fitted with tag TF-IDF', { field: 'tags' });
      tags = f.tfidf.transform(catalog.tags);
    }
    return { dim: matrix.cols, values: matrix.values, columns: [...f.columns], present, tags, unknownCategories };
  }

  fitTransform(catalog: Catalog): MusicFeatures {
    return this.fit(catalog).transform(catalog);
  }

  private numericBlock(catalog: Catalog, f: Fitted): DenseMatrix {
    const n = catalog.itemIds.length;
    const blocks: DenseMatrix[] = f.numericAudio.map((name) => ({ rows: n, cols: 1, values: audioColumn(catalog, name), columns: [name] }));
    if (f.popularity) {
      if (!catalog.popularity) throw new DataError('catalog has no popularity, but the preprocessor was fitted with it', { field: POPULARITY });
      blocks.push({ rows: n, cols: 1, values: catalog.popularity, columns: [POPULARITY] });
    }
    if (f.year) {
      if (!catalog.releaseYears) throw new DataError('catalog has no release years, but the preprocessor was fitted with them', { field: 'releaseYears' });
      blocks.push(f.year.transform(catalog.releaseYears));
    }
    return hstack(n, blocks);
  }

  private applyLog(m: DenseMatrix, f: Fitted): DenseMatrix {
    const logged = f.log!.transform(selectColumns(m, f.logIdx));
    const out = m.values.slice();
    for (let r = 0; r < m.rows; r++) {
      for (let j = 0; j < f.logIdx.length; j++) out[r * m.cols + f.logIdx[j]] = logged.values[r * f.logIdx.length + j];
    }
    return { ...m, values: out };
  }

  private timeSignatureLabels(catalog: Catalog, present: Uint8Array): (string | null)[] {
    const ts = audioColumn(catalog, 'time_signature');
    return Array.from(ts, (v, i) => (present[i] === 1 && v === v ? String(v) : null));
  }

  private dense(catalog: Catalog, f: Fitted): { matrix: DenseMatrix; unknownCategories: number; present: Uint8Array } {
    const n = catalog.itemIds.length;
    const present = catalog.audio ? catalog.audio.present.slice() : new Uint8Array(n);
    let numeric = this.numericBlock(catalog, f);
    if (f.log) numeric = this.applyLog(numeric, f);
    if (f.capper) numeric = f.capper.transform(numeric);
    const scaled = f.scaler.transform(numeric);
    const blocks: DenseMatrix[] = [scaled];
    if (f.pairs.length > 0) blocks.push(productFeatures(scaled, f.pairs));
    if (f.key) blocks.push(encodeKey(audioColumn(catalog, 'key'), f.key));
    if (f.mode) blocks.push(encodeMode(audioColumn(catalog, 'mode')));
    let unknownCategories = 0;
    const oneHot = (enc: OneHotEncoder | null, values: readonly (string | null)[]) => {
      if (!enc) return;
      const b = enc.transform(values);
      unknownCategories += b.unknown;
      blocks.push(b.matrix);
    };
    if (f.timeSignature) oneHot(f.timeSignature, this.timeSignatureLabels(catalog, present));
    if (f.genre) oneHot(f.genre, onlyPresent(present, catalog.genres));
    if (f.subgenre) oneHot(f.subgenre, onlyPresent(present, catalog.subgenres));
    const matrix = hstack(n, blocks);
    // no audio profile → a zero row, whatever the imputation would have made of it
    for (let r = 0; r < n; r++) if (present[r] !== 1) matrix.values.fill(0, r * matrix.cols, (r + 1) * matrix.cols);
    return { matrix, unknownCategories, present };
  }

  /** Saves config and fitted state as `model.json` plus one binary file per parameter array. */
  async save(dir: string): Promise<void> {
    const f = this.state();
    const parts: Record<string, FittedState | null> = {
      log: f.log?.toState() ?? null,
      capper: f.capper?.toState() ?? null,
      scaler: f.scaler.toState(),
      timeSignature: f.timeSignature?.toState() ?? null,
      genre: f.genre?.toState() ?? null,
      subgenre: f.subgenre?.toState() ?? null,
      tfidf: f.tfidf?.toState() ?? null,
    };
    const meta: Record<string, unknown> = {
      kind: 'MusicPreprocessor',
      config: this.config,
      numericAudio: f.numericAudio,
      popularity: f.popularity,
      year: f.year ? { output: f.year.config.output, referenceYear: f.year.referenceYear } : null,
      logIdx: f.logIdx,
      pairs: f.pairs,
      key: f.key,
      mode: f.mode,
      columns: f.columns,
      parts: Object.fromEntries(Object.entries(parts).map(([k, s]) => [k, s?.meta ?? null])),
    };
    let arrays = {};
    for (const [k, s] of Object.entries(parts)) if (s) arrays = { ...arrays, ...prefixArrays(k, s.arrays) };
    await saveModelDir(dir, meta, arrays);
  }

  static async load(dir: string): Promise<MusicPreprocessor> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.kind !== 'MusicPreprocessor') throw new DataError(`not a saved MusicPreprocessor (kind ${JSON.stringify(meta.kind)})`, { file: dir, field: 'meta.kind' });
    const p = new MusicPreprocessor(meta.config as MusicPreprocessorConfig);
    const partsMeta = meta.parts as Record<string, Record<string, unknown> | null>;
    const part = <T>(name: string, restore: (s: FittedState) => T): T | null => {
      const m = partsMeta[name];
      return m ? restore({ meta: m, arrays: unprefixArrays(name, arrays) }) : null;
    };
    const year = meta.year as { output: YearOutput; referenceYear: number } | null;
    const scalerMeta = partsMeta.scaler!;
    p.fitted = {
      numericAudio: meta.numericAudio as string[],
      popularity: Boolean(meta.popularity),
      year: year ? new ReleaseYearEncoder(year).fit([]) : null,
      logIdx: meta.logIdx as number[],
      log: part('log', LogTransform.fromState),
      capper: part('capper', IqrCapper.fromState),
      scaler: scalerMeta.kind === 'RobustScaler' ? part('scaler', RobustScaler.fromState)! : part('scaler', StandardScaler.fromState)!,
      pairs: meta.pairs as [string, string][],
      key: meta.key as KeyEncoding | null,
      mode: Boolean(meta.mode),
      timeSignature: part('timeSignature', OneHotEncoder.fromState),
      genre: part('genre', OneHotEncoder.fromState),
      subgenre: part('subgenre', OneHotEncoder.fromState),
      tfidf: part('tfidf', TfidfVectorizer.fromState),
      columns: meta.columns as string[],
    };
    return p;
  }
}
