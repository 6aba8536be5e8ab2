export { scatterAddRows } from './scatter-add';
export { registerScatterAddKernels, scatterAddBackends, scatterAddUnsortedSegmentSum } from './unsorted-segment-sum';
export { registerGradients } from './register-gradients';
export { gatherRows, registerRowGatherKernels, rowGatherBackends } from './gather-rows';
export { registerUntransposedMatMul } from './untransposed-matmul';
