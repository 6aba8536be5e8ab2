import { ConfigError, resolveConfig } from '@musicrec/core';
import { backendChoices } from '../backend';
import type { BackendChoice } from '../backend';
import { trainDefaults } from '../training';
import type { TrainConfig } from '../training';

export type NcfVariant = 'gmf' | 'mlp' | 'neumf';

/**
 * Neural Collaborative Filtering (He et al. 2017). `gmf`: element-wise product of user and
 * item embeddings under a learned output weight; `mlp`: an MLP over the concatenated
 * embeddings; `neumf`: both, concatenated before the output layer (no pre-training).
 */
export type NcfConfig = Omit<TrainConfig, 'seed'> & {
  variant: NcfVariant;
  /** GMF embedding size (predictive factors). */
  factors: number;
  /**
   * MLP tower widths as in the paper: mlpLayers[0] is the width of [user, item] (each
   * embedding is half of it), the rest are the hidden ReLU layers, e.g. [64, 32, 16].
   */
  mlpLayers: number[];
  /** Sampled negatives per observed interaction, re-drawn every epoch. */
  negatives: number;
  /** L2 penalty on the embeddings looked up in each batch. */
  l2: number;
  backend: BackendChoice;
};

// the seed comes from FitContext, not from the model's options
const { seed: _fitContextSeed, ...trainOptions } = trainDefaults;

export const ncfDefaults: NcfConfig = {
  ...trainOptions,
  epochs: 20,
  batchSize: 2048,
  learningRate: 2e-3,
  variant: 'neumf',
  factors: 32,
  mlpLayers: [64, 32, 16],
  negatives: 4,
  l2: 0,
  backend: 'auto',
};

/** The small grid the bench tunes on validation. */
export const ncfSearchSpace = {
  factors: [16, 32, 64],
  learningRate: [1e-3, 2e-3, 5e-3],
  negatives: [4, 8],
} satisfies { [K in keyof NcfConfig]?: readonly NcfConfig[K][] };

const VARIANTS: readonly NcfVariant[] = ['gmf', 'mlp', 'neumf'];

export function resolveNcfConfig(given: Partial<NcfConfig> = {}): NcfConfig {
  const c = resolveConfig('ncf', ncfDefaults, given);
  const fail = (key: string, want: string, got: unknown): never => {
    throw new ConfigError(`ncf: option "${key}" must be ${want}, got ${JSON.stringify(got)}`);
  };
  if (!VARIANTS.includes(c.variant)) fail('variant', `one of ${VARIANTS.join(', ')}`, c.variant);
  if (!backendChoices.includes(c.backend)) fail('backend', `one of ${backendChoices.join(', ')}`, c.backend);
  for (const key of ['factors', 'epochs', 'batchSize'] as const) {
    if (!(Number.isInteger(c[key]) && c[key] >= 1)) fail(key, 'an integer >= 1', c[key]);
  }
  for (const key of ['negatives', 'patience', 'lrPatience'] as const) {
    if (!(Number.isInteger(c[key]) && c[key] >= 0)) fail(key, 'an integer >= 0', c[key]);
  }
  for (const key of ['learningRate', 'lrFactor'] as const) if (!(c[key] > 0)) fail(key, '> 0', c[key]);
  for (const key of ['clipNorm', 'minLearningRate', 'l2'] as const) if (!(c[key] >= 0)) fail(key, '>= 0', c[key]);
  const layers = c.mlpLayers;
  if (!Array.isArray(layers) || layers.length < 2 || !layers.every((w) => Number.isInteger(w) && w >= 1) || layers[0] % 2 !== 0) {
    fail('mlpLayers', 'an even input width followed by at least one hidden width, e.g. [64, 32, 16]', layers);
  }
  return c;
}
