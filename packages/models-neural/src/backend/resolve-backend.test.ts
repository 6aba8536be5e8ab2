import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@musicrec/core';
import { backendLogLine, backendOrder, forgetResolvedBackend, resolveBackend } from './resolve-backend';

const noEnv = {};

describe('resolveBackend', () => {
  afterEach(() => forgetResolvedBackend());

  it('falls back past a missing tfjs-node-gpu to cpu and says why in one line', async () => {
    const lines: string[] = [];
    const info = await resolveBackend({ order: ['tensorflow', 'cpu'], log: (l) => lines.push(l), env: noEnv });
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(info.tried).toEqual([
      { name: 'tensorflow', ok: false, error: 'not installed' },
      { name: 'cpu', ok: true },
    ]);
    expect(lines).toEqual(['tfjs backend: cpu (tried tensorflow: not installed)']);
  });

  it('records an injected failing step and moves on to the next backend', async () => {
    const lines: string[] = [];
    const info = await resolveBackend({
      order: ['webgpu', 'wasm'],
      steps: { webgpu: async () => Promise.reject(new Error('no adapter')) },
      log: (l) => lines.push(l),
      env: noEnv,
    });
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.tried[0]).toEqual({ name: 'webgpu', ok: false, error: 'no adapter' });
    expect(lines).toEqual(['tfjs backend: wasm (tried webgpu: no adapter)']);
  });

  it('is idempotent: the second call returns the cached result and logs nothing', async () => {
    const lines: string[] = [];
    const first = await resolveBackend({ order: ['cpu'], log: (l) => lines.push(l), env: noEnv });
    const second = await resolveBackend({ order: ['wasm'], log: (l) => lines.push(l), env: noEnv });
    expect(second).toBe(first);
    expect(lines.length).toBe(1);
  });

  it('the default order on a machine without CUDA or a GPU ends on wasm', async () => {
    const lines: string[] = [];
    const info = await resolveBackend({ log: (l) => lines.push(l), env: noEnv });
    expect(info.tried.map((t) => t.name)).toEqual(['tensorflow', 'webgpu', 'wasm']);
    expect(info.tried[0].error).toBe('not installed');
    expect(info.tried[1].ok).toBe(false);
    expect(info.name).toBe('wasm');
    expect(lines[0].startsWith('tfjs backend: wasm (tried tensorflow: not installed; webgpu: ')).toBe(true);
  });

  it('throws a ConfigError naming every failure when nothing starts', async () => {
    const fail = async () => Promise.reject(new Error('broken'));
    await expect(resolveBackend({ order: ['wasm', 'cpu'], steps: { wasm: fail, cpu: fail }, env: noEnv })).rejects.toThrow(
      'no TF.js backend could be started: wasm: broken; cpu: broken',
    );
  });
});

describe('MUSICREC_TF_BACKEND', () => {
  it('puts the named backend first', () => {
    expect(backendOrder(['tensorflow', 'webgpu', 'wasm', 'cpu'], { MUSICREC_TF_BACKEND: 'cpu' })).toEqual([
      'cpu',
      'tensorflow',
      'webgpu',
      'wasm',
    ]);
    expect(backendOrder(['wasm', 'cpu'], {})).toEqual(['wasm', 'cpu']);
  });

  it('rejects an unknown name', () => {
    expect(() => backendOrder(['cpu'], { MUSICREC_TF_BACKEND: 'cuda' })).toThrow(ConfigError);
    expect(() => backendOrder(['cpu'], { MUSICREC_TF_BACKEND: 'cuda' })).toThrow('MUSICREC_TF_BACKEND="cuda"');
  });

  it('a line with no failures names just the backend', () => {
    expect(backendLogLine({ name: 'wasm', tried: [{ name: 'wasm', ok: true }] })).toBe('tfjs backend: wasm');
  });
});
