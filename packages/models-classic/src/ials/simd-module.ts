import wabtInit from 'wabt';
import { SIMD_KERNELS_WAT } from './simd-kernels.wat';
import { wasmApi, type WasmModule } from './simd-kernels';

async function compile(): Promise<WasmModule> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat('ials-simd-kernels.wat', SIMD_KERNELS_WAT, { simd: true, threads: true });
  try {
    // compiling validates the binary (wabt's own validate() ignores the threads feature)
    return new wasmApi.Module(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}

/**
 * The SIMD kernels, compiled once per process when this file is first imported (about
 * 50 ms). Workers get the compiled module through workerData instead of compiling again.
 */
export const simdKernelModule: WasmModule = await compile();
