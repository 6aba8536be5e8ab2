import { isIP } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { ConfigError } from '@musicrec/core';
import { ArtifactService, type RetrievalMode, type ServiceInfo } from '@musicrec/retrieval';
import { ArtifactRegistry } from './artifact-registry';
import { LiveListens, type ReplaySummary } from './live-listens';
import { buildServer } from './server';
import { SqliteInteractionStore, type SqliteSynchronous } from './store/sqlite-store';

export interface StartOptions {
  /** Artifact folders; the first is the default `model`. */
  artifacts: string[];
  /** 0 picks a free port (the answer says which). */
  port: number;
  /** A loopback address: the server is not meant to face a network. */
  host: string;
  /** The SQLite file of live listens (created when missing). */
  db: string;
  retrieval?: RetrievalMode;
  efSearch?: number;
  synchronous?: SqliteSynchronous;
  logger?: FastifyServerOptions['logger'];
  /** Where the startup lines go. */
  log?: (line: string) => void;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  port: number;
  registry: ArtifactRegistry;
  replay: ReplaySummary;
  close(): Promise<void>;
}

/** Loopback only: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Opens the artifacts and the store, replays the store into them, and listens. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  if (!isLoopback(options.host)) throw new ConfigError(`--host ${options.host}: the server listens on loopback only (127.0.0.1, ::1, localhost)`);
  const services: ArtifactService[] = [];
  let store: SqliteInteractionStore | null = null;
  try {
    for (const dir of options.artifacts) {
      const service = await ArtifactService.open(dir, {
        retrieval: options.retrieval,
        ...(options.efSearch !== undefined ? { hnsw: { efSearch: options.efSearch } } : {}),
      });
      services.push(service);
      log(describeArtifact(service.info));
    }
    const registry = new ArtifactRegistry(services);
    store = new SqliteInteractionStore(options.db, { synchronous: options.synchronous });
    const live = new LiveListens(registry, store);
    const replay = await live.replay();
    log(describeStore(store, options.synchronous ?? 'full', replay));
    const app = await buildServer({ registry, live, logger: options.logger });
    await app.listen({ port: options.port, host: options.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
    log(`serving ${url} (page at /, default model ${registry.defaultKey})`);
    const openStore = store;
    return {
      app,
      url,
      port,
      registry,
      replay,
      async close() {
        await app.close();
        await openStore.close();
        await registry.close();
      },
    };
  } catch (e) {
    await store?.close();
    await Promise.all(services.map((s) => s.close()));
    throw e;
  }
}

export function describeArtifact(info: ServiceInfo): string {
  const index = info.indexBuildMs > 0 ? `index ${info.index} built in ${Math.round(info.indexBuildMs)} ms` : `index ${info.index}`;
  return `artifact ${info.key}: ${info.model} on ${info.dataset}, ${info.users.toLocaleString('en-US')} users × ${info.items.toLocaleString('en-US')} items, ${index} (${info.artifactDir})`;
}

function describeStore(store: SqliteInteractionStore, synchronous: SqliteSynchronous, r: ReplaySummary): string {
  const skipped = r.otherModels + r.refused > 0 ? ` (${r.otherModels} for artifacts not loaded, ${r.refused} refused by their artifact)` : '';
  return `store ${store.location}: SQLite WAL, synchronous=${synchronous}, ${r.replayed.toLocaleString('en-US')} listens replayed${skipped}`;
}
