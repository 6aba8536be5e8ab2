export { itemSimilarityOf, nearestLikedItems } from './item-similarity';
export type { ItemSimilarityFn, LikedNeighbor } from './item-similarity';
export {
  buildColdItemImputation,
  coldItemArrays,
  coldItemsOf,
  hasColdItemImputation,
  imputeColdScores,
  imputedFrom,
  loadColdItemImputation,
  noColdItemImputation,
} from './cold-item-imputation';
export type { ColdItemImputation } from './cold-item-imputation';
