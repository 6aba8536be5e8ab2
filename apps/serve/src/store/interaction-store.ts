import type { Listen } from '@musicrec/retrieval';

/**
 * Where live listens are kept. Every method is async so that a networked database (PostgreSQL,
 * for several servers behind one load balancer) implements the same interface as SQLite.
 */
export interface InteractionStore {
  /** What `/health` and the startup line show, e.g. the database file. */
  readonly location: string;
  /** Stores one listen; resolves only once it is committed (an acknowledged listen survives a crash). */
  append(listen: Listen): Promise<void>;
  /** One user's listens against one artifact key, oldest first. */
  history(user: string, model: string): Promise<Listen[]>;
  /** Every listen, in the order they were committed. */
  replay(): AsyncIterable<Listen>;
  count(): Promise<number>;
  close(): Promise<void>;
}
