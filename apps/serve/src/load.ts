#!/usr/bin/env -S npx tsx
/**
 * Load test (`nx run serve:load`): the real server in a child process on loopback, autocannon in
 * this one (its programmatic API), one bounded run per case. Writes
 * benchmarks/reports/serve-load.{json,md}.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import autocannon from 'autocannon';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ARTIFACT_FILES, type ServiceInfo } from '@musicrec/retrieval';
import { trainDefaultArtifact, whyTrain, type DefaultArtifact } from './default-artifacts';
import { repoRoot } from './paths';
import { spawnServer } from './server-process';

const root = repoRoot();

/** The artifact measured: Last.fm iALS with its leaderboard params (HNSW over its item factors). */
const LOAD_ARTIFACT: DefaultArtifact = { key: 'lastfm-2k-ials', dataset: 'lastfm-2k', row: 'ials', report: 'benchmarks/reports/lastfm-2k.json' };

/** The bar of issue 12: known-user /recommend through HNSW. */
const BAR = { case: 'recommend-hnsw', minRequestsPerSec: 1000, maxP99Ms: 20 };

const args = await yargs(hideBin(process.argv))
  .option('duration', { type: 'number', default: 10, describe: 'seconds measured per case' })
  .option('warmup', { type: 'number', default: 2, describe: 'seconds of warm-up per case (not measured)' })
  .option('connections', { type: 'number', default: 10, describe: 'concurrent connections' })
  .option('k', { type: 'number', default: 10 })
  .option('artifacts-dir', { type: 'string', default: 'datasets/cache/artifacts' })
  .option('out', { type: 'string', default: 'benchmarks/reports/serve-load', describe: 'report path without extension (relative: to the repository root)' })
  .strict()
  .parseAsync();

interface Case {
  name: string;
  describe: string;
  method: 'GET' | 'POST';
  /** The n-th request of this case. */
  request: (n: number) => { path: string; body?: string };
}

