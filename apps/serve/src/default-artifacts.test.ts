import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACT_FILES, ArtifactService } from '@musicrec/retrieval';
import { DEFAULT_ARTIFACTS, trainDefaultArtifact, whyTrain, type DefaultArtifact } from './default-artifacts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'musicrec-serve-defaults-'));
  // a report with one row, as the bench writes it
  const rows = [{ model: 'ials', params: { factors: 8, iterations: 3 }, metrics: { 10: { ndcg: 0.5 } }, extra: { trainedOn: 'binary' } }];
  await writeFile(join(dir, 'report.json'), JSON.stringify({ schema: 1, dataset: 'synthetic', createdAt: '2026-01-01T00:00:00Z', rows }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const spec: DefaultArtifact = { key: 'syn-ials', dataset: 'synthetic', row: 'ials', report: 'report.json', datasetOptions: { nUsers: 100, nItems: 80, nInteractions: 1500, seed: 3 } };

describe('default artifacts', () => {
  it('are the Last.fm ensemble and the Spotify two-stage, from the committed reports', () => {
    expect(DEFAULT_ARTIFACTS.map((d) => [d.key, d.dataset, d.row, d.report])).toEqual([
      ['lastfm-2k-ensemble', 'lastfm-2k', 'ensemble', 'benchmarks/reports/lastfm-2k.json'],
      ['spotify-playlists-two-stage', 'spotify-playlists', 'two-stage', 'benchmarks/reports/spotify-playlists.json'],
    ]);
  });

  it('are trained with the report row’s params into <artifactsDir>/<key>, then reused', async () => {
    const artifactsDir = join(dir, 'artifacts');
    const out = join(artifactsDir, spec.key);
    expect(whyTrain(out)).toBe('first start; later starts reuse it');
    const lines: string[] = [];
    expect(await trainDefaultArtifact(spec, { repoRoot: dir, artifactsDir, log: (l) => lines.push(l) }, 'first start')).toBe(out);
    expect(lines[0]).toBe(`training syn-ials: ials on synthetic with the params of report.json (first start)`);
    expect(lines[1]).toMatch(/^trained syn-ials in \d+\.\d s → /);
    // nothing left beside it from the write-then-rename
    expect(await readdir(artifactsDir)).toEqual(['syn-ials']);
    expect(whyTrain(out)).toBeNull();
    const manifest = JSON.parse(await readFile(join(out, ARTIFACT_FILES.manifest), 'utf8'));
    expect(manifest.params).toMatchObject({ factors: 8, iterations: 3 });
    expect(manifest.fromReport).toMatchObject({ row: 'ials', metrics: { 10: { ndcg: 0.5 } } });
    const service = await ArtifactService.open(out);
    expect(service.info).toMatchObject({ key: 'syn-ials', model: 'ials', users: 100 });
    await service.close();
  });

  it('an artifact of another format, or with an unreadable manifest, is trained again and says why', async () => {
    const stale = join(dir, 'stale');
    await mkdir(stale, { recursive: true });
    await writeFile(join(stale, ARTIFACT_FILES.manifest), JSON.stringify({ format: 0 }));
    expect(whyTrain(stale)).toBe('it is in artifact format 0, this musicrec reads 1');
    await writeFile(join(stale, ARTIFACT_FILES.manifest), '{');
    expect(whyTrain(stale)).toMatch(/^its artifact.json is unreadable/);
  });
});
