export * from './content';
export * from './onnx';
export * from './backend';
export * from './kernels';
export * from './training';
export * from './sasrec';
