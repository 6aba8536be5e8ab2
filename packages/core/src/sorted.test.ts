import { describe, expect, it } from 'vitest';
import { containsSorted } from './sorted';

describe('containsSorted', () => {
  it('finds every member of an ascending array and nothing else', () => {
    const a = Int32Array.of(-3, 0, 2, 2, 7, 11);
    for (const x of [-3, 0, 2, 7, 11]) expect(containsSorted(a, x)).toBe(true);
    for (const x of [-4, -1, 1, 3, 8, 12]) expect(containsSorted(a, x)).toBe(false);
    expect(containsSorted(new Int32Array(0), 0)).toBe(false);
  });
});
