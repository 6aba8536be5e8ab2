import type { Interactions } from '@musicrec/core';

/** A user's items, sorted ascending and unique, with their weights. */
export interface History {
  items: Int32Array;
  weights: Float32Array;
}

/**
 * The training interactions plus listens made since: a listen adds weight 1 to (user, item)
 * (on a binary artifact the weight stays 1), and a user id the artifact has never seen gets
 * the next user index on its first listen. Histories are merged on demand and cached until
 * that user's next listen.
 */
export class LiveHistories {
  private readonly live = new Map<number, Map<number, number>>();
  private readonly cache = new Map<number, History>();
  private readonly newUserIds: string[] = [];
  private readonly newUserIndex = new Map<string, number>();

  constructor(
    private readonly train: Interactions,
    private readonly trainUserIndex: ReadonlyMap<string, number>,
    private readonly binary: boolean,
  ) {}

  /** Users known now: the trained ones, then those created by listens. */
  get nUsers(): number {
    return this.train.nUsers + this.newUserIds.length;
  }

  userIndex(id: string): number | undefined {
    return this.trainUserIndex.get(id) ?? this.newUserIndex.get(id);
  }

  userId(u: number): string {
    return u < this.train.nUsers ? this.train.userIds[u] : this.newUserIds[u - this.train.nUsers];
  }

  /** Whether `u`'s history differs from training (listens since, or a user created by listens). */
  changed(u: number): boolean {
    return this.live.has(u);
  }

  /** Records a listen; returns the user's index and whether this listen created them. */
  add(userId: string, item: number): { user: number; newUser: boolean } {
    let u = this.userIndex(userId);
    const newUser = u === undefined;
    if (u === undefined) {
      u = this.nUsers;
      this.newUserIds.push(userId);
      this.newUserIndex.set(userId, u);
    }
    let row = this.live.get(u);
    if (!row) this.live.set(u, (row = new Map()));
    row.set(item, (row.get(item) ?? 0) + 1);
    this.cache.delete(u);
    return { user: u, newUser };
  }

  /** The user's items (training ∪ listens), sorted, with weights. */
  history(u: number): History {
    const cached = this.cache.get(u);
    if (cached) return cached;
    const merged = new Map<number, number>();
    if (u < this.train.nUsers) {
      const items = this.train.itemsOf(u);
      const values = this.train.valuesOf(u);
      for (let p = 0; p < items.length; p++) merged.set(items[p], values[p]);
    }
    for (const [item, plays] of this.live.get(u) ?? []) {
      merged.set(item, this.binary ? 1 : (merged.get(item) ?? 0) + plays);
    }
    const items = Int32Array.from(merged.keys()).sort();
    const weights = Float32Array.from(items, (i) => merged.get(i)!);
    const history = { items, weights };
    this.cache.set(u, history);
    return history;
  }
}
