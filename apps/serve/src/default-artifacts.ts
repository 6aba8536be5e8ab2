import { existsSync, readFileSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadDataset } from '@musicrec/data';
import { ARTIFACT_FILES, ARTIFACT_FORMAT, reportRowRecipe, trainArtifact } from '@musicrec/retrieval';

/** An artifact the server trains on first start when it is given none. */
export interface DefaultArtifact {
  /** Folder name under the artifacts directory, and the `?model=` key. */
  key: string;
  dataset: string;
  /** The leaderboard row whose params are used (its name is the model's loader name). */
  row: string;
  /** The committed report holding that row, relative to the repository root. */
  report: string;
  /** Loader options of the dataset (synthetic sizes). */
  datasetOptions?: Record<string, unknown>;
}

/** Last.fm artists through the ensemble hybrid; Spotify tracks through the content + CF two-stage. */
export const DEFAULT_ARTIFACTS: readonly DefaultArtifact[] = [
  { key: 'lastfm-2k-ensemble', dataset: 'lastfm-2k', row: 'ensemble', report: 'benchmarks/reports/lastfm-2k.json' },
  { key: 'spotify-playlists-two-stage', dataset: 'spotify-playlists', row: 'two-stage', report: 'benchmarks/reports/spotify-playlists.json' },
];

export interface TrainDefaultOptions {
  repoRoot: string;
  artifactsDir: string;
  dataDir?: string;
  log: (line: string) => void;
}

/**
 * Whether a default artifact can be reused: null when it can, else why it is (re)trained — it is
 * missing, or it was written in another artifact format than this musicrec reads.
 */
export function whyTrain(dir: string): string | null {
  const manifest = join(dir, ARTIFACT_FILES.manifest);
  if (!existsSync(manifest)) return 'first start; later starts reuse it';
  let format: unknown;
  try {
    format = (JSON.parse(readFileSync(manifest, 'utf8')) as { format?: unknown }).format;
  } catch (e) {
    return `its ${ARTIFACT_FILES.manifest} is unreadable (${(e as Error).message})`;
  }
  return format === ARTIFACT_FORMAT ? null : `it is in artifact format ${JSON.stringify(format)}, this musicrec reads ${ARTIFACT_FORMAT}`;
}

/**
 * Fits `spec` on its whole dataset with the params of its report row and writes it to
 * `<artifactsDir>/<key>`. Written beside the target and renamed into place, so a start that
 * is interrupted mid-training leaves no half artifact for the next start to reuse.
 */
export async function trainDefaultArtifact(spec: DefaultArtifact, options: TrainDefaultOptions, why: string): Promise<string> {
  const out = join(options.artifactsDir, spec.key);
  const partial = `${out}.partial-${process.pid}`;
  const t0 = performance.now();
  options.log(`training ${spec.key}: ${spec.row} on ${spec.dataset} with the params of ${spec.report} (${why})`);
  const recipe = await reportRowRecipe(join(options.repoRoot, spec.report), spec.row);
  const dataset = await loadDataset(spec.dataset, { dataDir: options.dataDir, ...spec.datasetOptions });
  await rm(partial, { recursive: true, force: true });
  await trainArtifact({ dataset, loader: spec.row, row: spec.row, params: recipe.params, weights: recipe.weights, fromReport: recipe, out: partial });
  await rm(out, { recursive: true, force: true });
  await rename(partial, out);
  options.log(`trained ${spec.key} in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${out}`);
  return out;
}
