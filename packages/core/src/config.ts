import { ConfigError } from './errors';

/**
 * Resolves a partial config against its defaults. Unknown keys are an error (a misspelt
 * key must not silently fall back to a default), and so is a value of the wrong type.
 */
export function resolveConfig<T extends object>(model: string, defaults: T, given: Partial<T> = {}): T {
  const out = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(given)) {
    if (!(key in defaults)) {
      throw new ConfigError(`${model}: unknown option "${key}" (known: ${Object.keys(defaults).join(', ')})`);
    }
    if (value === undefined) continue;
    const def = (defaults as Record<string, unknown>)[key];
    if (def !== null && def !== undefined && typeof def !== typeof value) {
      throw new ConfigError(`${model}: option "${key}" must be a ${typeof def}, got ${JSON.stringify(value)}`);
    }
    out[key] = value;
  }
  return out as T;
}
