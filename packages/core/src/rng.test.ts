import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

describe('Rng', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 8 }, () => a.nextUint32());
    const sb = Array.from({ length: 8 }, () => b.nextUint32());
    const sc = Array.from({ length: 8 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('produces a fixed stream for seed 1 (guards cross-platform determinism)', () => {
    const r = new Rng(1);
    const first = [r.nextUint32(), r.nextUint32(), r.nextUint32()];
    // recomputed independently from the xoshiro128** + splitmix32 definitions below
    expect(first).toEqual(referenceStream(1, 3));
  });

  it('int(n) is uniform enough and in range', () => {
    const r = new Rng(7);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[r.int(10)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => r.int(0)).toThrow(RangeError);
  });

  it('next() is in [0,1) and normal() has mean 0 and variance 1', () => {
    const r = new Rng(3);
    let sum = 0;
    let sq = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      const z = r.normal();
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.03);
  });

  it('shuffle is a seeded permutation', () => {
    const a = new Rng(5).shuffle(Int32Array.from({ length: 20 }, (_, i) => i));
    const b = new Rng(5).shuffle(Int32Array.from({ length: 20 }, (_, i) => i));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(Array.from(a)).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('fork gives independent reproducible streams', () => {
    const r = new Rng(9);
    expect(r.fork('test').nextUint32()).toBe(new Rng(9).fork('test').nextUint32());
    expect(r.fork('test').nextUint32()).not.toBe(r.fork('validation').nextUint32());
  });
});

/** Straight BigInt transcription of splitmix32 seeding + xoshiro128**, independent of the class. */
function referenceStream(seed: number, n: number): number[] {
  const M = 0xffffffffn;
  let x = BigInt(seed >>> 0);
  const mul = (a: bigint, b: bigint) => (a * b) & M;
  const split = () => {
    x = (x + 0x9e3779b9n) & M;
    let z = x;
    z = mul(z ^ (z >> 16n), 0x85ebca6bn);
    z = mul(z ^ (z >> 13n), 0xc2b2ae35n);
    return (z ^ (z >> 16n)) & M;
  };
  const s = [split(), split(), split(), split()];
  const rotl = (v: bigint, k: bigint) => ((v << k) | (v >> (32n - k))) & M;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(Number(mul(rotl(mul(s[1], 5n), 7n), 9n)));
    const t = (s[1] << 9n) & M;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
  }
  return out;
}
