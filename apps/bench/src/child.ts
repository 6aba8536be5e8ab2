/**
 * Child-process entry: fits and evaluates ONE model so that its peak RSS is its own
 * (plus the loaded dataset) and a crash or leak in one model cannot spoil the others.
 * Receives a ChildJob over IPC, answers with { rows } (the model's row, then its ONNX-served row if any) or { error }.
 */
import { makeSplit } from './splitting';
import { loadSpec, type DatasetSpec } from './benchDatasets';
import { findModel } from './registry';
import { runModelRow, type RowOptions } from './runModel';
import { runSequentialRows, SEQUENCES_PROTOCOL } from './sequentialRow';

export interface ChildJob {
  dataset: DatasetSpec;
  model: string;
  protocol: string;
  options: Omit<RowOptions, 'onProgress'>;
}

process.on('message', async (job: ChildJob) => {
  try {
    const dataset = await loadSpec(job.dataset);
    const onProgress = (message: string) => process.send!({ progress: message });
    if (job.protocol === SEQUENCES_PROTOCOL) {
      const rows = await runSequentialRows(findModel(job.model), dataset, { ...job.options, onProgress });
      process.send!({ rows }, () => process.exit(0));
      return;
    }
    const split = makeSplit(dataset, job.protocol, job.options.seed);
    const { row, extraRows } = await runModelRow(findModel(job.model), dataset, split, {
      ...job.options,
      onProgress: (message) => process.send!({ progress: message }),
    });
    process.send!({ rows: [row, ...extraRows] }, () => process.exit(0));
  } catch (e) {
    const err = e as Error;
    process.send!({ error: `${err.name}: ${err.message}\n${err.stack ?? ''}` }, () => process.exit(1));
  }
});
