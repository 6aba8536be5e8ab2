import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Listen } from '@musicrec/retrieval';
import type { InteractionStore } from './interaction-store';

/** SQLite's `synchronous` setting in WAL mode (see the README, "Durability"). */
export type SqliteSynchronous = 'full' | 'normal';

export interface SqliteStoreOptions {
  /**
   * 'full' (default): each commit fsyncs the WAL, so an acknowledged listen survives the process
   * being killed and the machine losing power. 'normal' fsyncs only at checkpoints: a commit is
   * still in the OS page cache before the ack, so it survives SIGKILL of the process but the last
   * commits can be lost on power loss or an OS crash. Measured here: 0.2 ms vs 0.01 ms per commit.
   */
  synchronous?: SqliteSynchronous;
}

interface ListenRow {
  user: string;
  item: string;
  model: string;
  at: number;
}

/**
 * Listens in one SQLite file (better-sqlite3): WAL journal, one transaction per append, prepared
 * statements. better-sqlite3 is synchronous, so `append` has committed by the time its promise exists.
 */
export class SqliteInteractionStore implements InteractionStore {
  readonly location: string;
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, string, string, number]>;
  private readonly selectHistory: Database.Statement<[string, string], ListenRow>;
  private readonly selectAll: Database.Statement<[], ListenRow>;
  private readonly selectCount: Database.Statement<[], { n: number }>;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.location = resolve(path);
    mkdirSync(dirname(this.location), { recursive: true });
    this.db = new Database(this.location);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${(options.synchronous ?? 'full').toUpperCase()}`);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS listens (
        seq   INTEGER PRIMARY KEY AUTOINCREMENT,
        user  TEXT NOT NULL,
        item  TEXT NOT NULL,
        model TEXT NOT NULL,
        at    INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS listens_by_user ON listens (model, user, seq);
    `);
    this.insert = this.db.prepare('INSERT INTO listens (user, item, model, at) VALUES (?, ?, ?, ?)');
    this.selectHistory = this.db.prepare('SELECT user, item, model, at FROM listens WHERE user = ? AND model = ? ORDER BY seq');
    this.selectAll = this.db.prepare('SELECT user, item, model, at FROM listens ORDER BY seq');
    this.selectCount = this.db.prepare('SELECT count(*) AS n FROM listens');
  }

  /** The `synchronous` level SQLite is running with (0 off, 1 normal, 2 full, 3 extra). */
  get synchronousLevel(): number {
    return this.db.pragma('synchronous', { simple: true }) as number;
  }

  async append(listen: Listen): Promise<void> {
    // an INSERT outside BEGIN is its own transaction: committed (and, with 'full', fsynced) on return
    this.insert.run(listen.user, listen.item, listen.model, listen.at);
  }

  async history(user: string, model: string): Promise<Listen[]> {
    return this.selectHistory.all(user, model);
  }

  async *replay(): AsyncIterable<Listen> {
    // iterate() streams rows: a store of millions of listens is never one array
    yield* this.selectAll.iterate();
  }

  async count(): Promise<number> {
    return this.selectCount.get()!.n;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
