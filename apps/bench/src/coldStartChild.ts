/**
 * Child-process entry for `bench coldstart`: loads the dataset, draws the same cold-start
 * conditions as the parent (same seed), runs ONE model under all of them, answers { row } or { error }.
 */
import type { ColdStartRow } from '@musicrec/eval';
import { loadSpec, type DatasetSpec } from './benchDatasets';
import { coldStartSetup, runColdStartRow, type ColdStartOptions } from './coldStart';
import { findModel } from './registry';
import { makeSplit } from './splitting';

export interface ColdStartJob {
  dataset: DatasetSpec;
  model: string;
  protocol: string;
  params: Record<string, unknown>;
  paramsFrom: ColdStartRow['paramsFrom'];
  options: ColdStartOptions;
}

process.on('message', async (job: ColdStartJob) => {
  try {
    const dataset = await loadSpec(job.dataset);
    const split = makeSplit(dataset, job.protocol, job.options.seed);
    const setup = coldStartSetup(dataset, split, job.options);
    const row = await runColdStartRow(findModel(job.model), job.params, job.paramsFrom, dataset, split, setup, job.options, (m) =>
      process.send!({ progress: m }),
    );
    process.send!({ row }, () => process.exit(0));
  } catch (e) {
    const err = e as Error;
    process.send!({ error: `${err.name}: ${err.message}\n${err.stack ?? ''}` }, () => process.exit(1));
  }
});
