import { ConfigError, type RecommenderFactory } from '@musicrec/core';
import {
  bprFactory,
  contentKnnFactory,
  easeFactory,
  ensembleFactory,
  funkSvdFactory,
  ialsFactory,
  itemKnnFactory,
  popularityFactory,
  rfRankerFactory,
  twoStageFactory,
} from '@musicrec/models-classic';
import { hybridDeepFactory, ncfFactory, sasRecFactory, twoTowerFactory } from '@musicrec/models-neural';

/**
 * The one table from a model's own name (`Recommender.name`, the artifact's `loader`) to the
 * factory that creates and restores it. A model added to musicrec is served once it is here.
 */
export const MODEL_FACTORIES: Readonly<Record<string, RecommenderFactory>> = Object.freeze(
  Object.fromEntries(
    [
      popularityFactory,
      itemKnnFactory,
      contentKnnFactory,
      ialsFactory,
      bprFactory,
      funkSvdFactory,
      easeFactory,
      rfRankerFactory,
      ensembleFactory,
      twoStageFactory,
      ncfFactory,
      twoTowerFactory,
      hybridDeepFactory,
      sasRecFactory,
    ].map((f) => [f.name, f as RecommenderFactory]),
  ),
);

/** The factory registered under `name`; a ConfigError naming the registered ones otherwise. */
export function modelFactory(name: string, where = 'model'): RecommenderFactory {
  const factory = Object.hasOwn(MODEL_FACTORIES, name) ? MODEL_FACTORIES[name] : undefined;
  if (!factory) {
    throw new ConfigError(`${where}: no model named "${name}" is registered; registered: ${Object.keys(MODEL_FACTORIES).join(', ')}`);
  }
  return factory;
}
