export * from './popularity';
export * from './item-knn';
