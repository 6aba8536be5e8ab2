import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';

let registered: Promise<void> | null = null;

/**
 * Registers TF.js's gradient functions (tf.grad / variableGrads need them).
 *
 * tfjs-core's Node entry (dist/tf-core.node.js) ships without them: they live in
 * dist/register_all_gradients.js, an ES module with extensionless imports that Node cannot
 * load, and only the @tensorflow/tfjs umbrella package (not a dependency here) bundles them.
 * So we bundle that file once per process with esbuild (in memory, offline, ~0.3 s) and
 * import it as a data: URL. The bundle carries its own copy of tfjs-core's internals; they
 * find the running engine and registries through tfjs's global namespace (`_tfengine`,
 * `getGlobal('gradRegistry')`), which exists precisely so that several copies share them.
 */
export function registerGradients(): Promise<void> {
  if (!registered) {
    registered = (async () => {
      if (tf.getGradient(tf.GatherV2)) return; // already there (e.g. the umbrella package is loaded)
      const { build } = await import('esbuild');
      const require = createRequire(import.meta.url);
      const entry = require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
      const result = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'error' });
      const code = result.outputFiles[0].text;
      await import(/* @vite-ignore */ `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
      if (!tf.getGradient(tf.GatherV2)) throw new Error('TF.js gradients did not register');
    })();
    registered.catch(() => {
      registered = null;
    });
  }
  return registered;
}
