import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDisposable } from '@musicrec/core';
import type { Dataset } from '@musicrec/core';
import { loadDataset } from '@musicrec/data';
import { loadArtifact, writeArtifact } from './artifact-io';
import { MODEL_FACTORIES } from './model-table';

/** Small settings per model so that every registered one fits in seconds. */
const SMALL: Record<string, Record<string, unknown>> = {
  ials: { factors: 8, iterations: 3 },
  bpr: { factors: 8, epochs: 3 },
  'funk-svd': { factors: 8, epochs: 3 },
  'rf-ranker': { trees: 5, candidates: 20, baseParams: { factors: 8, iterations: 3, validateEvery: 0 } },
  ensemble: { cfParams: { factors: 8, iterations: 3 }, simulatedUsers: 30 },
  'two-stage': { cfParams: { factors: 8, iterations: 3 }, candidates: 50 },
  ncf: { epochs: 1, factors: 8, mlpLayers: [16, 8] },
  'two-tower': { epochs: 1, dim: 8, batchSize: 256 },
  'hybrid-deep': { epochs: 1, hidden: 16 },
  sasrec: { epochs: 1, factors: 16, maxLen: 10 },
};

let dir: string;
let dataset: Dataset;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'musicrec-roundtrip-'));
  dataset = await loadDataset('synthetic', { nUsers: 120, nItems: 150, nInteractions: 3000, seed: 11 });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('every registered model round-trips through an artifact', () => {
  for (const [name, factory] of Object.entries(MODEL_FACTORIES)) {
    it(`${name}: the restored model scores every item as the fitted one did`, async () => {
      const model = factory.create(SMALL[name] ?? {});
      const train = dataset.interactions.binarize();
      await model.fit(train, { seed: 42, catalog: dataset.catalog, dataset });
      const out = join(dir, name);
      await writeArtifact(out, {
        model,
        train,
        catalog: dataset.catalog,
        manifest: {
          model: name,
          dataset: { name: dataset.name, files: [] },
          fittedOn: { interactions: 'all', weights: 'binary', seed: 42 },
          musicrec: { version: 'test', commit: null },
          createdAt: new Date(0).toISOString(),
          fitSeconds: 0,
        },
      });
      const users = Int32Array.of(0, 5, 77);
      const before = model.scoreUsers(users);
      const artifact = await loadArtifact(out);
      expect(artifact.manifest.loader).toBe(name);
      expect(artifact.model.name).toBe(name);
      const after = artifact.model.scoreUsers(users);
      expect(after.length).toBe(before.length);
      for (let p = 0; p < before.length; p++) expect(after[p]).toBeCloseTo(before[p], 4);
      for (const m of [model, artifact.model]) if (isDisposable(m)) m.dispose();
    }, 60_000);
  }
});
