import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config';
import { ConfigError, DataError } from './errors';
import { loadModelDir, saveModelDir } from './persist';

describe('saveModelDir / loadModelDir', () => {
  it('round-trips metadata and typed arrays exactly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-persist-'));
    const f = Float32Array.from([1.5, -2.25, Math.PI]);
    const i = Int32Array.from([3, -7, 2 ** 30]);
    await saveModelDir(dir, { name: 'x', k: 3 }, { f, i, sub: f.subarray(1) });
    const { meta, arrays } = await loadModelDir(dir);
    expect(meta).toEqual({ name: 'x', k: 3 });
    expect(arrays.f).toEqual(f);
    expect(arrays.i).toEqual(i);
    expect(Array.from(arrays.sub)).toEqual(Array.from(f.subarray(1)));
  });

  it('rejects a truncated array file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-persist-'));
    await saveModelDir(dir, {}, { f: new Float32Array(4) });
    await writeFile(join(dir, 'f.bin'), new Uint8Array(6));
    await expect(loadModelDir(dir)).rejects.toThrow(DataError);
  });
});

describe('resolveConfig', () => {
  const defaults = { factors: 64, solver: 'cg', verbose: false };
  it('fills defaults and keeps given values', () => {
    expect(resolveConfig('m', defaults, { factors: 8 })).toEqual({ factors: 8, solver: 'cg', verbose: false });
  });
  it('rejects unknown keys and wrong types with the option name', () => {
    expect(() => resolveConfig('m', defaults, { factor: 8 } as never)).toThrow(ConfigError);
    expect(() => resolveConfig('m', defaults, { factors: '8' } as never)).toThrow(/factors/);
  });
});
