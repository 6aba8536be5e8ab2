export * from './popularity';
