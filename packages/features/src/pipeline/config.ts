import type { Imputation } from '../scalers/column-fit';
import type { KeyEncoding } from '../encoders/key-mode';
import type { YearOutput } from '../encoders/release-year';

/**
 * MusicPreprocessor options. Columns the catalog lacks are skipped where an option says
 * "where present" (so one config serves Spotify tracks and Last.fm artists); columns named
 * in `audioColumns` must exist.
 */
export interface MusicPreprocessorConfig {
  /** Numeric audio columns by name; null = every catalog audio column except key, mode and time_signature (encoded on their own). */
  audioColumns: string[] | null;
  /** Adds `catalog.popularity` as a numeric column, where present. */
  includePopularity: boolean;
  /** Right-skewed numeric columns that go through log1p (with the fitted shift) first, where present. */
  logColumns: string[];
  /** Clip numeric columns to their IQR fences before scaling. */
  capOutliers: boolean;
  /** IQR fence factor for capping. */
  iqrFactor: number;
  /** 'robust' = (x − median)/IQR, 'standard' = (x − mean)/std. */
  scaling: 'robust' | 'standard';
  /** Missing numeric values (among items that have audio) are filled with the column median or mean. */
  impute: Exclude<Imputation, 'keep'>;
  /** Spotify key: circle (2 columns), 12 one-hot columns, or left out. */
  keyEncoding: KeyEncoding | 'none';
  /** Spotify mode as minor/major one-hot, or left out. */
  modeEncoding: 'onehot' | 'none';
  /** time_signature as one-hot over the values seen in fit, where present. */
  timeSignatureEncoding: 'onehot' | 'none';
  /** Release year → year, age or both (scaled like the audio columns), where present. Age alone by default: year and age are collinear and would double-weight release time in a cosine. */
  yearFeatures: YearOutput | 'none';
  /** Age reference year; null = latest release year seen in fit (stored in the fitted state). */
  referenceYear: number | null;
  /** Products of scaled columns, where both are present. */
  interactionPairs: [string, string][];
  /** One-hot of `catalog.genres`, where present. */
  genreOneHot: boolean;
  /** One-hot of `catalog.subgenres`, where present. */
  subgenreOneHot: boolean;
  /** Tag TF-IDF over `catalog.tags` as a separate sparse block, where present. */
  tagTfidf: boolean;
  tagSublinearTf: boolean;
  tagMinDf: number;
}

export const musicPreprocessorDefaults: MusicPreprocessorConfig = {
  audioColumns: null,
  includePopularity: true,
  logColumns: ['duration_ms', 'popularity', 'playcount'],
  capOutliers: true,
  iqrFactor: 1.5,
  scaling: 'robust',
  impute: 'median',
  keyEncoding: 'cyclical',
  modeEncoding: 'onehot',
  timeSignatureEncoding: 'onehot',
  yearFeatures: 'age',
  referenceYear: null,
  interactionPairs: [
    ['energy', 'loudness'],
    ['danceability', 'valence'],
  ],
  genreOneHot: true,
  subgenreOneHot: false,
  tagTfidf: false,
  tagSublinearTf: true,
  tagMinDf: 2,
};

/** Audio columns that are categorical and get their own encoding instead of scaling. */
export const ENCODED_AUDIO_COLUMNS = ['key', 'mode', 'time_signature'] as const;
