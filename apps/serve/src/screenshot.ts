#!/usr/bin/env -S npx tsx
/**
 * A screenshot of the page on a running server's default artifact (`nx run serve:screenshot`
 * with `serve:start` running): three liked artists, their recommendations with reasons, and what
 * is similar to the first. The README's Last.fm picture; the browser test makes its own on
 * synthetic data.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { repoRoot } from './paths';

const args = await yargs(hideBin(process.argv))
  .option('url', { type: 'string', default: 'http://127.0.0.1:8080' })
  .option('pick', { type: 'array', string: true, default: ['bjork=Björk', 'radiohead=Radiohead', 'beyonce=Beyoncé'], describe: 'query=name of each item to add' })
  .option('out', { type: 'string', default: join(repoRoot(), 'apps/serve/screenshot-lastfm.png') })
  .strict()
  .parseAsync();

const profile = await mkdtemp(join(tmpdir(), 'musicrec-serve-shot-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 860 },
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  await page.goto(args.url + '/');
  await page.locator('#model:not([disabled])').waitFor();
  for (const pick of args.pick) {
    const [q, name] = pick.split('=');
    await page.getByLabel('Search by name or artist').fill(q);
    await page.getByRole('button', { name: `Add ${name}`, exact: true }).click();
  }
  await page.getByRole('button', { name: 'Recommend' }).click();
  await page.locator('#results > li').first().waitFor();
  await page.locator('#results .reason', { hasText: 'Finding the reason…' }).first().waitFor({ state: 'detached' });
  await page.locator('#results > li').first().getByRole('button', { name: 'Similar' }).click();
  await page.locator('#similar li').first().waitFor();
  await page.screenshot({ path: resolve(args.out), fullPage: true });
  if (errors.length > 0) throw new Error(`console errors: ${errors.join('; ')}`);
  console.log(`wrote ${resolve(args.out)}`);
} finally {
  await context.close();
  await rm(profile, { recursive: true, force: true });
}
