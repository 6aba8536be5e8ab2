import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@musicrec/core';
import { forgetResolvedBackend, resolveBackend } from './resolve-backend';
import { useBackend } from './use-backend';

describe('useBackend', () => {
  beforeAll(async () => {
    forgetResolvedBackend();
    await resolveBackend({ order: ['wasm', 'cpu'], env: {}, log: () => {} });
  });

  it("switches to a named backend, and 'auto' back to the resolved one", async () => {
    expect(await useBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await useBackend('auto')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('a backend that cannot start is a ConfigError, or the resolved one with fallback', async () => {
    await expect(useBackend('tensorflow')).rejects.toThrow(ConfigError);
    await expect(useBackend('tensorflow')).rejects.toThrow('TF.js backend "tensorflow" could not be started (resolved: wasm)');
    expect(await useBackend('tensorflow', { fallback: true })).toBe('wasm');
  });
});
