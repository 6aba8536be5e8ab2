#!/usr/bin/env -S npx tsx
import { resolve } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { MusicrecError } from '@musicrec/core';
import type { RetrievalMode } from '@musicrec/retrieval';
import { DEFAULT_ARTIFACTS, trainDefaultArtifact, whyTrain } from './default-artifacts';
import { repoRoot } from './paths';
import { startServer } from './start';
import type { SqliteSynchronous } from './store/sqlite-store';

const root = repoRoot();

const args = await yargs(hideBin(process.argv))
  .scriptName('serve')
  .usage('$0 [--artifact DIR ...]: the musicrec API and page over trained artifacts')
  .option('artifact', { type: 'array', string: true, describe: 'artifact folder (repeatable; the first is the default model). None: the default ones, trained on first start' })
  .option('port', { type: 'number', default: 8080, describe: 'port (0: any free one)' })
  .option('host', { type: 'string', default: '127.0.0.1', describe: 'loopback address to listen on' })
  .option('db', { type: 'string', default: 'datasets/cache/serve/listens.sqlite', describe: 'SQLite file of live listens (relative paths: to the repository root)' })
  .option('retrieval', { type: 'string', choices: ['hnsw', 'exact'] as const, default: 'hnsw', describe: 'how a known user is ranked by factor models' })
  .option('ef-search', { type: 'number', describe: 'HNSW search breadth (default: the retrieval package\'s)' })
  .option('synchronous', { type: 'string', choices: ['full', 'normal'] as const, default: 'full', describe: 'SQLite synchronous level (full: an acknowledged listen survives power loss; normal: only a process kill)' })
  .option('artifacts-dir', { type: 'string', default: 'datasets/cache/artifacts', describe: 'where the default artifacts live (relative: to the repository root)' })
  .option('data-dir', { type: 'string', describe: 'data directory for training the defaults (else $MUSICREC_DATA_DIR, else datasets/cache)' })
  .option('log', { type: 'string', choices: ['off', 'error', 'warn', 'info'] as const, default: 'warn', describe: 'request log level (info logs every request)' })
  .strict()
  .help()
  .parseAsync();

const say = (line: string) => console.log(line);

try {
  const artifacts = (args.artifact ?? []).map((a) => resolve(a));
  if (artifacts.length === 0) {
    const artifactsDir = resolve(root, args.artifactsDir);
    say(`no --artifact given: serving the default artifacts in ${artifactsDir}`);
    for (const spec of DEFAULT_ARTIFACTS) {
      const dir = resolve(artifactsDir, spec.key);
      const why = whyTrain(dir);
      artifacts.push(why === null ? dir : await trainDefaultArtifact(spec, { repoRoot: root, artifactsDir, dataDir: args.dataDir, log: say }, why));
    }
  }
  const server = await startServer({
    artifacts,
    port: args.port,
    host: args.host,
    db: resolve(root, args.db),
    retrieval: args.retrieval as RetrievalMode, // yargs has checked the choices
    efSearch: args.efSearch,
    synchronous: args.synchronous as SqliteSynchronous,
    logger: args.log === 'off' ? false : { level: args.log },
    log: say,
  });
  const stop = async (signal: string) => {
    say(`${signal}: closing`);
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
} catch (e) {
  // named errors are the person's to fix (a missing artifact, a bad option): say what, not where in the code
  console.error(`error: ${e instanceof MusicrecError ? e.message : (e as Error).stack}`);
  process.exit(1);
}
