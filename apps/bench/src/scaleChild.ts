/**
 * Child-process entry of `bench scale`: generates one synthetic dataset, fits one model on
 * all of it (binary), answers with fit seconds and the process's peak RSS.
 */
import { generateSynthetic } from '@musicrec/data';
import { findModel, type ModelEntry } from './registry';
import { trainingView } from './runModel';

export interface ScaleJob {
  model: string;
  synthetic: { nUsers: number; nItems: number; nInteractions: number; seed: number };
  params: Record<string, unknown>;
}

process.on('message', async (job: ScaleJob) => {
  try {
    const entry: ModelEntry = findModel(job.model);
    const data = generateSynthetic(job.synthetic);
    const train = trainingView(data.interactions, entry);
    const rssBefore = process.resourceUsage().maxRSS / 1024;
    const model = entry.factory.create({ ...(entry.params ?? {}), ...job.params });
    const t0 = performance.now();
    await model.fit(train, { seed: job.synthetic.seed, catalog: data.catalog, dataset: data });
    const fitSeconds = (performance.now() - t0) / 1000;
    process.send!(
      {
        result: {
          fitSeconds,
          peakRssMb: process.resourceUsage().maxRSS / 1024,
          dataRssMb: rssBefore,
          nnz: train.nnz,
          params: model.params,
          info: model.describe ? model.describe() : {},
        },
      },
      () => process.exit(0),
    );
  } catch (e) {
    process.send!({ error: (e as Error).message }, () => process.exit(1));
  }
});
