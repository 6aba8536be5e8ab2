import * as tf from '@tensorflow/tfjs-core';

/**
 * ListNet (Cao et al. 2007, top-one probabilities): per list, the cross-entropy between the
 * target distribution and softmax(scores); the mean over lists. scores, target: [lists, L],
 * each target row summing to 1.
 */
export function listNetLoss(scores: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(scores)), 1))) as tf.Scalar;
}

/**
 * Expected intra-list similarity of the top of the predicted distribution: with
 * p = softmax(scores / temperature) per list and S the content cosine matrix of the list's
 * items, the mean over lists of Σ_{j≠k} p_j p_k S_jk / Σ_{j≠k} p_j p_k, i.e. the expected
 * cosine of two distinct draws from p. `unitContent` holds the items' L2-normalised content
 * rows [lists, L, c] (zero rows for items without content, which count as dissimilar).
 */
export function ilsPenalty(scores: tf.Tensor2D, unitContent: tf.Tensor3D, temperature: number): tf.Scalar {
  const p = tf.softmax(tf.div(scores, temperature));
  const similarity = tf.matMul(unitContent, unitContent, false, true);
  const pSp = tf.sum(tf.mul(p, tf.squeeze(tf.matMul(similarity, tf.expandDims(p, 2)), [2])), 1);
  const p2 = tf.square(p);
  // S_jj is 1 for an item with content and 0 without
  const self = tf.sum(tf.mul(p2, tf.sum(tf.square(unitContent), 2)), 1);
  const distinctMass = tf.maximum(tf.sub(1, tf.sum(p2, 1)), 1e-6);
  return tf.mean(tf.div(tf.sub(pSp, self), distinctMass)) as tf.Scalar;
}
