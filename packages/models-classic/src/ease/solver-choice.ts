import type { EaseSolver } from './config';
import type { EaseSolverKind } from './ease-weights';

/**
 * Picks the cheaper way to solve EASE for n head items, m users and nnz head interactions.
 * Item space costs ≈ n³ flops; user space ≈ m³ flops plus n·nnz sparse gathers, each of
 * which costs about GATHER_COST kernel flops (measured, see the package README).
 */
export function chooseEaseSolver(solver: EaseSolver, nHead: number, nUsers: number, nnz: number): EaseSolverKind {
  if (solver !== 'auto') return solver;
  const primal = nHead ** 3;
  const dual = nUsers ** 3 + GATHER_COST * nHead * nnz;
  return primal <= dual ? 'primal' : 'dual';
}

const GATHER_COST = 8;