interface CaseResult {
  name: string;
  describe: string;
  requests: number;
  requestsPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** A fixed pseudo-random sequence (xorshift), so every run asks the same questions. */
function sequence(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

async function main(): Promise<void> {
  const artifactsDir = resolve(root, args.artifactsDir);
  const artifact = join(artifactsDir, LOAD_ARTIFACT.key);
  const why = whyTrain(artifact);
  if (why !== null) await trainDefaultArtifact(LOAD_ARTIFACT, { repoRoot: root, artifactsDir, log: console.log }, why);
  const users = JSON.parse(await readFile(join(artifact, ARTIFACT_FILES.users), 'utf8')) as string[];
  const items = JSON.parse(await readFile(join(artifact, ARTIFACT_FILES.items), 'utf8')) as string[];

  // other work on the machine shows in every figure: record how busy it was
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  if (loadBefore[0] > 0.5) console.log(`note: the machine is busy (load average ${loadBefore.join(', ')}): the figures will include that`);
  const dir = await mkdtemp(join(tmpdir(), 'musicrec-serve-load-'));
  const server = await spawnServer(['--artifact', artifact, '--port', '0', '--db', join(dir, 'listens.sqlite'), '--log', 'off']);
  for (const line of server.lines) console.log(`server: ${line}`);
  try {
    const health = (await (await fetch(`${server.url}/health`)).json()) as { artifacts: ServiceInfo[] };
    const rnd = sequence(42);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const k = args.k;
    // /listen last: its listens change those users' histories (fold-in) for anything after it
    const cases: Case[] = [
      { name: 'recommend-hnsw', describe: `GET /recommend?user=U&k=${k} (known user, HNSW over the item factors)`, method: 'GET', request: (n) => ({ path: `/recommend?user=${users[n % users.length]}&k=${k}` }) },
      {
        name: 'recommend-exact',
        describe: `GET /recommend?user=U&k=${k}&retrieval=exact (every item scored)`,
        method: 'GET',
        request: (n) => ({ path: `/recommend?user=${users[n % users.length]}&k=${k}&retrieval=exact` }),
      },
      {
        name: 'recommend-liked',
        describe: `POST /recommend {liked: 5 items, k: ${k}} (cold start: iALS fold-in of the liked items, then HNSW)`,
        method: 'POST',
        request: () => ({ path: '/recommend', body: JSON.stringify({ liked: Array.from({ length: 5 }, () => pick(items)), k }) }),
      },
      {
        name: 'listen',
        describe: 'POST /listen {user, item} (one SQLite commit, synchronous=FULL, before the answer)',
        method: 'POST',
        request: () => ({ path: '/listen', body: JSON.stringify({ user: pick(users), item: pick(items) }) }),
      },
    ];

    const results: CaseResult[] = [];
    for (const c of cases) {
      let n = 0;
      // `warmup` is autocannon's (lib/init.js: a first run whose results are set aside); @types/autocannon lacks it
      const options: autocannon.Options & { warmup: { connections: number; duration: number } } = {
        url: server.url,
        connections: args.connections,
        pipelining: 1,
        duration: args.duration,
        warmup: { connections: args.connections, duration: args.warmup },
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            method: c.method,
            setupRequest: (req) => {
              const r = c.request(n++);
              return { ...req, method: c.method, path: r.path, ...(r.body !== undefined ? { body: r.body } : {}) };
            },
          },
        ],
      };
      const run = await autocannon(options);
      const result: CaseResult = {
        name: c.name,
        describe: c.describe,
        requests: run.requests.total,
        requestsPerSec: run.requests.average,
        latencyMs: { p50: run.latency.p50, p90: run.latency.p90, p99: run.latency.p99, max: run.latency.max, mean: run.latency.mean },
        non2xx: run.non2xx,
        errors: run.errors,
        timeouts: run.timeouts,
      };
      results.push(result);
      console.log(
        `${c.name.padEnd(16)} ${result.requestsPerSec.toFixed(0).padStart(6)} req/s  p50 ${result.latencyMs.p50} ms  p99 ${result.latencyMs.p99} ms  ` +
          `(${result.requests} requests, ${result.non2xx} non-2xx, ${result.errors} errors)`,
      );
    }

    const barCase = results.find((r) => r.name === BAR.case)!;
    const bar = { ...BAR, met: barCase.requestsPerSec >= BAR.minRequestsPerSec && barCase.latencyMs.p99 <= BAR.maxP99Ms && barCase.non2xx === 0 && barCase.errors === 0 };
    const report = {
      schema: 1,
      createdAt: new Date().toISOString(),
      commit: gitCommit(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? null,
        memoryGb: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadavg().map((x) => Math.round(x * 100) / 100),
      },
      setup: {
        tool: `autocannon ${autocannonVersion()} (programmatic API, in the parent process)`,
        server: 'apps/serve/src/main.ts in a child process (node --import tsx), --log off, loopback (127.0.0.1)',
        sameMachine: true,
        note: `server and load generator share the machine's ${cpus().length} cores`,
        connections: args.connections,
        pipelining: 1,
        durationSec: args.duration,
        warmupSec: args.warmup,
        k,
        requestMix: 'users round-robin over every training user; liked items and listens from a fixed seeded sequence',
      },
      artifact: health.artifacts[0],
      results,
      bar,
    };
    const out = resolve(root, args.out);
    await writeFile(`${out}.json`, JSON.stringify(report, null, 2) + '\n');
    await writeFile(`${out}.md`, renderMarkdown(report));
    console.log(`bar (${BAR.case}: ≥ ${BAR.minRequestsPerSec} req/s, p99 ≤ ${BAR.maxP99Ms} ms): ${bar.met ? 'met' : 'MISSED'}`);
    console.log(`wrote ${relative(root, out)}.{json,md}`);
    if (!bar.met) process.exitCode = 1;
  } finally {
    server.child.kill('SIGTERM');
    await server.exited();
    await rm(dir, { recursive: true, force: true });
  }
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function autocannonVersion(): string {
  try {
    return (JSON.parse(execFileSync(process.execPath, ['-p', 'JSON.stringify(require("autocannon/package.json"))'], { cwd: root, encoding: 'utf8' })) as { version: string }).version;
  } catch {
    return '?';
  }
}

function renderMarkdown(r: {
  createdAt: string;
  commit: string | null;
  machine: { cpus: number; cpuModel: string | null; node: string; platform: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  setup: { tool: string; server: string; note: string; connections: number; pipelining: number; durationSec: number; warmupSec: number; k: number; requestMix: string };
  artifact: ServiceInfo;
  results: CaseResult[];
  bar: typeof BAR & { met: boolean };
}): string {
  const a = r.artifact;
  const rows = r.results.map(
    (x) =>
      `| ${x.name} | ${x.describe} | ${x.requestsPerSec.toFixed(0)} | ${x.latencyMs.p50} | ${x.latencyMs.p90} | ${x.latencyMs.p99} | ${x.latencyMs.max} | ${x.requests} | ${x.non2xx + x.errors + x.timeouts} |`,
  );
  return `# Serving load test

The server (\`apps/serve\`) under [autocannon](https://github.com/mcollina/autocannon) load, on loopback, on one machine.

- Artifact: \`${a.key}\` — ${a.model} on ${a.dataset}, ${a.users.toLocaleString('en-US')} users × ${a.items.toLocaleString('en-US')} items, index ${a.index} (built in ${Math.round(a.indexBuildMs)} ms).
- How it ran: ${r.setup.tool}; ${r.setup.server}; **${r.setup.connections} connections, pipelining ${r.setup.pipelining}, ${r.setup.durationSec} s measured per case after ${r.setup.warmupSec} s of warm-up**; k = ${r.setup.k}; ${r.setup.requestMix}.
- Machine: ${r.machine.cpus} cores (${r.machine.cpuModel ?? 'unknown CPU'}), Node ${r.machine.node}, ${r.machine.platform}; ${r.setup.note}, so these figures include the load generator's own CPU use. Load average (1, 5, 15 min) before the run ${r.machine.loadAverageBefore.join(', ')}, after ${r.machine.loadAverageAfter.join(', ')} (the run itself adds about 2).
- Commit ${r.commit ?? 'unknown'}, ${r.createdAt}. Re-run: \`npx nx run serve:load\`.

| case | request | req/s | p50 ms | p90 ms | p99 ms | max ms | requests | failed |
|---|---|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Bar (issue 12): \`${r.bar.case}\` at ≥ ${r.bar.minRequestsPerSec} requests/s with p99 ≤ ${r.bar.maxP99Ms} ms — **${r.bar.met ? 'met' : 'missed'}**.

Latencies are autocannon's (HdrHistogram, whole milliseconds), from sending a request to its last byte, so they include the client's queueing on the shared cores.
`;
}

await main();
