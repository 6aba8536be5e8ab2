import * as tf from '@tensorflow/tfjs-core';

/** Adam whose learning rate can be lowered between steps (reduce-on-plateau). */
export class AdjustableAdam extends tf.AdamOptimizer {
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999) {
    super(learningRate, beta1, beta2);
  }

  get currentLearningRate(): number {
    return this.learningRate;
  }

  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }
}
