import { describe, expect, it } from 'vitest';
import { WorkerPool, partitionByCost } from './workers';

const fixture = new URL('./workers.fixture.worker.ts', import.meta.url);

type Task =
  | { op: 'fill'; start: number; end: number; value: number }
  | { op: 'sum'; start: number; end: number }
  | { op: 'throw'; message: string }
  | { op: 'exit'; code: number };

describe('WorkerPool', () => {
  it('runs one task per worker on shared memory and returns their results', async () => {
    const buffer = new SharedArrayBuffer(8 * 100);
    const pool = new WorkerPool<Task, number>(fixture, 2, { workerData: { buffer } });
    try {
      const written = await pool.runAll([
        { op: 'fill', start: 0, end: 50, value: 2 },
        { op: 'fill', start: 50, end: 100, value: 2 },
      ]);
      expect(written).toEqual([50, 50]);
      // the main thread sees what the workers wrote: shared[i] = 2i
      const shared = new Float64Array(buffer);
      expect(shared[0]).toBe(0);
      expect(shared[99]).toBe(198);
      // a second round reuses the same workers: sum of 2i over 0..49 and 50..99
      const sums = await pool.runAll([
        { op: 'sum', start: 0, end: 50 },
        { op: 'sum', start: 50, end: 100 },
      ]);
      expect(sums).toEqual([2450, 7450]);
    } finally {
      await pool.close();
    }
  });

  it('rejects a task whose handler throws, naming the worker, and keeps working', async () => {
    const buffer = new SharedArrayBuffer(8 * 4);
    const pool = new WorkerPool<Task, number>(fixture, 1, { workerData: { buffer } });
    try {
      await expect(pool.run(0, { op: 'throw', message: 'bad range 7' })).rejects.toThrow('worker 0: bad range 7');
      await expect(pool.run(0, { op: 'throw', message: 'x' })).rejects.toMatchObject({ name: 'RangeError' });
      expect(await pool.run(0, { op: 'fill', start: 0, end: 4, value: 1 })).toBe(4);
    } finally {
      await pool.close();
    }
  });

  it('fails in-flight and later tasks when a worker dies', async () => {
    const buffer = new SharedArrayBuffer(8);
    const pool = new WorkerPool<Task, number>(fixture, 2, { workerData: { buffer } });
    try {
      await expect(pool.run(1, { op: 'exit', code: 3 })).rejects.toThrow('worker 1 failed: exited with code 3');
      await expect(pool.run(0, { op: 'sum', start: 0, end: 1 })).rejects.toThrow('worker 1 failed');
    } finally {
      await pool.close();
    }
  });

  it('refuses bad sizes, bad indices and work after close', async () => {
    expect(() => new WorkerPool(fixture, 0)).toThrow('size must be an integer ≥ 1');
    const pool = new WorkerPool<Task, number>(fixture, 1, { workerData: { buffer: new SharedArrayBuffer(8) } });
    await expect(pool.run(1, { op: 'sum', start: 0, end: 1 })).rejects.toThrow('worker index 1 out of range [0, 1)');
    await expect(pool.runAll([{ op: 'sum', start: 0, end: 1 }, { op: 'sum', start: 0, end: 1 }])).rejects.toThrow(
      '2 tasks for 1 workers',
    );
    await pool.close();
    await pool.close();
    await expect(pool.run(0, { op: 'sum', start: 0, end: 1 })).rejects.toThrow('after close');
  });
});

describe('partitionByCost', () => {
  it('splits rows into contiguous ranges of about equal nnz + base cost', () => {
    // row lengths 10, 0, 0, 10 → cost with base 0 is 10 | 10
    const indptr = Int32Array.from([0, 10, 10, 10, 20]);
    expect(Array.from(partitionByCost(indptr, 2))).toEqual([0, 1, 4]);
    // base 10 per row: costs 20, 10, 10, 20 → halves at 30 → after row 1 (cumulative 30)
    expect(Array.from(partitionByCost(indptr, 2, 10))).toEqual([0, 2, 4]);
    expect(Array.from(partitionByCost(indptr, 1))).toEqual([0, 4]);
  });

  it('gives empty ranges rather than overlapping ones when there are more parts than rows', () => {
    const b = partitionByCost(Int32Array.from([0, 5]), 3);
    expect(b[0]).toBe(0);
    expect(b[3]).toBe(1);
    for (let p = 0; p < 3; p++) expect(b[p + 1]).toBeGreaterThanOrEqual(b[p]);
  });
});
