import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './paths';
import { startServer, type RunningServer } from './start';
import { ACCENTED, makeTestArtifacts } from './test-artifacts';

/** Debian's chromium (`apt-get install chromium`): playwright's own browser download is not reachable here. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = join(repoRoot(), 'apps/serve/screenshot.png');
/** How long a page state may take to appear: generous, since the whole suite shares two cores. */
const WAIT = { timeout: 20_000, interval: 50 };

let dir: string;
let server: RunningServer;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
const outside: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  dir = await mkdtemp(join(tmpdir(), 'musicrec-serve-browser-'));
  const artifacts = await makeTestArtifacts(dir);
  // the ensemble first: it explains itself, so the default view shows reasons
  server = await startServer({ artifacts: [artifacts.ensemble, artifacts.ials], port: 0, host: '127.0.0.1', db: join(dir, 'listens.sqlite') });
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 860 },
    deviceScaleFactor: 1,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => consoleErrors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url)) outside.push(r.url());
  });
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function addFromSearch(query: string, name: string): Promise<void> {
  await page.getByLabel('Search by name or artist').fill(query);
  const add = page.getByRole('button', { name: `Add ${name}`, exact: true });
  await add.click();
  await expect.poll(() => page.locator('#picked li').allInnerTexts(), WAIT).toContainEqual(expect.stringContaining(name));
}

describe('the page', () => {
  it('search, pick, recommend with reasons, similar, switch artifact: no console errors, nothing fetched from outside', async () => {
    await page.goto(server.url + '/');
    await expect.poll(() => page.locator('#model option').count(), WAIT).toBe(2);
    expect(await page.locator('#model').inputValue()).toBe('ensemble');
    await expect.poll(() => page.locator('#model-info').innerText(), WAIT).toContain('ensemble trained on synthetic');

    // an accented name found by an unaccented query, then two more picks
    await addFromSearch('cafe tacvba', ACCENTED.name);
    await addFromSearch('track 12', 'Track 12');
    await addFromSearch('track 3', 'Track 3');
    expect(await page.locator('#picked-count').innerText()).toBe('3 of 5');

    await page.getByRole('button', { name: 'Recommend' }).click();
    await expect.poll(() => page.locator('#results > li').count(), WAIT).toBe(10);
    const firstReason = page.locator('#results > li .reason').first();
    await expect.poll(() => firstReason.innerText(), WAIT).toMatch(/^Because you like /);
    const reason = await firstReason.innerText();
    expect([ACCENTED.name, 'Track 12', 'Track 3'].some((n) => reason.includes(n))).toBe(true);
    expect(reason).toMatch(/(cf|content|popularity) -?\d+\.\d{3} \(\d+%\)/);
    const resultNames = await page.locator('#results > li .name').allInnerTexts();
    for (const picked of [ACCENTED.name, 'Track 12', 'Track 3']) expect(resultNames).not.toContain(picked);

    // similar items for the first result
    await page.locator('#results > li').first().getByRole('button', { name: 'Similar' }).click();
    await expect.poll(() => page.locator('#similar li').count(), WAIT).toBe(10);
    expect(await page.locator('#similar-to').innerText()).toBe(`Similar to ${resultNames[0]}:`);
    expect(await page.locator('#similar li .name').allInnerTexts()).not.toContain(resultNames[0]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // another artifact: the basket empties (ids belong to one artifact)
    await page.locator('#model').selectOption('ials');
    await expect.poll(() => page.locator('#model-info').innerText(), WAIT).toContain('ials trained on synthetic');
    expect(await page.locator('#picked li').count()).toBe(0);
    expect(await page.locator('#results > li').count()).toBe(0);
    await addFromSearch('bjork', ACCENTED.name);
    await page.getByRole('button', { name: 'Recommend' }).click();
    await expect.poll(() => page.locator('#results > li').count(), WAIT).toBe(10);
    // iALS's reason: the one liked item by item-factor cosine, and its single cf part
    const ialsReason = page.locator('#results > li .reason').first();
    await expect.poll(() => ialsReason.innerText(), WAIT).toMatch(new RegExp(`^Because you like ${ACCENTED.name} \\(-?\\d\\.\\d\\d\\)\\ncf -?\\d+\\.\\d{3} \\(100%\\)$`));
    expect(await page.locator('#status').innerText()).toBe('10 recommendations for 1 liked.');

    expect(consoleErrors).toEqual([]);
    expect(outside).toEqual([]);
  });

  it('labels every control and announces results politely', async () => {
    for (const id of ['model', 'q']) expect(await page.locator(`label[for="${id}"]`).count()).toBe(1);
    for (const id of ['results', 'similar', 'search-results', 'status']) expect(await page.locator(`#${id}`).getAttribute('aria-live')).toBe('polite');
    const unnamed = await page.locator('button').evaluateAll((bs) => bs.filter((b) => !(b.getAttribute('aria-label') || b.textContent?.trim())).length);
    expect(unnamed).toBe(0);
  });
});
