// A WorkerPool thread of FactorTopK: runs top-k tasks on the shared memory it was given.
import { workerData } from 'node:worker_threads';
import { serveWorkerTasks } from '@musicrec/core';
import { instantiateKernels } from './simd-kernels';
import { runTopKTask, type TopKTask, type TopKWorkerData } from './factor-topk-task';

const { module, memory } = workerData as TopKWorkerData;
const kernels = instantiateKernels(module, memory);

serveWorkerTasks<TopKTask, void>((task) => runTopKTask(kernels, memory, task));
