/**
 * Training throughput of the neural models per TF.js backend: one epoch of each model on the
 * same seeded eighth of Last.fm's users (the embedding tables keep their full 17,632 items, so
 * per-step costs are the real ones), examples per second as the training loop counts them
 * (NCF: positives and sampled negatives; Two-Tower: positive pairs; HybridDeep: lists;
 * SASRec: predicted positions), wall clock and CPU seconds of the whole fit.
 *
 *   npx tsx apps/bench/src/neuralThroughput.ts [--backends wasm,cpu] [--models ncf,two-tower,hybrid-deep,sasrec]
 *
 * TF.js picks its backend once per process, so each backend runs in a child process. The data
 * directory is MUSICREC_DATA_DIR, else ../shared/datasets next to the repository.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Recommender, Sequences } from '@musicrec/core';
import { leaveLastOutSequences, loadLastfm2k } from '@musicrec/data';
import { backendChoices, HybridDeepRecommender, NcfRecommender, SasRecRecommender, TwoTowerRecommender, type BackendChoice } from '@musicrec/models-neural';

const MODELS = ['ncf', 'two-tower', 'hybrid-deep', 'sasrec'] as const;
type ModelName = (typeof MODELS)[number];

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const dataDir = process.env.MUSICREC_DATA_DIR ?? fileURLToPath(new URL('../../../../shared/datasets', import.meta.url));

/** Keeps every eighth user's events (the others get empty histories: same ids, same tables). */
function everyEighthUser(s: Sequences): Sequences {
  const indptr = new Int32Array(s.indptr.length);
  const items: number[] = [];
  const timestamps: number[] = [];
  for (let u = 0; u + 1 < s.indptr.length; u++) {
    if (u % 8 === 0) {
      for (let k = s.indptr[u]; k < s.indptr[u + 1]; k++) {
        items.push(s.items[k]);
        timestamps.push(s.timestamps[k]);
      }
    }
    indptr[u + 1] = items.length;
  }
  return { indptr, items: Int32Array.from(items), timestamps: Float64Array.from(timestamps) };
}

function cpuSeconds(): number {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1e6;
}

async function child(backend: BackendChoice, models: ModelName[]): Promise<void> {
  const dataset = await loadLastfm2k({ dataDir });
  const train = dataset.interactions.binarize().filterEntries((u) => u % 8 === 0);
  for (const name of models) {
    const params = { epochs: 1, backend };
    let model: Recommender;
    const wall0 = performance.now();
    const cpu0 = cpuSeconds();
    if (name === 'sasrec') {
      const sasrec = new SasRecRecommender({ ...params, loss: 'sampled-softmax' });
      const split = leaveLastOutSequences(everyEighthUser(dataset.sequences!));
      // no validation users: one epoch of training only
      await sasrec.fitSequences({ ...split, validationTarget: new Int32Array(split.validationTarget.length).fill(-1) }, { seed: 42, nItems: train.nItems });
      model = sasrec;
    } else {
      model = name === 'ncf' ? new NcfRecommender(params) : name === 'two-tower' ? new TwoTowerRecommender(params) : new HybridDeepRecommender(params);
      await model.fit(train, { seed: 42, catalog: dataset.catalog });
    }
    const d = model.describe!() as { backend: string; examplesPerSecond: number };
    process.stdout.write(
      `${JSON.stringify({ model: name, backend: d.backend, examplesPerSecond: Math.round(d.examplesPerSecond), wallSeconds: +((performance.now() - wall0) / 1000).toFixed(1), cpuSeconds: +(cpuSeconds() - cpu0).toFixed(1) })}\n`,
    );
  }
}

if (args[0] === '--child') {
  await child(args[1] as BackendChoice, args[2].split(',') as ModelName[]);
} else {
  const backends = option('--backends', 'wasm,cpu').split(',');
  for (const b of backends) if (!(backendChoices as readonly string[]).includes(b)) throw new Error(`unknown backend "${b}" (known: ${backendChoices.join(', ')})`);
  const models = option('--models', MODELS.join(',')).split(',');
  for (const m of models) if (!(MODELS as readonly string[]).includes(m)) throw new Error(`unknown model "${m}" (known: ${MODELS.join(', ')})`);
  console.log(`neural training throughput, lastfm-2k, every 8th user, 1 epoch, node ${process.version}`);
  console.log('| model | backend | examples/s | fit wall s | fit CPU s |\n| --- | --- | ---: | ---: | ---: |');
  for (const backend of backends) {
    const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', backend, models.join(',')], {
      encoding: 'utf8',
      env: { ...process.env, MUSICREC_TF_BACKEND: backend },
      maxBuffer: 1 << 24,
    });
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('{'));
    for (const line of lines) {
      const r = JSON.parse(line) as { model: string; backend: string; examplesPerSecond: number; wallSeconds: number; cpuSeconds: number };
      console.log(`| ${r.model} | ${r.backend} | ${r.examplesPerSecond.toLocaleString('en')} | ${r.wallSeconds} | ${r.cpuSeconds} |`);
    }
    if (run.status !== 0) {
      console.error(run.stderr.split('\n').filter((l) => !/warn|Vulkan|BackendVk/.test(l)).slice(-20).join('\n'));
      process.exitCode = 1;
    }
  }
}
