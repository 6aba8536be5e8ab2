import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from './errors';

export type StoredArray = Float32Array | Float64Array | Int32Array | Uint8Array;

const DTYPES = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint8: Uint8Array,
} as const;
type DtypeName = keyof typeof DTYPES;

function dtypeOf(a: StoredArray): DtypeName {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  return 'uint8';
}

export const MODEL_FILE = 'model.json';

/**
 * Saves a model as `model.json` (its metadata plus an index of arrays) and one raw
 * little-endian `.bin` file per typed array. Readable from any language.
 */
export async function saveModelDir(
  dir: string,
  meta: Record<string, unknown>,
  arrays: Record<string, StoredArray> = {},
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const index: Record<string, { dtype: DtypeName; length: number; file: string }> = {};
  for (const [name, a] of Object.entries(arrays)) {
    const file = `${name}.bin`;
    index[name] = { dtype: dtypeOf(a), length: a.length, file };
    await writeFile(join(dir, file), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  await writeFile(join(dir, MODEL_FILE), JSON.stringify({ format: 1, meta, arrays: index }, null, 2));
}

export async function loadModelDir(
  dir: string,
): Promise<{ meta: Record<string, unknown>; arrays: Record<string, StoredArray> }> {
  const path = join(dir, MODEL_FILE);
  let doc: { format: number; meta: Record<string, unknown>; arrays: Record<string, { dtype: DtypeName; length: number; file: string }> };
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new DataError(`cannot read saved model: ${(e as Error).message}`, { file: path });
  }
  if (doc.format !== 1) throw new DataError(`unknown model format ${doc.format}`, { file: path, field: 'format' });
  const arrays: Record<string, StoredArray> = {};
  for (const [name, spec] of Object.entries(doc.arrays)) {
    const Ctor = DTYPES[spec.dtype];
    if (!Ctor) throw new DataError(`unknown dtype "${spec.dtype}"`, { file: path, field: `arrays.${name}.dtype` });
    const bytes = await readFile(join(dir, spec.file));
    if (bytes.byteLength !== spec.length * Ctor.BYTES_PER_ELEMENT) {
      throw new DataError(`expected ${spec.length} ${spec.dtype} values, file has ${bytes.byteLength} bytes`, {
        file: join(dir, spec.file),
      });
    }
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    arrays[name] = new Ctor(copy.buffer);
  }
  return { meta: doc.meta, arrays };
}

/** A loaded array that must be float32 of a known length; otherwise a DataError naming the array. */
export function float32ArrayOf(arrays: Record<string, StoredArray>, name: string, length: number, dir: string): Float32Array {
  const a = arrays[name];
  if (!(a instanceof Float32Array) || a.length !== length) {
    throw new DataError(`expected ${name} as ${length} float32 values`, { file: dir, field: `arrays.${name}` });
  }
  return a;
}
