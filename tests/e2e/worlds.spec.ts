import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { saveEpisodeTar } from '../../engine/capture/recorder/episodeUploads.ts';

// The demo's worlds (scene module and model together, ?world= and the menu) and its record mode:
// a person's own play saved as an episode that check-data accepts and training learns from.

interface Status {
  ready: boolean;
  frames: number;
  error: string;
  model: string;
  scene: { id: string; hash: string } | null;
  recorded: { folder: string; ticks: number; how: string; where: string; ok: boolean; reasons: string[] } | null;
}

const status = (page: Page): Promise<Status> => page.evaluate(() => (window as unknown as { __nextframe: Status }).__nextframe);

async function waitFrames(page: Page, n: number): Promise<void> {
  await page.waitForFunction((n) => {
    const s = (window as unknown as { __nextframe?: Status }).__nextframe;
    return (s?.frames ?? 0) >= n || Boolean(s?.error);
  }, n, { timeout: 60_000 });
  expect((await status(page)).error).toBe('');
}

const cli = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['engine/tools/cli/bin.mjs', ...args], { encoding: 'utf8', timeout: 240_000 });
  expect(run.status, `${args[0]}: ${run.stderr}`).toBe(0);
  return run.stdout;
};

test('the world menu lists the worlds and switches scene and model together', async ({ page }) => {
  await page.goto('/demos/arena/?model=/tests/fixtures/tiny/&device=wasm&nohelp&lock=0');
  await waitFrames(page, 2);
  const menu = page.locator('#world-menu');
  await expect(menu).toBeVisible();
  expect(await menu.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual(['arena', 'dusk-street', 'generated']);
  await expect(menu).toHaveValue('arena');
  await menu.selectOption('dusk-street');
  await expect(page).toHaveURL(/world=dusk-street/);
  await expect(page).not.toHaveURL(/model=/); // the world's own model, not the one asked for before
  await page.waitForFunction(() => Boolean((window as unknown as { __nextframe?: Status }).__nextframe?.model), null, { timeout: 60_000 });
  expect(['/models/dusk-street/', '/tests/fixtures/tiny/']).toContain((await status(page)).model);
  await expect(page.locator('#world-menu')).toHaveValue('dusk-street');
});

test('the generated world plays a world no model trained on, and ?worldSeed= picks another', async ({ page }) => {
  await page.goto('/demos/arena/?world=generated&model=/tests/fixtures/tiny/&device=wasm&nohelp&lock=0');
  await waitFrames(page, 2);
  const first = (await status(page)).scene!;
  expect(first.id).toBe('generated-100000');
  await page.goto('/demos/arena/?world=generated&worldSeed=100003&model=/tests/fixtures/tiny/&device=wasm&nohelp&lock=0');
  await waitFrames(page, 2);
  const other = (await status(page)).scene!;
  expect(other.id).toBe('generated-100003');
  expect(other.hash).not.toBe(first.hash);
});

test('an unknown world says which worlds there are', async ({ page }) => {
  await page.goto('/demos/arena/?world=moon&nohelp');
  await expect(page.locator('#failure')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#failure')).toContainText('the worlds are arena, dusk-street, generated');
});

test('record mode saves the player\'s own play as an episode that check-data accepts and training learns from', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/demos/arena/?world=dusk-street&model=/tests/fixtures/tiny/&device=wasm&nohelp&lock=0&save=download');
  await waitFrames(page, 2);
  await page.locator('#world').click();
  await page.keyboard.press('KeyR');
  await expect(page.locator('#note-recording')).toContainText('Recording your play');
  const start = (await status(page)).frames;
  await page.keyboard.down('KeyW');
  await page.keyboard.down('ArrowLeft');
  await waitFrames(page, start + 40);
  await page.keyboard.up('ArrowLeft');
  await page.keyboard.up('KeyW');
  const download = page.waitForEvent('download');
  await page.keyboard.press('KeyR');
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^episode-\d+\.tar$/);
  const tar = join(mkdtempSync(join(tmpdir(), 'nextframe-recorded-')), 'episode.tar');
  await file.saveAs(tar);
  await expect.poll(async () => (await status(page)).recorded?.how).toBe('download');
  const recorded = (await status(page)).recorded!;
  expect(recorded.ticks).toBeGreaterThanOrEqual(40);

  // Unpacked as the dev server would, it passes the checker and is the dusk street at 32 × 32.
  const data = mkdtempSync(join(tmpdir(), 'nextframe-own-play-'));
  const saved = saveEpisodeTar(data, new Uint8Array(readFileSync(tar)));
  expect(saved).toMatchObject({ ok: true, reasons: [] });
  expect(JSON.parse(cli('check-data', data, '--json'))).toMatchObject({ usable: 1, refused: 0, ticks: recorded.ticks });
  const meta = JSON.parse(readFileSync(join(saved.dir, 'meta.json'), 'utf8')) as { scene: string; sceneHash: string; policy: string; resolution: { width: number } };
  expect(meta).toMatchObject({ scene: 'dusk-street', policy: 'human', resolution: { width: 32 } });
  expect(meta.sceneHash).toMatch(/^[0-9a-f]{16}$/);

  // A short training run on it lowers the loss.
  const run = join(data, 'run');
  cli('train', '--data', data, '--out', run, '--preset', 'tiny', '--steps', '60', '--batch-size', '8', '--lr', '2e-3', '--json');
  const losses = readFileSync(join(run, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { loss?: number }).filter((l) => typeof l.loss === 'number').map((l) => l.loss!);
  expect(losses.length).toBeGreaterThanOrEqual(4);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const quarter = Math.max(1, Math.floor(losses.length / 4));
  expect(mean(losses.slice(-quarter))).toBeLessThan(0.8 * mean(losses.slice(0, quarter)));
  expect(readdirSync(run)).toContain('last.pt');
});
