/**
 * The "head": items with at least `minItemUsers` training users, which get the dense EASE
 * model; every other item is "tail" and is scored by the fallback.
 */
export interface HeadItems {
  /** Catalogue index of each head item, ascending. */
  readonly items: Int32Array;
  /** Catalogue index → head index, -1 for tail items. */
  readonly headIndex: Int32Array;
}

export function selectHeadItems(itemUsers: Int32Array, minItemUsers: number): HeadItems {
  const headIndex = new Int32Array(itemUsers.length).fill(-1);
  let n = 0;
  for (let i = 0; i < itemUsers.length; i++) if (itemUsers[i] >= minItemUsers) headIndex[i] = n++;
  const items = new Int32Array(n);
  for (let i = 0; i < itemUsers.length; i++) if (headIndex[i] >= 0) items[headIndex[i]] = i;
  return { items, headIndex };
}
