import { ConfigError, DataError } from '@musicrec/core';
import type { ArtifactService } from '@musicrec/retrieval';

/** `?model=` named no loaded artifact. Answered 404 naming `model`. */
export class UnknownModelError extends DataError {
  constructor(
    readonly key: string,
    known: string[],
  ) {
    super(`unknown model ${JSON.stringify(key)}; loaded: ${known.join(', ')}`, { field: 'model' });
  }
}

/** The loaded artifacts by key; the first one answers when a request names none. */
export class ArtifactRegistry {
  private readonly byKey = new Map<string, ArtifactService>();

  constructor(readonly services: readonly ArtifactService[]) {
    if (services.length === 0) throw new ConfigError('the server needs at least one artifact');
    for (const s of services) {
      if (this.byKey.has(s.info.key)) throw new ConfigError(`two artifacts have the key "${s.info.key}" (folder names must differ)`);
      this.byKey.set(s.info.key, s);
    }
  }

  get defaultKey(): string {
    return this.services[0].info.key;
  }

  /** The artifact `key` names, or the default one when `key` is undefined. */
  get(key: string | undefined): ArtifactService {
    if (key === undefined) return this.services[0];
    const s = this.byKey.get(key);
    if (!s) throw new UnknownModelError(key, [...this.byKey.keys()]);
    return s;
  }

  async close(): Promise<void> {
    await Promise.all(this.services.map((s) => s.close()));
  }
}
