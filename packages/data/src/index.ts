export * from './loaders';
export * from './split';
export * from './synthetic';
export * from './sampling';
export * from './sequences';
export * from './stats';
