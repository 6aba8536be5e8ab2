import { accumulateGram } from './gram';
import { cgSolveRows } from './cg-solver';
import { choleskySolveRows } from './cholesky-solver';
import { halfStepOf, type AlsBuffers, type AlsSide } from './als-buffers';

/** One unit of a half-step, run inline or on a worker over the same buffers. */
export type AlsTask =
  /** YᵀY over fixed rows [start, end) of the side held fixed while `side` is solved, into slot `slot`. */
  | { op: 'gram'; side: AlsSide; start: number; end: number; slot: number }
  /** Solve rows [start, end) of `side`. */
  | { op: 'solve'; side: AlsSide; start: number; end: number };

export function runAlsTask(b: AlsBuffers, task: AlsTask): void {
  const f = b.factors;
  if (task.op === 'gram') {
    const fixed = task.side === 'users' ? b.itemFactors : b.userFactors;
    const slot = b.partialGrams.subarray(task.slot * f * f, (task.slot + 1) * f * f);
    slot.fill(0);
    accumulateGram(fixed, f, task.start, task.end, slot);
    return;
  }
  const step = halfStepOf(b, task.side);
  if (b.solver === 'cg') cgSolveRows(step, task.start, task.end, b.cgSteps);
  else choleskySolveRows(step, task.start, task.end);
}
