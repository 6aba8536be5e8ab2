import type { Dataset, Split } from '@musicrec/core';
import { ConfigError } from '@musicrec/core';
import { holdoutSplit, leaveLastOutSplit } from '@musicrec/data';

/** The protocols the bench knows, as DESIGN.md defines them. */
export function makeSplit(dataset: Dataset, protocol: string, seed: number): Split {
  switch (protocol) {
    case 'holdout':
      return holdoutSplit(dataset.interactions, { seed, testFraction: 0.2, validationFraction: 0.1 });
    case 'leave-last-out':
      return leaveLastOutSplit(dataset.interactions, { seed });
    default:
      throw new ConfigError(`unknown protocol "${protocol}" (known: holdout, leave-last-out)`);
  }
}
