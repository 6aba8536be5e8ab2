import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ConfigError } from '@musicrec/core';
import { ArtifactService, reportRowRecipe, trainArtifact, type ReportRowRecipe, type ServedExplanation, type ServedItem } from '@musicrec/retrieval';
import { loadSpec } from './benchDatasets';
import { entryParams, findModel } from './registry';
import { makeSplit } from './splitting';

/** `--params` as a JSON object, or a ConfigError that says what is wrong with it. */
function parseParams(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`--params is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigError('--params must be a JSON object, e.g. {"factors": 64}');
  return v as Record<string, unknown>;
}

function idList(text: string): string[] {
  const ids = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (ids.length === 0) throw new ConfigError('--liked needs at least one item id (comma-separated)');
  return ids;
}

function itemLine(rank: number | string, item: ServedItem, extra = ''): string {
  const who = [item.name ?? '(no name)', item.artist && item.artist !== item.name ? `— ${item.artist}` : ''].filter(Boolean).join(' ');
  return `${String(rank).padStart(3)}. ${item.id.padEnd(10)} ${who}${item.genre ? ` [${item.genre}]` : ''}  ${item.score.toFixed(4)}${extra}`;
}

function printItems(title: string, items: (ServedItem & { rank?: number })[], json: boolean): void {
  if (json) {
    console.log(JSON.stringify(items, null, 2));
    return;
  }
  console.log(title);
  items.forEach((it, r) => console.log(itemLine(it.rank ?? r + 1, it)));
}

function printExplanation(e: ServedExplanation, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(e, null, 2));
    return;
  }
  console.log(`why ${e.item.id} (${e.item.name ?? '?'}) for ${e.user ?? 'these liked items'}: score ${e.score.toFixed(4)}`);
  const parts = Object.entries(e.contributions);
  if (parts.length) console.log(`  contributions: ${parts.map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}`);
  if (e.nearestLikedItems.length) {
    console.log('  nearest liked items:');
    for (const n of e.nearestLikedItems) console.log(`    ${n.id} ${n.name ?? ''} (similarity ${n.similarity.toFixed(3)})`);
  }
  const details = Object.entries(e.details);
  if (details.length) console.log(`  details: ${JSON.stringify(e.details)}`);
}

async function withService<T>(dir: string, retrieval: 'hnsw' | 'exact', run: (s: ArtifactService) => Promise<T> | T): Promise<T> {
  const service = await ArtifactService.open(resolve(dir), { retrieval });
  try {
    return await run(service);
  } finally {
    await service.close();
  }
}

const artifactOption = { type: 'string', demandOption: true, describe: 'artifact folder (written by `bench train`)' } as const;
const jsonOption = { type: 'boolean', default: false, describe: 'print JSON for machines' } as const;
const retrievalOption = {
  type: 'string',
  default: 'exact',
  choices: ['exact', 'hnsw'],
  describe: "exact: score every item (the bench's own ranking); hnsw: through the model's index",
} as const;

/** Who a recommendation or explanation is for: a user of the artifact, or a basket of liked items. */
const userOrLiked = {
  user: { type: 'string', describe: "a user id of the artifact's dataset" },
  liked: { type: 'string', describe: 'or comma-separated item ids the listener likes (cold start)' },
} as const;

function oneOfUserOrLiked(a: { user?: string; liked?: string }): true {
  if (a.user === undefined && a.liked === undefined) throw new Error('give --user ID or --liked ID,ID,…');
  return true;
}

/** `train`, `recommend`, `similar`, `explain`: train a model once into an artifact, then use it. */
export function artifactCommands<T>(y: Argv<T>): Argv<T> {
  return y
    .command(
      'train',
      'fit one model on a dataset and write it as a self-describing artifact folder (model, id maps, catalogue, training interactions, artifact.json)',
      (c) =>
        c
          .option('dataset', { type: 'string', demandOption: true, describe: 'lastfm-2k, spotify-playlists, synthetic' })
          .option('model', { type: 'string', demandOption: true, describe: 'a bench registry row, e.g. ials, ensemble, item-knn-all' })
          .option('params', { type: 'string', describe: 'JSON params laid over the row\'s fixed params, e.g. {"factors":64}' })
          .option('from-report', { type: 'string', describe: "take the params (and their metrics) from this report's row of the same name" })
          .option('split', { type: 'boolean', default: false, describe: "fit on the bench split's train ∪ validation (default: all interactions)" })
          .option('protocol', { type: 'string', default: 'holdout', choices: ['holdout', 'leave-last-out'] })
          .option('seed', { type: 'number', default: 42, describe: 'seed of the fit (and of the split with --split)' })
          .option('out', { type: 'string', demandOption: true, describe: 'artifact folder to write (replaced if it exists)' })
          .option('data-dir', { type: 'string', describe: 'data directory (else $MUSICREC_DATA_DIR, else datasets/cache)' })
          .conflicts('params', 'from-report'),
      async (args) => {
        const entry = findModel(args.model);
        const dataset = await loadSpec({ name: args.dataset, dataDir: args.dataDir });
        let recipe: ReportRowRecipe | undefined;
        let params: Record<string, unknown>;
        if (args.fromReport) {
          recipe = await reportRowRecipe(resolve(args.fromReport), entry.name);
          params = recipe.params;
        } else {
          params = { ...entryParams(entry, dataset.name), ...parseParams(args.params) };
        }
        const split = args.split ? makeSplit(dataset, args.protocol, args.seed) : undefined;
        const t0 = performance.now();
        const manifest = await trainArtifact({
          dataset,
          loader: entry.factory.name,
          row: entry.name,
          params,
          weights: recipe?.weights ?? (entry.usesWeights ? 'weights' : 'binary'),
          ...(split ? { train: split.fullTrain, split: { protocol: args.protocol, seed: args.seed } } : {}),
          seed: args.seed,
          fromReport: recipe,
          out: resolve(args.out),
        });
        console.log(
          `${manifest.model} on ${manifest.dataset.name} (${manifest.users} users × ${manifest.items} items, ${manifest.nnz} interactions, ` +
            `${manifest.fittedOn.interactions === 'all' ? 'all interactions' : 'split train ∪ validation'}) fitted in ${manifest.fitSeconds.toFixed(1)} s, ` +
            `written in ${((performance.now() - t0) / 1000).toFixed(1)} s to ${resolve(args.out)}`,
        );
      },
    )
    .command(
      'recommend',
      'top-k items from an artifact for a user (--user) or for someone who likes some items (--liked, cold start)',
      (c) =>
        c
          .option('artifact', artifactOption)
          .option('k', { alias: 'n', type: 'number', default: 10, describe: 'how many items' })
          .option('retrieval', retrievalOption)
          .option('json', jsonOption)
          .options(userOrLiked)
          .conflicts('user', 'liked')
          .check(oneOfUserOrLiked),
      (args) =>
        withService(args.artifact, args.retrieval as 'hnsw' | 'exact', async (s) => {
          const recs = args.user !== undefined ? await s.recommend(args.user, args.k) : await s.recommendFromLiked(idList(args.liked!), args.k);
          printItems(`${s.info.model} (${s.info.dataset}) for ${args.user ?? `liked ${args.liked}`}:`, recs, args.json);
        }),
    )
    .command(
      'similar',
      'the items of an artifact most similar to one item',
      (c) =>
        c
          .option('artifact', artifactOption)
          .option('item', { type: 'string', demandOption: true, describe: "an item id of the artifact's dataset" })
          .option('k', { alias: 'n', type: 'number', default: 10 })
          .option('json', jsonOption),
      (args) =>
        withService(args.artifact, 'exact', (s) => printItems(`${s.info.model} (${s.info.dataset}): like ${args.item}`, s.similar(args.item, args.k), args.json)),
    )
    .command(
      'explain',
      'why an artifact recommends an item to a user (component contributions, nearest liked items)',
      (c) =>
        c
          .option('artifact', artifactOption)
          .option('item', { type: 'string', demandOption: true, describe: 'the item to explain' })
          .option('json', jsonOption)
          .options(userOrLiked)
          .conflicts('user', 'liked')
          .check(oneOfUserOrLiked),
      (args) =>
        withService(args.artifact, 'exact', (s) =>
          printExplanation(args.user !== undefined ? s.explain(args.user, args.item) : s.explainFromLiked(idList(args.liked!), args.item), args.json),
        ),
    );
}
