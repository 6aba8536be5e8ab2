import { accumulateGram } from './gram';
import { cgSolveRows } from './cg-solver';
import { choleskySolveRows } from './cholesky-solver';
import { halfStepOf, type AlsBuffers, type AlsSide, type SimdAlsBuffers } from './als-buffers';
import { instantiateKernels, type SimdKernels } from './simd-kernels';

/** One unit of a half-step, run inline or on a worker over the same buffers. */
export type AlsTask =
  /** YᵀY over fixed rows [start, end) of the side held fixed while `side` is solved, into thread slot `slot`. */
  | { op: 'gram'; side: AlsSide; start: number; end: number; slot: number }
  /** Solve rows [start, end) of `side`, with thread slot `slot`'s scratch. */
  | { op: 'solve'; side: AlsSide; start: number; end: number; slot: number };

/** Runs tasks on one thread's view of the buffers (a SIMD instance per thread, over the shared memory). */
export class AlsTaskRunner {
  private readonly kernels: SimdKernels | null;

  constructor(private readonly b: AlsBuffers) {
    this.kernels = b.kernel === 'simd' ? instantiateKernels(b.module, b.memory) : null;
  }

  run(task: AlsTask): void {
    const b = this.b;
    if (b.kernel === 'simd') runSimd(b, this.kernels!, task);
    else if (task.op === 'gram') {
      const fixed = task.side === 'users' ? b.itemFactors : b.userFactors;
      const f = b.factors;
      const slot = b.partialGrams.subarray(task.slot * f * f, (task.slot + 1) * f * f);
      slot.fill(0);
      accumulateGram(fixed, f, task.start, task.end, slot);
    } else {
      const step = halfStepOf(b, task.side);
      if (b.solver === 'cg') cgSolveRows(step, task.start, task.end, b.cgSteps);
      else choleskySolveRows(step, task.start, task.end);
    }
  }
}

function runSimd(b: SimdAlsBuffers, k: SimdKernels, task: AlsTask): void {
  const f = b.factors;
  const p = b.ptr;
  const users = task.side === 'users';
  if (task.op === 'gram') {
    b.partialGrams.fill(0, task.slot * f * f, (task.slot + 1) * f * f);
    k.gram_upper(users ? p.itemFactors : p.userFactors, task.start, task.end, p.partialGrams + task.slot * f * f * 4, f);
    return;
  }
  k.cg_rows(
    task.start,
    task.end,
    users ? p.userIndptr : p.itemIndptr,
    users ? p.userIndices : p.itemIndices,
    users ? p.userConfidence : p.itemConfidence,
    users ? p.userFactors : p.itemFactors,
    users ? p.itemFactors : p.userFactors,
    p.gram,
    f,
    b.cgSteps,
    p.scratch + task.slot * 3 * f * 4,
  );
}
