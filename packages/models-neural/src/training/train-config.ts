/** Settings of the shared training loop (`trainModel`); every neural model embeds these. */
export interface TrainConfig {
  /** Most passes over the training data. */
  epochs: number;
  batchSize: number;
  /** Adam's starting step size. */
  learningRate: number;
  /** Global-norm gradient clipping threshold; 0 turns clipping off. */
  clipNorm: number;
  /** Epochs without a better validation score before training stops. */
  patience: number;
  /** Epochs without a better validation score before the learning rate is reduced. */
  lrPatience: number;
  /** Factor the learning rate is multiplied by on a plateau. */
  lrFactor: number;
  /** The learning rate is never reduced below this. */
  minLearningRate: number;
  /** Seed for initialisation, shuffling and negative sampling. */
  seed: number;
}

export const trainDefaults: TrainConfig = {
  epochs: 20,
  batchSize: 1024,
  learningRate: 1e-3,
  clipNorm: 5,
  patience: 3,
  lrPatience: 2,
  lrFactor: 0.5,
  minLearningRate: 1e-5,
  seed: 42,
};
