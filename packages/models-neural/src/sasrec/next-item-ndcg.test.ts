import { describe, expect, it } from 'vitest';
import { nextItemNdcg } from './next-item-ndcg';
import { sequencesOf } from './test-sequences';

const d = (rank: number): number => 1 / Math.log2(rank + 1);

describe('nextItemNdcg', () => {
  // 5 items; rows belong to users 0, 1, 2, 3
  const scores = Float32Array.from([
    5, 4, 3, 2, 1, // u0: input [0], target 2 → 1 beats it (0 excluded): rank 2
    1, 1, 1, 1, 1, // u1: input [], target 3 → ties go to lower indices 0, 1, 2: rank 4
    9, 0, 0, 0, 0, // u2: input [4], target 4 is a repeat → miss
    0, 0, 0, 0, 0, // u3: no target
  ]);
  const input = sequencesOf([[0], [], [4], [1]]);
  const target = Int32Array.of(2, 3, 4, -1);
  const users = Int32Array.of(0, 1, 2, 3);

  it('sums 1/log2(rank + 1) over hits, input items left out, ties to the lower index', () => {
    expect(nextItemNdcg(scores, 5, users, target, input, 10)).toBeCloseTo(d(2) + d(4), 12);
    expect(nextItemNdcg(scores, 5, users, target, input, 3)).toBeCloseTo(d(2), 12); // rank 4 is past k
    expect(nextItemNdcg(scores, 5, users, target, input, 1)).toBe(0);
  });
});
