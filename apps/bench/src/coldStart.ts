import { isDisposable, type Dataset, type Interactions, type Recommender, type Split } from '@musicrec/core';
import {
  coldItemSplit,
  coldShareAtK,
  coldStartMetrics,
  cutUserHistories,
  evaluateModel,
  itemsWithContent,
  pickColdStartUsers,
} from '@musicrec/eval';
import type { ColdItemSplit, ColdStartMetrics, ColdStartRow } from '@musicrec/eval';
import type { ModelEntry } from './registry';
import { trainingView } from './runModel';

/** How the cold-start conditions are drawn; serialisable so every child draws the same ones. */
export interface ColdStartOptions {
  seed: number;
  /** History lengths the selected users are cut to. */
  levels: number[];
  minTrainItems: number;
  maxUsers: number;
  /** Share of the items with content made cold; 0 = no item cold start. */
  itemFraction: number;
}

export const COLD_START_DEFAULTS: Omit<ColdStartOptions, 'seed'> = { levels: [1, 3, 5], minTrainItems: 6, maxUsers: 300, itemFraction: 0.1 };

/** The drawn conditions: the users to cut, and the cold-item split (null without content or when off). */
export interface ColdStartSetup {
  users: Int32Array;
  contentItems: number;
  item: (ColdItemSplit & { isCold: Uint8Array }) | null;
}

/** Draws the users and the cold items from the split (deterministic in the seed). */
export function coldStartSetup(dataset: Dataset, split: Split, opts: ColdStartOptions): ColdStartSetup {
  const users = pickColdStartUsers(split.fullTrain, split.test, { seed: opts.seed, minTrainItems: opts.minTrainItems, maxUsers: opts.maxUsers });
  const content = itemsWithContent(dataset.catalog, split.fullTrain.nItems);
  let contentItems = 0;
  for (const c of content) contentItems += c;
  if (opts.itemFraction <= 0 || contentItems === 0) return { users, contentItems, item: null };
  const item = coldItemSplit(split, content, { fraction: opts.itemFraction, seed: opts.seed });
  const isCold = new Uint8Array(content.length);
  for (const i of item.coldItems) isCold[i] = 1;
  return { users, contentItems, item: { ...item, isCold } };
}

/**
 * One model under every condition, with fixed params (no retuning): refitted on the train ∪
 * validation where the selected users keep 1, 3, 5 items (and uncut, "full"), scored on those
 * users' test items with their whole original history excluded; then refitted without the
 * cold items' interactions and scored on the cold test items over the whole catalogue.
 */
export async function runColdStartRow(
  entry: ModelEntry,
  params: Record<string, unknown>,
  paramsFrom: ColdStartRow['paramsFrom'],
  dataset: Dataset,
  split: Split,
  setup: ColdStartSetup,
  opts: ColdStartOptions,
  log: (message: string) => void = () => {},
): Promise<ColdStartRow> {
  let fitSeconds = 0;
  let resolved: Record<string, unknown> = params;
  const fit = async (train: Interactions): Promise<Recommender> => {
    const model = entry.factory.create(params);
    const t0 = performance.now();
    await model.fit(trainingView(train, entry), { seed: opts.seed, catalog: dataset.catalog, dataset });
    fitSeconds += (performance.now() - t0) / 1000;
    resolved = { ...model.params };
    return model;
  };

  const userColdStart: Record<string, ColdStartMetrics> = {};
  for (const level of [...opts.levels, 'full' as const]) {
    log(`${entry.name}: users keep ${level === 'full' ? 'their whole history' : `${level} item(s)`}`);
    const train = level === 'full' ? split.fullTrain : cutUserHistories(split.fullTrain, setup.users, level, opts.seed);
    const model = await fit(train);
    // the whole original history stays excluded: a cut item is neither recommendable nor a miss,
    // so the levels differ only in what the model knows about the user
    const evaluation = evaluateModel(model, { fullTrain: split.fullTrain, test: split.test }, { users: setup.users, catalog: dataset.catalog });
    userColdStart[String(level)] = coldStartMetrics(evaluation);
    // one fit per condition: free each (TF.js tensors) before the next
    if (isDisposable(model)) model.dispose();
  }

  let itemColdStart: ColdStartRow['itemColdStart'] = null;
  if (setup.item) {
    log(`${entry.name}: ${setup.item.coldItems.length} cold items`);
    const train = setup.item.split.fullTrain;
    const model = await fit(train);
    const evaluation = evaluateModel(model, { fullTrain: train, test: setup.item.coldTest }, { catalog: dataset.catalog });
    itemColdStart = { ...coldStartMetrics(evaluation), coldShare10: coldShareAtK(evaluation.recs, 10, setup.item.isCold) };
    if (isDisposable(model)) model.dispose();
  }
  return { model: entry.name, params: resolved, paramsFrom, userColdStart, itemColdStart, fitSeconds };
}
