export { itemSimilarityOf, nearestLikedItems } from './item-similarity';
export type { ItemSimilarityFn, LikedNeighbor } from './item-similarity';
