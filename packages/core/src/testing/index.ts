export { describeRecommender } from './describe-recommender';
export type { RecommenderSuiteOptions } from './describe-recommender';
export { checkerboard } from './checkerboard';
export type { Checkerboard } from './checkerboard';
export { clusteredInteractions, clusteredInteractionsDefaults } from './clustered-interactions';
export type { ClusteredInteractionsOptions } from './clustered-interactions';
export { perUserHoldout } from './holdout';
export { ndcgOfList, meanNdcgAtK, popularityNdcgAtK } from './ranking-quality';
