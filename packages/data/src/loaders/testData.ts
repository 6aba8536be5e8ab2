import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '../datadir';

/** The real datasets for tests: `MUSICREC_DATA_DIR`, else `shared/datasets` next to the repo. */
export function realDataDir(): string {
  return process.env.MUSICREC_DATA_DIR ?? join(findRepoRoot(), '..', 'shared', 'datasets');
}

/** A fresh temporary directory holding `files` (name → text or bytes); `cleanup` removes it. */
export async function tempFiles(files: Record<string, string | Uint8Array> = {}): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'musicrec-data-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
