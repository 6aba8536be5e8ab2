/**
 * Every weight vector on the simplex (non-negative, summing to 1) whose entries are multiples
 * of `step`, with the disabled members held at 0. Ordered lexicographically by the first
 * member's weight descending, so ties in tuning go to more weight on earlier members (CF).
 */
export function simplexGrid(enabled: readonly boolean[], step: number): number[][] {
  const units = Math.round(1 / step);
  const on = enabled.map((e, m) => (e ? m : -1)).filter((m) => m >= 0);
  const out: number[][] = [];
  const parts = new Array<number>(on.length).fill(0);
  const walk = (k: number, left: number): void => {
    if (k === on.length - 1) {
      parts[k] = left;
      const w = new Array<number>(enabled.length).fill(0);
      on.forEach((m, q) => (w[m] = parts[q] / units));
      out.push(w);
      return;
    }
    for (let p = left; p >= 0; p--) {
      parts[k] = p;
      walk(k + 1, left - p);
    }
  };
  if (on.length > 0) walk(0, units);
  return out;
}
