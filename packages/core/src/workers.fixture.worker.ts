// Worker used by workers.test.ts: exercises shared memory, errors and crashes.
import { workerData } from 'node:worker_threads';
import { serveWorkerTasks } from './workers';

type FixtureTask =
  | { op: 'fill'; start: number; end: number; value: number }
  | { op: 'sum'; start: number; end: number }
  | { op: 'throw'; message: string }
  | { op: 'exit'; code: number };

const shared = new Float64Array(workerData.buffer as SharedArrayBuffer);

serveWorkerTasks<FixtureTask, number>((task) => {
  switch (task.op) {
    case 'fill':
      for (let i = task.start; i < task.end; i++) shared[i] = task.value * i;
      return task.end - task.start;
    case 'sum': {
      let s = 0;
      for (let i = task.start; i < task.end; i++) s += shared[i];
      return s;
    }
    case 'throw':
      throw new RangeError(task.message);
    case 'exit':
      process.exit(task.code);
  }
});
