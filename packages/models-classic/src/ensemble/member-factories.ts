import type { RecommenderFactory } from '@musicrec/core';
import { bprFactory } from '../bpr';
import { easeFactory } from '../ease';
import { funkSvdFactory } from '../funk-svd';
import { ialsFactory } from '../ials';
import { itemKnnFactory } from '../item-knn';

/** The collaborative models a hybrid can use as its CF member, by registry name. */
const CF_FACTORIES: Readonly<Record<string, RecommenderFactory>> = {
  ials: ialsFactory as RecommenderFactory,
  'item-knn': itemKnnFactory as RecommenderFactory,
  ease: easeFactory as RecommenderFactory,
  bpr: bprFactory as RecommenderFactory,
  'funk-svd': funkSvdFactory as RecommenderFactory,
};

export const CF_MEMBER_NAMES: readonly string[] = Object.keys(CF_FACTORIES);

/** The factory of a CF member name (checked by the hybrids' config resolution). */
export function cfMemberFactory(name: string): RecommenderFactory {
  const f = CF_FACTORIES[name];
  if (!f) throw new RangeError(`unknown CF member "${name}" (known: ${CF_MEMBER_NAMES.join(', ')})`);
  return f;
}
