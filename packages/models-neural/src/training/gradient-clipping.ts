import * as tf from '@tensorflow/tfjs-core';

/**
 * Scales all gradients by min(1, clipNorm / globalNorm) where globalNorm is the L2 norm of
 * every gradient together (Pascanu et al. 2013), so their direction is kept. Call inside
 * tf.tidy; clipNorm 0 returns the gradients unchanged.
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, clipNorm: number): tf.NamedTensorMap {
  if (!(clipNorm > 0)) return grads;
  const names = Object.keys(grads);
  if (names.length === 0) return grads;
  const squares = names.map((n) => tf.sum(tf.square(grads[n])));
  const globalNorm = tf.sqrt(tf.addN(squares));
  const scale = tf.div(clipNorm, tf.maximum(globalNorm, clipNorm));
  const clipped: tf.NamedTensorMap = {};
  for (const n of names) clipped[n] = tf.mul(grads[n], scale);
  return clipped;
}
