import { ConfigError } from '@musicrec/core';

/** resolveConfig checks types; this checks that a string option is one of its allowed values. */
export function checkOneOf<T extends string>(who: string, key: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) {
    throw new ConfigError(`${who}: option "${key}" must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value;
}
