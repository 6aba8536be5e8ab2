import type { RecommenderFactory } from '@musicrec/core';
import { bprFactory } from '../bpr';
import { easeFactory } from '../ease';
import { ialsFactory } from '../ials';
import { itemKnnFactory } from '../item-knn';

/** Collaborative models that can propose the ranker's candidates. */
export const RF_RANKER_BASES = ['ials', 'item-knn', 'ease', 'bpr'] as const;
export type RfRankerBase = (typeof RF_RANKER_BASES)[number];

const FACTORIES: Record<RfRankerBase, RecommenderFactory> = {
  ials: ialsFactory as RecommenderFactory,
  'item-knn': itemKnnFactory as RecommenderFactory,
  ease: easeFactory as RecommenderFactory,
  bpr: bprFactory as RecommenderFactory,
};

export function baseFactory(base: RfRankerBase): RecommenderFactory {
  return FACTORIES[base];
}
