import { DataError } from '@musicrec/core';
import { UnknownIdError, type Listen } from '@musicrec/retrieval';
import type { ArtifactRegistry } from './artifact-registry';
import type { InteractionStore } from './store/interaction-store';

export interface RecordedListen extends Listen {
  newUser: boolean;
  historyLength: number;
}

export interface ReplaySummary {
  replayed: number;
  /** Listens made against an artifact key that is not loaded now. */
  otherModels: number;
  /** Listens the artifact refuses now (an item no longer in it, after retraining). */
  refused: number;
}

/**
 * Live listens: committed to the store first, then folded into the artifact's in-memory
 * histories, so a listen is acknowledged only once it would survive a restart; `replay`
 * rebuilds those histories from the store at start.
 */
export class LiveListens {
  constructor(
    private readonly registry: ArtifactRegistry,
    private readonly store: InteractionStore,
    private readonly now: () => number = Date.now,
  ) {}

  async record(model: string | undefined, user: string, item: string): Promise<RecordedListen> {
    const service = this.registry.get(model);
    // checked before the commit: the store never holds a listen the artifact would refuse
    if (!service.hasItem(item)) throw new UnknownIdError('item', item, 'item', `the items of ${service.info.key}`);
    const listen: Listen = { user, item, model: service.info.key, at: this.now() };
    await this.store.append(listen);
    return { ...listen, ...service.addListen(user, item) };
  }

  async replay(): Promise<ReplaySummary> {
    const summary: ReplaySummary = { replayed: 0, otherModels: 0, refused: 0 };
    const loaded = new Map(this.registry.services.map((s) => [s.info.key, s]));
    for await (const listen of this.store.replay()) {
      const service = loaded.get(listen.model);
      if (!service) {
        summary.otherModels++;
        continue;
      }
      try {
        service.addListen(listen.user, listen.item);
        summary.replayed++;
      } catch (e) {
        if (!(e instanceof DataError)) throw e;
        summary.refused++;
      }
    }
    return summary;
  }

  count(): Promise<number> {
    return this.store.count();
  }

  get storeLocation(): string {
    return this.store.location;
  }
}
