import { ConfigError, DISPOSABLE, ModelFitError, REFITTABLE, loadModelDir, resolveConfig, saveModelDir } from '@musicrec/core';
import type { FitContext, Interactions, Recommender, RecommenderFactory, Split } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { interactionsFromRows } from '../testing/fixtures';
import { gridPoint, gridSize, sampleGridIndices } from './search-space';
import { tuneModel } from './tune-model';

// a type alias (not an interface) so it fits Recommender's Record<string, unknown> params
type FavoriteConfig = {
  favorite: number;
  bias: string;
  fail: boolean;
};
const favoriteDefaults: FavoriteConfig = { favorite: 0, bias: 'up', fail: false };

/** Ranks one favourite item first, then the rest by index (ascending for "up", descending for "down"). */
class FavoriteItem implements Recommender {
  readonly name = 'favorite-item';
  readonly params: FavoriteConfig;
  nItems = 0;
  seenFit: { trainNnz: number; validationNnz?: number; validateScore?: number; seed: number } | null = null;

  constructor(params: Partial<FavoriteConfig> = {}) {
    this.params = resolveConfig('favorite-item', favoriteDefaults, params);
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    if (this.params.fail) throw new ModelFitError('diverged on purpose');
    this.nItems = train.nItems;
    this.seenFit = { trainNnz: train.nnz, validationNnz: ctx.validation?.nnz, validateScore: ctx.validate?.(this), seed: ctx.seed };
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    const n = this.nItems;
    const buf = out ?? new Float32Array(users.length * n);
    for (let b = 0; b < users.length; b++) {
      for (let i = 0; i < n; i++) buf[b * n + i] = i === this.params.favorite ? 100 : this.params.bias === 'up' ? -i : i;
    }
    return buf;
  }

  async save(dir: string): Promise<void> {
    await saveModelDir(dir, { params: this.params, nItems: this.nItems });
  }
}

const created: FavoriteItem[] = [];
const factory: RecommenderFactory = {
  name: 'favorite-item',
  create: (params) => {
    const m = new FavoriteItem(params as Partial<FavoriteConfig>);
    created.push(m);
    return m;
  },
  load: async (dir) => {
    const { meta } = await loadModelDir(dir);
    const m = new FavoriteItem(meta.params as FavoriteConfig);
    m.nItems = meta.nItems as number;
    return m;
  },
};

const train = interactionsFromRows([[0], [1], [0], [2]], 6);
const validation = interactionsFromRows([[3, 5], [3], [3], [5]], 6);
const test = interactionsFromRows([[1], [0], [1], [0]], 6); // must never decide anything
const split: Split = {
  protocol: 'holdout',
  seed: 1,
  train,
  validation,
  fullTrain: interactionsFromRows([[0, 3, 5], [1, 3], [0, 3], [2, 5]], 6),
  test,
};
const space = { favorite: [1, 3, 5], bias: ['up', 'down'] };

