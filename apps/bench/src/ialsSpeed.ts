/**
 * iALS speed against the `implicit` 0.7.3 reference (conjugate gradient, 2 cores):
 * seconds per iteration on lastfm-2k (64 factors) and on synthetic 100k users × 20k items ×
 * 5M interactions (32/64/128 factors), and top-20 for every user with train items excluded,
 * old path (scoreUsers + core topK) against recommendAll (fused kernel), 1 and 2 threads.
 * Times are medians of 3 (iterations 2–4 of one fit; 3 recommend runs), wall clock and CPU
 * seconds of all the process's threads (steadier than wall time on a shared machine).
 *
 *   npx tsx apps/bench/src/ialsSpeed.ts [lastfm] [synthetic] [--factors 32,64,128] [--no-old]
 *
 * --no-old skips the old recommend path on synthetic (minutes on a loaded machine).
 *
 * The data directory is MUSICREC_DATA_DIR, else ../shared/datasets next to the repository.
 */
import { fileURLToPath } from 'node:url';
import { range, recommendTopK, type Interactions, type TopKResult } from '@musicrec/core';
import { generateSynthetic, loadLastfm2k } from '@musicrec/data';
import { ImplicitALS } from '@musicrec/models-classic';

const REFERENCE = {
  lastfm: { iteration64: [0.053, 0.03], recommendAll: [0.145, 0.107] },
  synthetic: { iteration32: null, iteration64: [1.83, 0.88], iteration128: [2.95, 1.34], recommendAll: [9.3, 6.0] },
} as const;

const args = process.argv.slice(2);
const factorsArg = args.indexOf('--factors');
const syntheticFactors = factorsArg >= 0 ? args[factorsArg + 1].split(',').map(Number) : [32, 64, 128];
const which = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--factors');
const syntheticOldRepeats = args.includes('--no-old') ? 0 : 1;
const runLastfm = which.length === 0 || which.includes('lastfm');
const runSynthetic = which.length === 0 || which.includes('synthetic');
const dataDir = process.env.MUSICREC_DATA_DIR ?? fileURLToPath(new URL('../../../../shared/datasets', import.meta.url));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Seconds of CPU this process (all its threads) has used so far. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Fits 4 iterations and returns the median wall and CPU seconds of iterations 2–4 (the first
 * also holds the setup: confidences, transpose, buffers, workers) and the threads the fit used.
 */
async function secondsPerIteration(
  train: Interactions,
  factors: number,
  threads: number,
): Promise<{ wall: number; cpu: number; threadsUsed: number; model: ImplicitALS }> {
  const model = new ImplicitALS({ factors, iterations: 4, threads, validateEvery: 0 });
  const wall: number[] = [];
  const cpu: number[] = [];
  let t = performance.now();
  let c = cpuSeconds();
  await model.fit(train, {
    seed: 42,
    onProgress: () => {
      const now = performance.now();
      const cNow = cpuSeconds();
      wall.push((now - t) / 1000);
      cpu.push(cNow - c);
      t = now;
      c = cNow;
    },
  });
  return { wall: median(wall.slice(1)), cpu: median(cpu.slice(1)), threadsUsed: model.describe().threadsUsed as number, model };
}

/** Median wall and CPU seconds of `repeats` runs, and the last result. */
async function timed<T>(run: () => T | Promise<T>, repeats: number): Promise<{ wall: number; cpu: number; result: T }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let result!: T;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const c0 = cpuSeconds();
    result = await run();
    wall.push((performance.now() - t0) / 1000);
    cpu.push(cpuSeconds() - c0);
  }
  return { wall: median(wall), cpu: median(cpu), result };
}

const fmt = (r: { wall: number; cpu: number }, digits = 3) => `${r.wall.toFixed(digits)} s wall (${r.cpu.toFixed(digits)} s CPU)`;

function same(a: TopKResult, b: TopKResult): boolean {
  if (a.items.length !== b.items.length) return false;
  for (let j = 0; j < a.items.length; j++) if (a.items[j] !== b.items[j] || a.scores[j] !== b.scores[j]) return false;
  return true;
}

async function recommendAllRow(name: string, model: ImplicitALS, train: Interactions, oldRepeats: number): Promise<void> {
  const users = range(train.nUsers);
  const old = oldRepeats > 0 ? await timed(() => recommendTopK(model, users, train.nItems, 20, { exclude: train }), oldRepeats) : null;
  const one = await timed(() => model.recommendAll(users, 20, train, { threads: 1 }), 3);
  await model.recommendAll(users, 20, train, { threads: 2 }); // starts the workers (kept for later calls)
  const two = await timed(() => model.recommendAll(users, 20, train, { threads: 2 }), 3);
  const agree = (old === null || same(old.result, one.result)) && same(one.result, two.result);
  console.log(
    `${name} recommend-all top-20: scoreUsers+topK ${old ? fmt(old) : 'not run (--no-old)'} | recommendAll 1 thread ${fmt(one)}, ` +
      `2 threads ${fmt(two)} (warm workers) | identical results: ${agree}`,
  );
}

console.log(`ialsSpeed on ${new Date().toISOString()}, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (runLastfm) {
  const train = (await loadLastfm2k({ dataDir })).interactions.binarize();
  console.log(`lastfm-2k: ${train.nUsers} × ${train.nItems}, ${train.nnz} interactions`);
  let model: ImplicitALS | null = null;
  for (const threads of [1, 2]) {
    const r = await secondsPerIteration(train, 64, threads);
    model ??= r.model;
    console.log(`lastfm 64f ${threads} thread(s) (used ${r.threadsUsed}): ${fmt(r, 4)} per iteration (implicit ${REFERENCE.lastfm.iteration64[threads - 1]})`);
  }
  await recommendAllRow('lastfm', model!, train, 3);
  console.log(`  implicit recommend-all: ${REFERENCE.lastfm.recommendAll.join(' / ')} s (1 / 2 threads)`);
}
if (runSynthetic) {
  const t0 = performance.now();
  const train = generateSynthetic({ nUsers: 100_000, nItems: 20_000, nInteractions: 5_000_000, seed: 1 }).interactions.binarize();
  console.log(`synthetic: ${train.nUsers} × ${train.nItems}, ${train.nnz} interactions (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  for (const factors of syntheticFactors) {
    for (const threads of [1, 2]) {
      const r = await secondsPerIteration(train, factors, threads);
      const ref = (REFERENCE.synthetic as Record<string, readonly number[] | null>)[`iteration${factors}`];
      console.log(`synthetic ${factors}f ${threads} thread(s) (used ${r.threadsUsed}): ${fmt(r)} per iteration (implicit ${ref ? ref[threads - 1] : 'n/a'})`);
      if (factors === 64 && threads === 1) await recommendAllRow('synthetic 64f', r.model, train, syntheticOldRepeats);
    }
  }
  console.log(`  implicit recommend-all: ${REFERENCE.synthetic.recommendAll.join(' / ')} s (1 / 2 threads)`);
}
