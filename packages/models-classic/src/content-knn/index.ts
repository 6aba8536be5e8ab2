export { ContentKnnRecommender, NO_CONTENT_SCORE } from './content-knn';
export { contentKnnFactory } from './factory';
export { contentKnnDefaults, contentKnnSearchSpace, resolveContentKnnConfig, CONTENT_BLOCKS, RESOLVED_CONTENT_SOURCES } from './config';
export type {
  ContentKnnConfig,
  ContentKnnOptions,
  ContentSource,
  ContentBlock,
  ContentShares,
  ContentProfile,
  ContentUserWeighting,
} from './config';
export { artistColumns, buildContentVectors, resolveContentSource, sparsePostings } from './content-vectors';
export type { ContentVectors, ResolvedContentSource, SparsePostings } from './content-vectors';
export { contentNeighbors, neighborsAmong, similarityBlock } from './content-neighbors';
export type { ContentNeighbors } from './content-neighbors';
export { zScoreAudio } from './audio-zscore';
export { tagTfIdf } from './tag-tfidf';
