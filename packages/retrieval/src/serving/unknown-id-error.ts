import { DataError } from '@musicrec/core';

/** An id the artifact does not know: a user, an item, or an entry of a liked list ("liked[3]"). */
export class UnknownIdError extends DataError {
  constructor(
    readonly kind: 'user' | 'item',
    readonly id: string,
    field: string,
    where: string,
  ) {
    super(`unknown ${kind} id ${JSON.stringify(id)} (not in ${where})`, { field });
  }
}
