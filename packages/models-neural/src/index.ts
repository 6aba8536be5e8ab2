export * from './content';
export * from './onnx';
