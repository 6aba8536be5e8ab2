import { WorkerPool, partitionByCost } from '@musicrec/core';
import { AlsTaskRunner, type AlsTask } from './als-task';
import type { AlsBuffers, AlsSide } from './als-buffers';

/**
 * Runs half-steps over `AlsBuffers`, inline (threads = 1) or on a worker pool created once
 * for the whole fit. Rows are split into contiguous ranges of about equal cost (nnz plus a
 * per-row term for the f×f products); YᵀY is split evenly over the fixed rows and the
 * per-thread parts are summed here.
 */
export class AlsEngine {
  private readonly ranges: Record<AlsSide, Int32Array>;
  private readonly gramSum: Float64Array;
  private readonly inline: AlsTaskRunner | null;

  private constructor(
    private readonly buffers: AlsBuffers,
    private readonly pool: WorkerPool<AlsTask, void> | null,
  ) {
    const f = buffers.factors;
    // per-row cost in units of one observed entry: CG does (1 + steps) f² products per row
    // and 4f per entry; Cholesky f³/3 per row and f²/2 per entry
    const base = buffers.solver === 'cg' ? f / 4 : (2 * f) / 3;
    this.ranges = {
      users: partitionByCost(buffers.userIndptr, buffers.threads, base),
      items: partitionByCost(buffers.itemIndptr, buffers.threads, base),
    };
    this.gramSum = new Float64Array(f * f);
    this.inline = pool ? null : new AlsTaskRunner(buffers);
  }

  /** One worker per thread slot of the buffers (none for one slot); the buffers must be shared for more. */
  static create(buffers: AlsBuffers): AlsEngine {
    const pool =
      buffers.threads > 1
        ? new WorkerPool<AlsTask, void>(new URL('./ials.worker.ts', import.meta.url), buffers.threads, {
            workerData: buffers,
          })
        : null;
    return new AlsEngine(buffers, pool);
  }

  /** Solves every row of `side` against the other side's current factors. */
  async halfStep(side: AlsSide): Promise<void> {
    const b = this.buffers;
    const f = b.factors;
    const threads = b.threads;
    const nFixed = (side === 'users' ? b.itemFactors.length : b.userFactors.length) / f;
    const gramTasks: AlsTask[] = [];
    for (let t = 0; t < threads; t++) {
      const start = Math.floor((nFixed * t) / threads);
      const end = Math.floor((nFixed * (t + 1)) / threads);
      gramTasks.push({ op: 'gram', side, start, end, slot: t });
    }
    await this.runAll(gramTasks);
    this.sumGram();
    const bounds = this.ranges[side];
    const solveTasks: AlsTask[] = [];
    for (let t = 0; t < threads; t++) solveTasks.push({ op: 'solve', side, start: bounds[t], end: bounds[t + 1], slot: t });
    await this.runAll(solveTasks);
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }

  /** gram = Σ partial YᵀY + λI, in Float64; the SIMD kernel writes only the upper part, mirrored here. */
  private sumGram(): void {
    const b = this.buffers;
    const f = b.factors;
    const ff = f * f;
    const sum = this.gramSum;
    sum.fill(0);
    for (let t = 0; t < b.threads; t++) {
      for (let k = 0; k < ff; k++) sum[k] += b.partialGrams[t * ff + k];
    }
    if (b.kernel === 'simd') {
      for (let a = 1; a < f; a++) {
        for (let c = 0; c < a; c++) sum[a * f + c] = sum[c * f + a];
      }
    }
    for (let a = 0; a < f; a++) sum[a * f + a] += b.regularization;
    b.gram.set(sum);
  }

  private async runAll(tasks: AlsTask[]): Promise<void> {
    if (this.pool) {
      await this.pool.runAll(tasks);
      return;
    }
    for (const t of tasks) this.inline!.run(t);
  }
}
