import { afterAll, describe, expect, it } from 'vitest';
import { isDisposable, isOnnxExportable, isRefittable, isSequenceRecommender } from '@musicrec/core';
import { entryParams, findModel, MODEL_REGISTRY, onnxExport, runsIn, type ModelEntry } from './registry';
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

describe('registry flags and the abilities they rely on', () => {
  const created = MODEL_REGISTRY.map((entry) => ({ entry, model: entry.factory.create(entryParams(entry, 'lastfm-2k')) }));

  it('every validationFit row builds a Refittable model, and every holdout row of a Refittable model fits on validation', () => {
    for (const { entry, model } of created) {
      if (entry.validationFit) expect(isRefittable(model), entry.name).toBe(true);
      // a row that would tune or stop early on validation without carrying the choice into its refit
      if (isRefittable(model) && runsIn(entry, 'holdout')) expect(entry.validationFit || entry.searchSpace !== undefined, entry.name).toBe(true);
    }
  });

  it('every onnxRow row builds an OnnxExportable model (a sequence row: also a SequenceRecommender)', () => {
    const rows = created.filter(({ entry }) => entry.onnxRow);
    expect(rows.map(({ entry }) => entry.name)).toEqual(['ncf', 'two-tower', 'hybrid-deep', 'sasrec']);
    for (const { entry, model } of rows) {
      expect(isOnnxExportable(model), entry.name).toBe(true);
      if (runsIn(entry, 'sequences') && !runsIn(entry, 'holdout')) expect(isSequenceRecommender(model), entry.name).toBe(true);
    }
  });

  it('onnxExport refuses a model that does not declare OnnxExportable', () => {
    expect(() => onnxExport(popularityFactory.create())).toThrow(/popularity does not export to ONNX/);
  });

  afterAll(() => {
    for (const { model } of created) if (isDisposable(model)) model.dispose();
  });
});