describe('search space', () => {
  it('enumerates the grid with the last parameter fastest', () => {
    expect(gridSize(space)).toBe(6);
    expect([0, 1, 2, 5].map((i) => gridPoint(space, i))).toEqual([
      { favorite: 1, bias: 'up' },
      { favorite: 1, bias: 'down' },
      { favorite: 3, bias: 'up' },
      { favorite: 5, bias: 'down' },
    ]);
    expect(() => gridSize({ a: [] })).toThrow(/"a" has no values/);
  });

  it('samples distinct indices reproducibly', () => {
    const a = sampleGridIndices(1000, 20, 7);
    expect(a).toEqual(sampleGridIndices(1000, 20, 7));
    expect(new Set(a).size).toBe(20);
    expect(a.every((i) => i >= 0 && i < 1000)).toBe(true);
    expect(sampleGridIndices(5, 5, 3)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('tuneModel', () => {
  it('runs the whole grid when it fits the budget and picks the best validation NDCG@10', async () => {
    created.length = 0;
    const seen: number[] = [];
    const r = await tuneModel(factory, space, split, { budget: 10, seed: 5, fixed: { fail: false }, onTrial: (t) => seen.push(t.index) });
    expect(r.trials.map((t) => t.params)).toEqual([0, 1, 2, 3, 4, 5].map((i) => gridPoint(space, i)));
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.best).toEqual({ fail: false, favorite: 3, bias: 'down' });
    // favourite 3 first, then 5: users 0–2 score 1, user 3 finds item 5 at rank 2
    expect(r.bestScore).toBeCloseTo((3 + 1 / Math.log2(3)) / 4, 6);
    // fitted on train with validation available, never on train ∪ validation
    expect(created[0].seenFit).toMatchObject({ trainNnz: 4, validationNnz: 5, seed: 5 });
    expect(created[3].seenFit!.validateScore).toBeCloseTo(r.bestScore, 12);
    expect(r.trials.every((t) => t.fitSeconds >= 0)).toBe(true);
  });

  it('returns what the best trial chose on validation through Refittable, {} for a model that is not', async () => {
    const plain = await tuneModel(factory, space, split, { budget: 10, seed: 5 });
    expect(plain.bestRefitParams).toEqual({});
    // the same model declaring Refittable: it "chose" an epoch count from its favourite
    const refittable: RecommenderFactory = {
      ...factory,
      create: (params) => Object.assign(factory.create(params), { [REFITTABLE]: true, refitParams() { return { epochs: 10 + (this as unknown as FavoriteItem).params.favorite }; } }),
    };
    const r = await tuneModel(refittable, space, split, { budget: 10, seed: 5 });
    expect(r.best).toEqual({ favorite: 3, bias: 'down' });
    expect(r.bestRefitParams).toEqual({ epochs: 13 });
    expect(r.trials.map((t) => t.refitParams)).toEqual([11, 11, 13, 13, 15, 15].map((epochs) => ({ epochs })));
  });

  it('disposes every Disposable trial model it does not return, and never the one it returns', async () => {
    const disposed: number[] = [];
    const disposable: RecommenderFactory = {
      ...factory,
      create: (params) => {
        const m = factory.create(params);
        return Object.assign(m, { [DISPOSABLE]: true, dispose: () => disposed.push((m as FavoriteItem).params.favorite) });
      },
    };
    created.length = 0;
    await tuneModel(disposable, space, split, { budget: 10, seed: 5 });
    expect(disposed.length).toBe(created.length);
    disposed.length = 0;
    created.length = 0;
    const kept = await tuneModel(disposable, space, split, { budget: 10, seed: 5, keepBestModel: true });
    // all but the returned model, each once (a replaced best included)
    expect(disposed.length).toBe(created.length - 1);
    expect(created.filter((m) => m !== kept.bestModel).map((m) => m.params.favorite).sort()).toEqual([...disposed].sort());
  });

  it('keeps the best trial\'s fitted model only when asked', async () => {
    created.length = 0;
    const kept = await tuneModel(factory, space, split, { budget: 10, seed: 5, keepBestModel: true });
    // grid index 3 is favourite 3 / down, the best trial above
    expect(kept.bestModel).toBe(created[3]);
    expect((kept.bestModel as FavoriteItem).seenFit!.trainNnz).toBe(4);
    const notKept = await tuneModel(factory, space, split, { budget: 10, seed: 5 });
    expect(notKept.bestModel).toBeUndefined();
  });

  it('samples `budget` distinct grid points with the seed when the grid is larger', async () => {
    const a = await tuneModel(factory, space, split, { budget: 4, seed: 11 });
    const b = await tuneModel(factory, space, split, { budget: 4, seed: 11 });
    expect(a.trials).toHaveLength(4);
    expect(a.trials.map((t) => t.params)).toEqual(b.trials.map((t) => t.params));
    expect(new Set(a.trials.map((t) => JSON.stringify(t.params))).size).toBe(4);
    const best = Math.max(...a.trials.map((t) => t.score));
    expect(a.bestScore).toBe(best);
  });

  it('records failed fits and keeps going; fails only when every trial failed', async () => {
    const r = await tuneModel(factory, { fail: [true, false] }, split, { budget: 2, seed: 1, fixed: { favorite: 3 } });
    expect(Number.isNaN(r.trials[0].score)).toBe(true);
    expect(r.trials[0].error).toBe('diverged on purpose');
    expect(r.best).toEqual({ favorite: 3, fail: false });
    await expect(tuneModel(factory, { fail: [true] }, split, { budget: 1, seed: 1 })).rejects.toThrow(ModelFitError);
  });

  it('rejects conflicting or impossible settings', async () => {
    await expect(tuneModel(factory, space, split, { budget: 3, seed: 1, strategy: 'grid' })).rejects.toThrow(/6 points, more than the budget of 3/);
    await expect(tuneModel(factory, space, split, { budget: 10, seed: 1, fixed: { favorite: 2 } })).rejects.toThrow(ConfigError);
    await expect(tuneModel(factory, space, split, { budget: 0, seed: 1 })).rejects.toThrow(/budget/);
    await expect(tuneModel(factory, { favourite: [1] }, split, { budget: 1, seed: 1 })).rejects.toThrow(/unknown option "favourite"/);
  });
});
