import { WorkerPool, type Interactions, type TopKResult } from '@musicrec/core';
import { MAX_PAGES, instantiateKernels, wasmApi, type SimdKernels, type WasmMemory, type WasmModule } from './simd-kernels';
import { simdKernelModule } from './simd-module';
import { layoutSlot, runTopKTask, type TopKTask, type TopKWorkerData } from './factor-topk-task';

/** A shared memory that can grow (the per-call region is sized per call). */
interface GrowableMemory extends WasmMemory {
  grow(pages: number): number;
}

export interface FactorTopKOptions {
  /** Threads for this call: 1 runs inline; more run on a worker pool kept for later calls. */
  threads?: number;
}

/**
 * Exact top-k of U·Vᵀ for many users at once, seen items excluded, without materialising the
 * score matrix: the fused SIMD kernel scores a chunk of users against panels of 8 items and
 * keeps a bounded heap per user. Items are visited in descending factor norm so that a
 * user's remaining items are skipped once |u|·|v| cannot reach its k-th best score.
 * Results equal `recommendTopK` over `FactorScorer` scores exactly (same float32 sums, ties
 * to the lower item index). Build once per set of factors; `close()` ends its workers.
 */
export class FactorTopK {
  readonly nUsers: number;
  readonly nItems: number;
  private readonly memory: GrowableMemory;
  private readonly kernels: SimdKernels;
  private readonly ptr: { userFactors: number; panels: number; panelNorm: number; itemOf: number; userBound: number };
  private readonly nPanels: number;
  /** First byte of the per-call region (exclusions, user list, outputs, thread slots). */
  private readonly callStart: number;
  private pool: WorkerPool<TopKTask, void> | null = null;
  /** The exclusions copied by the last call, reused while the caller passes the same object. */
  private copiedExclude: { source: Interactions; indptr: number; indices: number; end: number } | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    userFactors: Float32Array,
    itemFactors: Float32Array,
    readonly factors: number,
    private readonly module: WasmModule = simdKernelModule,
  ) {
    const f = factors;
    if (!(Number.isInteger(f) && f > 0)) throw new RangeError(`factorTopK: dim must be a positive integer, got ${f}`);
    if (userFactors.length % f !== 0 || itemFactors.length % f !== 0) {
      throw new RangeError(`factorTopK: factor lengths ${userFactors.length} and ${itemFactors.length} are not multiples of dim ${f}`);
    }
    this.nUsers = userFactors.length / f;
    this.nItems = itemFactors.length / f;
    const nItems = this.nItems;
    this.nPanels = Math.ceil(nItems / 8);
    const nPad = this.nPanels * 8;

    // items by descending norm (ties by index, so the layout is deterministic)
    const itemNorm = rowNorms(itemFactors, nItems, f);
    const order = Int32Array.from({ length: nItems }, (_, i) => i).sort((a, b) => itemNorm[b] - itemNorm[a] || a - b);

    let at = 0;
    const take = (count: number) => {
      const start = at;
      at += Math.ceil((count * 4) / 16) * 16;
      return start;
    };
    this.ptr = {
      userFactors: take(userFactors.length),
      panels: take(nPad * f),
      panelNorm: take(this.nPanels),
      itemOf: take(nPad),
      userBound: take(this.nUsers),
    };
    this.callStart = at;
    const pages = Math.max(1, Math.ceil(at / 65536));
    if (pages > MAX_PAGES) throw new RangeError(`factorTopK: ${at} bytes of factors exceed the 4 GiB of a wasm32 memory`);
    this.memory = new wasmApi.Memory({ initial: pages, maximum: MAX_PAGES, shared: true }) as GrowableMemory;
    this.kernels = instantiateKernels(module, this.memory);

    const buf = this.memory.buffer;
    new Float32Array(buf, this.ptr.userFactors, userFactors.length).set(userFactors);
    const panels = new Float32Array(buf, this.ptr.panels, nPad * f);
    const panelNorm = new Float32Array(buf, this.ptr.panelNorm, this.nPanels);
    const itemOf = new Int32Array(buf, this.ptr.itemOf, nPad).fill(-1);
    // a float32 dot product of f terms is within f·2⁻²⁴·|u|·|v| of the exact one; the rest of
    // the margin covers rounding the norms and their product to float32
    const margin = 1 + (2 * f + 16) * 2 ** -24;
    for (let pos = 0; pos < nItems; pos++) {
      const i = order[pos];
      itemOf[pos] = i;
      const base = (pos >> 3) * f * 8 + (pos & 7);
      for (let k = 0; k < f; k++) panels[base + k * 8] = itemFactors[i * f + k];
      if ((pos & 7) === 0) panelNorm[pos >> 3] = itemNorm[i] * margin;
    }
    const userBound = new Float32Array(buf, this.ptr.userBound, this.nUsers);
    const userNorm = rowNorms(userFactors, this.nUsers, f);
    for (let u = 0; u < this.nUsers; u++) userBound[u] = userNorm[u] * margin;
  }

  /**
   * Top `k` items per user of `users`, best first, items of `exclude` (a users × items
   * matrix, normally the training data) left out; -1 / −∞ where fewer than k remain.
   * `exclude` is copied into the kernels' memory once and reused while later calls pass the
   * same object, so it must not be modified in place between calls.
   */
  recommend(users: Int32Array, k: number, exclude?: Interactions, options: FactorTopKOptions = {}): Promise<TopKResult> {
    const run = this.queue.then(() => this.run(users, k, exclude, options.threads ?? 1));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The same on this thread only, synchronously. */
  recommendInline(users: Int32Array, k: number, exclude?: Interactions): TopKResult {
    const { tasks, read } = this.prepare(users, k, exclude, 1);
    if (k === 0) return read();
    for (const t of tasks) runTopKTask(this.kernels, this.memory, t);
    return read();
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }

  private async run(users: Int32Array, k: number, exclude: Interactions | undefined, threads: number): Promise<TopKResult> {
    if (!(Number.isInteger(threads) && threads >= 1)) throw new RangeError(`factorTopK: threads must be an integer ≥ 1, got ${threads}`);
    if (threads === 1) return this.recommendInline(users, k, exclude);
    const { tasks, read } = this.prepare(users, k, exclude, threads);
    if (k === 0) return read();
    if (!this.pool || this.pool.size !== threads) {
      await this.pool?.close();
      const workerData: TopKWorkerData = { module: this.module, memory: this.memory };
      this.pool = new WorkerPool<TopKTask, void>(new URL('./factor-topk.worker.ts', import.meta.url), threads, { workerData });
    }
    await this.pool.runAll(tasks);
    return read();
  }

  /** Checks the call, lays out and fills its region, and splits the users into one task per thread. */
  private prepare(users: Int32Array, k: number, exclude: Interactions | undefined, threads: number) {
    if (!(Number.isInteger(k) && k >= 0)) throw new RangeError(`factorTopK: k must be an integer ≥ 0, got ${k}`);
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      if (!(u >= 0 && u < this.nUsers)) throw new RangeError(`factorTopK: user index ${u} out of range [0, ${this.nUsers})`);
    }
    if (exclude && (exclude.nUsers !== this.nUsers || exclude.nItems !== this.nItems)) {
      throw new RangeError(
        `factorTopK: exclude is ${exclude.nUsers} × ${exclude.nItems}, the factors are ${this.nUsers} × ${this.nItems}`,
      );
    }
    const n = users.length;
    let at = this.callStart;
    const take = (count: number) => {
      const start = at;
      at += Math.ceil((count * 4) / 16) * 16;
      return start;
    };
    // the exclusions stay at the start of the region while the caller passes the same matrix
    let exIndptr = -1;
    let exIndices = 0;
    const reuse = exclude && this.copiedExclude?.source === exclude;
    if (exclude) {
      exIndptr = reuse ? this.copiedExclude!.indptr : take(exclude.indptr.length);
      exIndices = reuse ? this.copiedExclude!.indices : take(exclude.indices.length);
      if (reuse) at = this.copiedExclude!.end;
    }
    const usersAt = take(n);
    const outItems = take(n * k);
    const outScores = take(n * k);
    const slots = [];
    for (let t = 0; t < threads; t++) {
      const { slot, end } = layoutSlot(at, k);
      slots.push(slot);
      at = end;
    }
    this.ensureBytes(at);
    const buf = this.memory.buffer;
    if (exclude && !reuse) {
      new Int32Array(buf, exIndptr, exclude.indptr.length).set(exclude.indptr);
      new Int32Array(buf, exIndices, exclude.indices.length).set(exclude.indices);
      this.copiedExclude = { source: exclude, indptr: exIndptr, indices: exIndices, end: exIndices + Math.ceil((exclude.indices.length * 4) / 16) * 16 };
    } else if (!exclude) {
      this.copiedExclude = null;
    }
    new Int32Array(buf, usersAt, n).set(users);
    const tasks: TopKTask[] = [];
    for (let t = 0; t < threads; t++) {
      tasks.push({
        ...this.ptr,
        nPanels: this.nPanels,
        nUsers: this.nUsers,
        factors: this.factors,
        k,
        users: usersAt,
        nCallUsers: n,
        exIndptr,
        exIndices,
        outItems,
        outScores,
        from: Math.floor((n * t) / threads),
        to: Math.floor((n * (t + 1)) / threads),
        slot: slots[t],
      });
    }
    const read = (): TopKResult => ({
      items: new Int32Array(this.memory.buffer, outItems, n * k).slice(),
      scores: new Float32Array(this.memory.buffer, outScores, n * k).slice(),
      k,
    });
    return { tasks, read };
  }

  private ensureBytes(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    const pages = Math.ceil((bytes - have) / 65536);
    if (have / 65536 + pages > MAX_PAGES) throw new RangeError(`factorTopK: ${bytes} bytes exceed the 4 GiB of a wasm32 memory`);
    this.memory.grow(pages);
  }
}

/**
 * Top-k of U·Vᵀ for `users` (row-major factors of width `dim`), items of `exclude` left out:
 * a one-off `FactorTopK` (its workers closed before returning).
 */
export async function factorTopK(
  userFactors: Float32Array,
  itemFactors: Float32Array,
  dim: number,
  users: Int32Array,
  k: number,
  exclude?: Interactions,
  options: FactorTopKOptions = {},
): Promise<TopKResult> {
  const topk = new FactorTopK(userFactors, itemFactors, dim);
  try {
    return await topk.recommend(users, k, exclude, options);
  } finally {
    await topk.close();
  }
}

function rowNorms(rows: Float32Array, n: number, f: number): Float64Array {
  const norms = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let k = 0; k < f; k++) s += rows[r * f + k] * rows[r * f + k];
    norms[r] = Math.sqrt(s);
  }
  return norms;
}
