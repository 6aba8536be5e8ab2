import { WorkerPool, partitionByCost } from '@musicrec/core';
import { addToDiagonal } from './gram';
import { runAlsTask, type AlsTask } from './als-task';
import type { AlsBuffers, AlsSide } from './als-buffers';

/**
 * Runs half-steps over `AlsBuffers`, inline (threads = 1) or on a worker pool created once
 * for the whole fit. Rows are split into contiguous ranges of about equal cost (nnz plus a
 * per-row term for the f×f products); YᵀY is split evenly over the fixed rows and the
 * per-thread parts are summed here.
 */
export class AlsEngine {
  private readonly ranges: Record<AlsSide, Int32Array>;

  private constructor(
    private readonly buffers: AlsBuffers,
    readonly threads: number,
    private readonly pool: WorkerPool<AlsTask, void> | null,
  ) {
    const f = buffers.factors;
    // per-row cost in units of one observed entry: CG does (1 + steps) f² products per row
    // and 4f per entry; Cholesky f³/3 per row and f²/2 per entry
    const base = buffers.solver === 'cg' ? f / 4 : (2 * f) / 3;
    this.ranges = {
      users: partitionByCost(buffers.userIndptr, threads, base),
      items: partitionByCost(buffers.itemIndptr, threads, base),
    };
  }

  /** The buffers must sit on SharedArrayBuffers when threads > 1. */
  static create(buffers: AlsBuffers, threads: number): AlsEngine {
    const pool =
      threads > 1
        ? new WorkerPool<AlsTask, void>(new URL('./ials.worker.ts', import.meta.url), threads, { workerData: buffers })
        : null;
    return new AlsEngine(buffers, threads, pool);
  }

  /** Solves every row of `side` against the other side's current factors. */
  async halfStep(side: AlsSide): Promise<void> {
    const b = this.buffers;
    const f = b.factors;
    const nFixed = (side === 'users' ? b.itemFactors.length : b.userFactors.length) / f;
    const gramTasks: AlsTask[] = [];
    for (let t = 0; t < this.threads; t++) {
      const start = Math.floor((nFixed * t) / this.threads);
      const end = Math.floor((nFixed * (t + 1)) / this.threads);
      gramTasks.push({ op: 'gram', side, start, end, slot: t });
    }
    await this.runAll(gramTasks);
    const ff = f * f;
    b.gram.set(b.partialGrams.subarray(0, ff));
    for (let t = 1; t < this.threads; t++) {
      for (let k = 0; k < ff; k++) b.gram[k] += b.partialGrams[t * ff + k];
    }
    addToDiagonal(b.gram, f, b.regularization);
    const bounds = this.ranges[side];
    const solveTasks: AlsTask[] = [];
    for (let t = 0; t < this.threads; t++) solveTasks.push({ op: 'solve', side, start: bounds[t], end: bounds[t + 1] });
    await this.runAll(solveTasks);
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }

  private async runAll(tasks: AlsTask[]): Promise<void> {
    if (this.pool) {
      await this.pool.runAll(tasks);
      return;
    }
    for (const t of tasks) runAlsTask(this.buffers, t);
  }
}
