import { Worker, parentPort, isMainThread } from 'node:worker_threads';
import type { TransferListItem } from 'node:worker_threads';

/** Options for `WorkerPool`. */
export interface WorkerPoolOptions {
  /** Passed to every worker as `workerData` (put SharedArrayBuffers here to share arrays). */
  workerData?: unknown;
  /** Node flags for the workers (default none: a worker does not take the parent's flags). */
  execArgv?: string[];
}

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

interface Pending {
  resolve: (value: unknown) => void;
  reject: (reason: Error) => void;
}

interface TaskMessage {
  id: number;
  task: unknown;
}

interface ReplyMessage {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { name: string; message: string; stack?: string };
}

/**
 * A fixed set of worker threads that each run tasks handed to them by index.
 * The caller decides which worker runs what (e.g. one contiguous range per worker), so a
 * worker can keep per-worker state and scratch between tasks. Workers are referenced
 * only while they have a task in flight: a pool that is idle never keeps the process alive,
 * but `close()` is still the clean way to end it.
 *
 * The worker file (`.ts` or `.js`) calls `serveWorkerTasks(handler)`; a `.ts` file is run
 * through tsx (a devDependency of the workspace root).
 */
export class WorkerPool<Task = unknown, Result = unknown> {
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly pending: Map<number, Pending>[] = [];
  private nextId = 0;
  private closed = false;
  private failure: Error | null = null;

  constructor(workerFile: URL, size: number, options: WorkerPoolOptions = {}) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`WorkerPool: size must be an integer ≥ 1, got ${size}`);
    this.size = size;
    const execArgv = options.execArgv ?? [];
    for (let w = 0; w < size; w++) {
      // the bootstrap registers tsx for a .ts worker file, then imports it
      const worker = new Worker(BOOTSTRAP, { execArgv, argv: [workerFile.href], workerData: options.workerData });
      const pending = new Map<number, Pending>();
      worker.on('message', (msg: ReplyMessage) => this.onReply(w, msg));
      worker.on('error', (err: Error) => this.fail(w, err));
      worker.on('exit', (code: number) => {
        if (!this.closed) this.fail(w, new Error(`exited with code ${code}`));
      });
      worker.unref();
      this.workers.push(worker);
      this.pending.push(pending);
    }
  }

  /** Runs `task` on worker `index`; resolves with what its handler returned. */
  run(index: number, task: Task, transfer?: readonly TransferListItem[]): Promise<Result> {
    if (this.closed) return Promise.reject(new Error('WorkerPool: run() after close()'));
    if (this.failure) return Promise.reject(this.failure);
    if (!(index >= 0 && index < this.size)) {
      return Promise.reject(new RangeError(`WorkerPool: worker index ${index} out of range [0, ${this.size})`));
    }
    const id = this.nextId++;
    const worker = this.workers[index];
    const pending = this.pending[index];
    return new Promise<Result>((resolve, reject) => {
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      const message: TaskMessage = { id, task };
      worker.postMessage(message, transfer as TransferListItem[] | undefined);
    });
  }

  /** Runs tasks[w] on worker w for every w < tasks.length, all at once. */
  runAll(tasks: readonly Task[]): Promise<Result[]> {
    if (tasks.length > this.size) {
      return Promise.reject(new RangeError(`WorkerPool: ${tasks.length} tasks for ${this.size} workers`));
    }
    return Promise.all(tasks.map((t, w) => this.run(w, t)));
  }

  /** Terminates every worker; tasks still in flight are rejected. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new Error('WorkerPool: closed while the task was running');
    for (const p of this.pending) {
      for (const { reject } of p.values()) reject(err);
      p.clear();
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private onReply(index: number, msg: ReplyMessage): void {
    const pending = this.pending[index];
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (pending.size === 0) this.workers[index].unref();
    if (msg.ok) {
      p.resolve(msg.result);
    } else {
      const e = new Error(`worker ${index}: ${msg.error?.message ?? 'unknown error'}`);
      e.name = msg.error?.name ?? 'Error';
      if (msg.error?.stack) e.stack = `${e.name}: ${e.message}\n--- in worker ---\n${msg.error.stack}`;
      p.reject(e);
    }
  }

  /** A worker died: everything in flight on any worker fails, and so does every later run. */
  private fail(index: number, err: Error): void {
    if (this.closed) return;
    const e = new Error(`WorkerPool: worker ${index} failed: ${err.message}`);
    this.failure ??= e;
    for (const p of this.pending) {
      for (const { reject } of p.values()) reject(e);
      p.clear();
    }
    for (const w of this.workers) w.unref();
  }
}

/**
 * Worker side of `WorkerPool`: answers each task with `handler(task)`. A thrown error is sent
 * back (name, message, stack) and rejects that task's promise in the main thread.
 */
export function serveWorkerTasks<Task, Result>(handler: (task: Task) => Result | Promise<Result>): void {
  if (isMainThread || !parentPort) throw new Error('serveWorkerTasks must be called inside a worker thread');
  const port = parentPort;
  port.on('message', async (msg: TaskMessage) => {
    let reply: ReplyMessage;
    try {
      reply = { id: msg.id, ok: true, result: await handler(msg.task as Task) };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      reply = { id: msg.id, ok: false, error: { name: err.name, message: err.message, stack: err.stack } };
    }
    port.postMessage(reply);
  });
}

/**
 * Splits rows 0..n-1 into `parts` contiguous ranges of about equal total cost, where
 * the cost of row r is `base + (indptr[r+1] - indptr[r])` (e.g. nnz plus a fixed per-row
 * cost). Returns parts + 1 boundaries: range p is [bounds[p], bounds[p+1]).
 */
export function partitionByCost(indptr: Int32Array, parts: number, base = 0): Int32Array {
  const n = indptr.length - 1;
  const bounds = new Int32Array(parts + 1);
  const total = indptr[n] - indptr[0] + base * n;
  let r = 0;
  for (let p = 1; p < parts; p++) {
    const target = (total * p) / parts;
    while (r < n && indptr[r] - indptr[0] + base * r < target) r++;
    bounds[p] = r;
  }
  bounds[parts] = n;
  return bounds;
}
