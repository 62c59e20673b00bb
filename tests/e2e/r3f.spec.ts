import { expect, test, type Locator, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import type { R3fDemoStatus } from '../../demos/r3f/main.tsx';

// The react-three-fiber binding in a real browser: the arena demo (demos/r3f/) plays the arena
// model with the arena's proxies and overlays declared as r3f children, its HUD shows the stats,
// the picture follows the player, and unmounting the React root disposes the world. The README's
// r3f example (demos/r3f/Example.tsx) runs as written.

type Status = Omit<R3fDemoStatus, 'unmount' | 'disposed'>;

const status = (page: Page): Promise<Status> =>
  // JSON drops the functions (unmount, disposed).
  page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { __nextframeR3f: R3fDemoStatus }).__nextframeR3f)) as Status);

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function waitFrames(page: Page, n: number, timeout = 90_000): Promise<Status> {
  await page.waitForFunction(
    (n) => {
      const s = (window as unknown as { __nextframeR3f?: R3fDemoStatus }).__nextframeR3f;
      return (s?.frames ?? 0) >= n || Boolean(s?.error);
    },
    n,
    { timeout },
  );
  const s = await status(page);
  expect(s.error).toBe('');
  return s;
}

/** The canvas as RGBA pixels, as the page shows it. */
async function canvasPixels(canvas: Locator): Promise<{ data: Uint8Array; colours: number }> {
  const png = PNG.sync.read(await canvas.screenshot());
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4) colours.add((png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!);
  return { data: png.data, colours: colours.size };
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) if (i % 4 !== 3) sum += Math.abs(a[i]! - b[i]!);
  return sum / ((a.length / 4) * 3);
}

test('the arena plays in react-three-fiber: painted frames, stats in the HUD, the view follows the player, unmount disposes', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/demos/r3f/?device=wasm');
  let s = await waitFrames(page, 2);
  expect(s.backend).toBe('wasm');
  expect(s.overlays).toBe(7); // the arena's four balls and three crates, as <Overlay>s

  // Stats reach the HUD through useNextframeStats.
  await expect(page.locator('#hud-fps')).toHaveText(/^\d+ fps$/, { timeout: 20_000 });
  await expect(page.locator('#hud-backend')).toHaveText('WASM');
  // Stats come about twice a second, so the last one may predate the first painted frame: wait
  // for one that counts it.
  await page.waitForFunction(
    () => ((window as unknown as { __nextframeR3f: R3fDemoStatus }).__nextframeR3f.stats?.ticks ?? 0) > 0,
    undefined,
    { timeout: 20_000 },
  );
  s = await status(page);
  expect(s.stats?.ticks).toBeGreaterThan(0);

  // A painted picture, not a cleared canvas.
  const canvas = page.locator('#root canvas');
  const before = await canvasPixels(canvas);
  expect(before.colours).toBeGreaterThan(50);

  // Turn (held until the painted frames show a view 0.4 rad round: the player turns only while
  // the world advances, which on a busy machine is a few frames a second).
  const yaw = s.pose!.yaw;
  await page.keyboard.down('ArrowLeft');
  await page.waitForFunction((yaw) => Math.abs(((window as unknown as { __nextframeR3f: R3fDemoStatus }).__nextframeR3f.pose?.yaw ?? yaw) - yaw) > 0.4, yaw, { timeout: 90_000 });
  await page.keyboard.up('ArrowLeft');
  await waitFrames(page, (await status(page)).frames + 2); // the last turn's frame is on screen
  const after = await canvasPixels(canvas);
  expect(after.colours).toBeGreaterThan(50);
  expect(meanAbsDiff(before.data, after.data)).toBeGreaterThan(5);

  // Unmount the React root: the world disposes its plug-in and physics, and nothing throws after.
  await page.evaluate(() => (window as unknown as { __nextframeR3f: R3fDemoStatus }).__nextframeR3f.unmount());
  await expect(canvas).toHaveCount(0);
  await page.waitForTimeout(1500); // past the loaded model's grace time: it is freed too
  const disposed = await page.evaluate(() => (window as unknown as { __nextframeR3f: R3fDemoStatus }).__nextframeR3f.disposed());
  expect(disposed).toEqual({ plugin: true, physics: true });
  expect(errors).toEqual([]);
});

test('the README react-three-fiber example runs as written', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/demos/r3f/?example&model=/tests/fixtures/tiny/');
  // useNextframeStats re-renders the example's WorldRate with each stats event.
  await expect(page).toHaveTitle(/^\d+ world frames\/s$/, { timeout: 90_000 });
  await page.waitForFunction(() => /^[1-9]\d* world frames\/s$/.test(document.title), undefined, { timeout: 30_000 });
  const canvas = page.locator('#root canvas');
  const first = await canvasPixels(canvas);
  expect(first.colours).toBeGreaterThan(50);
  await page.waitForTimeout(1000);
  // The fixture's random weights paint moving texture: each world frame differs.
  expect(meanAbsDiff(first.data, (await canvasPixels(canvas)).data)).toBeGreaterThan(1);
  expect(errors).toEqual([]);
});
