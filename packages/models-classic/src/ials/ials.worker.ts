// A WorkerPool thread of ImplicitALS: runs half-step tasks on the shared buffers it was given.
import { workerData } from 'node:worker_threads';
import { serveWorkerTasks } from '@musicrec/core';
import type { AlsBuffers } from './als-buffers';
import { AlsTaskRunner, type AlsTask } from './als-task';

const runner = new AlsTaskRunner(workerData as AlsBuffers);

serveWorkerTasks<AlsTask, void>((task) => runner.run(task));
