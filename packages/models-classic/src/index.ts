export * from './popularity';
export * from './item-knn';
export * from './bpr';
export * from './funk-svd';
export * from './ials';
export * from './ease';
export * from './content-knn';
export * from './mmr';
