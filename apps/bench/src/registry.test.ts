import { describe, expect, it } from 'vitest';
import { entryParams, findModel, MODEL_REGISTRY, type ModelEntry } from './registry';
import { popularityFactory } from '@musicrec/models-classic';

describe('entryParams', () => {
  const entry: ModelEntry = {
    name: 'x',
    factory: popularityFactory,
    params: { a: 1, nested: { b: 2 } },
    paramsByDataset: { spotify: { nested: { b: 3 }, c: 4 } },
  };

  it('lays the dataset overrides over params, key by key (a nested object is replaced whole)', () => {
    expect(entryParams(entry, 'spotify')).toEqual({ a: 1, nested: { b: 3 }, c: 4 });
    expect(entryParams(entry, 'lastfm')).toEqual({ a: 1, nested: { b: 2 } });
    expect(entryParams({ name: 'y', factory: popularityFactory }, 'lastfm')).toEqual({});
  });

  it('gives the hybrids on Spotify the Spotify-tuned iALS member, on Last.fm the Last.fm one', () => {
    expect(entryParams(findModel('ensemble'), 'spotify-playlists').cfParams).toMatchObject({ alpha: 40, regularization: 10 });
    expect(entryParams(findModel('ensemble'), 'lastfm-2k').cfParams).toMatchObject({ alpha: 10, regularization: 50 });
    expect(entryParams(findModel('rf-ranker'), 'spotify-playlists').baseParams).toMatchObject({ alpha: 40, iterations: 11 });
  });

  it('every per-dataset override names a known dataset and only keys the model accepts', () => {
    for (const m of MODEL_REGISTRY) {
      for (const [dataset, params] of Object.entries(m.paramsByDataset ?? {})) {
        expect(['lastfm-2k', 'spotify-playlists']).toContain(dataset);
        expect(() => m.factory.create(params)).not.toThrow();
      }
    }
  });
});

describe('skipReason', () => {
  it('content-knn-audio says why it cannot run on a catalog without per-item audio, and runs where there is audio', async () => {
    const { loadDataset } = await import('@musicrec/data');
    const synthetic = await loadDataset('synthetic', { nUsers: 20, nItems: 30, nInteractions: 200, seed: 1 });
    const entry = findModel('content-knn-audio');
    expect(entry.skipReason!(synthetic)).toBeNull();
    const withoutAudio = { ...synthetic, name: 'no-audio', catalog: { ...synthetic.catalog, audio: undefined } };
    expect(entry.skipReason!(withoutAudio)).toBe('no-audio has no per-item audio features');
  });
});
