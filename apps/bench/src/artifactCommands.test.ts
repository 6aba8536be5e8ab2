import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recommendTopK } from '@musicrec/core';
import type { Dataset, Recommender, Split } from '@musicrec/core';
import { loadDataset } from '@musicrec/data';
import type { ReportRow } from '@musicrec/eval';
import { repoRoot } from './paths';
import { findModel } from './registry';
import { runModelRow } from './runModel';
import { makeSplit } from './splitting';

const run = promisify(execFile);
const cli = join(repoRoot(), 'apps', 'bench', 'src', 'cli.ts');
const tsx = join(repoRoot(), 'node_modules', '.bin', 'tsx');

async function bench(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(tsx, [cli, ...args], { cwd: repoRoot(), maxBuffer: 1 << 24 });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    return { stdout: err.stdout, stderr: err.stderr, code: err.code };
  }
}

describe('bench train → recommend (round trip through an artifact)', () => {
  let dir: string;
  let dataset: Dataset;
  let split: Split;
  let row: ReportRow;
  let model: Recommender;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'musicrec-artifact-'));
    // the dataset and split the CLI builds for `--dataset synthetic --split`
    dataset = await loadDataset('synthetic', {});
    split = makeSplit(dataset, 'holdout', 42);
    ({ row, model } = await runModelRow(findModel('ials'), dataset, split, { seed: 42, tuneBudget: 0, quick: true, latencyUsers: 5 }));
    await writeFile(join(dir, 'report.json'), JSON.stringify({ schema: 1, dataset: 'synthetic', createdAt: 'test', rows: [row] }));
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives every user the top-10 the bench's own scoring of that model gives them", async () => {
    const out = join(dir, 'ials');
    const trained = await bench('train', '--dataset', 'synthetic', '--model', 'ials', '--from-report', join(dir, 'report.json'), '--split', '--out', out);
    expect(trained.code, trained.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(join(out, 'artifact.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 1, model: 'ials', loader: 'ials', dataset: { name: 'synthetic' }, fittedOn: { interactions: 'split-train', weights: 'binary' } });
    expect(manifest.params).toEqual(row.params);
    expect(manifest.fromReport.metrics['10'].ndcg).toBe(row.metrics['10'].ndcg);

    const users = Int32Array.of(0, 7, 123, 999, 1999);
    const expected = recommendTopK(model, users, split.fullTrain.nItems, 10, { exclude: split.fullTrain });
    for (let b = 0; b < users.length; b++) {
      const id = split.fullTrain.userIds[users[b]];
      const r = await bench('recommend', '--artifact', out, '--user', id, '-k', '10', '--json');
      expect(r.code, r.stderr).toBe(0);
      const got = (JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id);
      const want = Array.from(expected.items.subarray(b * 10, b * 10 + 10), (i) => split.fullTrain.itemIds[i]);
      expect(got).toEqual(want);
    }
  }, 120_000);

  it('refuses bad input with a message naming it', async () => {
    const unknownModel = await bench('train', '--dataset', 'synthetic', '--model', 'nope', '--out', join(dir, 'x'));
    expect(unknownModel.code).toBe(1);
    expect(unknownModel.stderr).toContain('unknown model "nope"');
    const badParams = await bench('train', '--dataset', 'synthetic', '--model', 'ials', '--params', '{factors:', '--out', join(dir, 'x'));
    expect(badParams.code).toBe(1);
    expect(badParams.stderr).toContain('--params is not valid JSON');
    const noRow = await bench('train', '--dataset', 'synthetic', '--model', 'ease', '--from-report', join(dir, 'report.json'), '--out', join(dir, 'x'));
    expect(noRow.code).toBe(1);
    expect(noRow.stderr).toContain('no row "ease" in this report; its rows: ials');
    const noArtifact = await bench('recommend', '--artifact', join(dir, 'missing'), '--user', 'u1');
    expect(noArtifact.code).toBe(1);
    expect(noArtifact.stderr).toContain('artifact is missing its manifest (artifact.json)');
    const noUser = await bench('recommend', '--artifact', join(dir, 'ials'), '--user', 'nobody');
    expect(noUser.code).toBe(1);
    expect(noUser.stderr).toContain('field "user": unknown user id "nobody"');
  }, 120_000);
});
