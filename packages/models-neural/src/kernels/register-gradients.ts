import * as tf from '@tensorflow/tfjs-core';

let registered: Promise<void> | null = null;

/**
 * Registers TF.js's gradient functions (tf.grad / variableGrads need them).
 *
 * tfjs-core's Node entry (dist/tf-core.node.js) ships without them; its
 * dist/register_all_gradients.js is an ES module with extensionless imports that Node
 * cannot load. The documented way in Node is the @tensorflow/tfjs umbrella package, whose
 * CommonJS bundle registers every gradient against the same tfjs-core instance we use
 * (one version, deduplicated by npm), so loading it once is enough.
 */
export function registerGradients(): Promise<void> {
  if (!registered) {
    registered = (async () => {
      if (tf.getGradient(tf.GatherV2)) return;
      await import('@tensorflow/tfjs');
      if (!tf.getGradient(tf.GatherV2)) {
        throw new Error('TF.js gradients did not register: @tensorflow/tfjs and @tensorflow/tfjs-core must be the same version');
      }
    })();
    registered.catch(() => {
      registered = null;
    });
  }
  return registered;
}
