export * from './content';
export * from './onnx';
export * from './backend';
export * from './kernels';
export * from './training';
export * from './two-tower';
export * from './sasrec';
export * from './ncf';
