import * as tf from '@tensorflow/tfjs-core';
import { DataError, float32ArrayOf, loadModelDir, saveModelDir } from '@musicrec/core';

/** Copies of variable values in plain Float32Arrays (a best-epoch checkpoint kept in memory). */
export function snapshotVariables(variables: readonly tf.Variable[]): Float32Array[] {
  return variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
}

/** Writes a snapshot back into the variables (same order and sizes as taken). */
export function restoreVariables(variables: readonly tf.Variable[], snapshot: readonly Float32Array[]): void {
  if (snapshot.length !== variables.length) {
    throw new RangeError(`snapshot has ${snapshot.length} arrays for ${variables.length} variables`);
  }
  tf.tidy(() => {
    variables.forEach((v, k) => {
      if (snapshot[k].length !== v.size) throw new RangeError(`snapshot ${k} has ${snapshot[k].length} values, variable ${v.name} has ${v.size}`);
      v.assign(tf.tensor(snapshot[k], v.shape, 'float32'));
    });
  });
}

/** Saves variable values as a model directory (one float32 file per variable, shapes in model.json). */
export async function saveCheckpoint(dir: string, variables: readonly tf.Variable[]): Promise<void> {
  const arrays: Record<string, Float32Array> = {};
  snapshotVariables(variables).forEach((a, k) => (arrays[`variable${k}`] = a));
  await saveModelDir(dir, { kind: 'tfjs-checkpoint', shapes: variables.map((v) => v.shape) }, arrays);
}

/** Loads a `saveCheckpoint` directory into variables of the same shapes, in the same order. */
export async function loadCheckpoint(dir: string, variables: readonly tf.Variable[]): Promise<void> {
  const { meta, arrays } = await loadModelDir(dir);
  const shapes = meta.shapes as number[][] | undefined;
  if (meta.kind !== 'tfjs-checkpoint' || !Array.isArray(shapes)) {
    throw new DataError('not a TF.js variable checkpoint', { file: dir, field: 'meta.kind' });
  }
  if (shapes.length !== variables.length) {
    throw new DataError(`checkpoint has ${shapes.length} variables, the model has ${variables.length}`, { file: dir, field: 'meta.shapes' });
  }
  const snapshot = variables.map((v, k) => {
    if (shapes[k].join('x') !== v.shape.join('x')) {
      throw new DataError(`variable ${k} has shape [${shapes[k]}] in the checkpoint, [${v.shape}] in the model`, {
        file: dir,
        field: `meta.shapes.${k}`,
      });
    }
    return float32ArrayOf(arrays, `variable${k}`, v.size, dir);
  });
  restoreVariables(variables, snapshot);
}
