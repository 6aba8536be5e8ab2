import { fileURLToPath } from 'node:url';
import { loadDataset } from '@musicrec/data';
import { describe, expect, it } from 'vitest';
import { dataQualityReport } from '../quality/data-quality';
import { MusicPreprocessor } from './music-preprocessor';

const dataDir = process.env.MUSICREC_DATA_DIR ?? fileURLToPath(new URL('../../../../../shared/datasets', import.meta.url));

describe('MusicPreprocessor on the real Spotify catalog', () => {
  it('gives finite rows for all 28,356 tracks, median 0 on robust-scaled columns, and a consistent quality report', async () => {
    const { catalog } = await loadDataset('spotify-playlists', { dataDir });
    const out = new MusicPreprocessor().fitTransform(catalog);
    expect(out.present.length).toBe(28356);
    expect(out.values.length).toBe(28356 * out.dim);
    expect(out.values.every(Number.isFinite)).toBe(true);
    expect(out.unknownCategories).toBe(0);
    expect(out.columns.filter((c) => c.startsWith('genre='))).toEqual(['genre=edm', 'genre=latin', 'genre=pop', 'genre=r&b', 'genre=rap', 'genre=rock']);
    // every track has exactly one genre
    const g0 = out.columns.indexOf('genre=edm');
    for (let r = 0; r < 28356; r++) {
      let s = 0;
      for (let j = 0; j < 6; j++) s += out.values[r * out.dim + g0 + j];
      if (s !== 1) throw new Error(`track ${r} has ${s} genres`);
    }
    // robust scaling puts the median of a column with no missing values at 0
    const e = out.columns.indexOf('energy');
    const energy = Float64Array.from({ length: 28356 }, (_, r) => out.values[r * out.dim + e]).sort();
    expect(Math.abs((energy[14177] + energy[14178]) / 2)).toBeLessThan(1e-6);

    const report = dataQualityReport(catalog);
    expect(report.items).toBe(28356);
    expect(report.numeric.map((c) => c.column)).toEqual([
      'danceability', 'energy', 'key', 'loudness', 'mode', 'speechiness', 'acousticness', 'instrumentalness',
      'liveness', 'valence', 'tempo', 'duration_ms', 'popularity', 'release_year',
    ]);
    for (const c of report.numeric) expect(c.count).toBe(28356);
    expect(report.categorical.find((c) => c.column === 'genre')!.distinct).toBe(6);
  }, 60_000);
});
