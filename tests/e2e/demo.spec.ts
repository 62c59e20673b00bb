import { expect, test, type Page } from '@playwright/test';

interface DemoStatus { ready: boolean; frames: number; backend: string; lastStepMs: number; error: string }
const status = (page: Page) => page.evaluate(() => (window as unknown as { __nextframe: DemoStatus }).__nextframe);

/** Pixels of the world canvas as an array. */
async function canvasPixels(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const canvas = document.getElementById('world') as HTMLCanvasElement;
    return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data);
  });
}

test('the page served at / loads the bundled model and shows frames it samples', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto('/');
  await expect(page).toHaveURL(/\/demos\/arena\/$/);
  await page.waitForFunction(() => (window as unknown as { __nextframe: DemoStatus }).__nextframe.frames >= 3, null, { timeout: 60_000 });
  await expect(page.locator('#loading')).toBeHidden();
  await expect(page.locator('#hud')).toBeVisible();
  const first = await canvasPixels(page);
  await page.waitForFunction((n) => (window as unknown as { __nextframe: DemoStatus }).__nextframe.frames >= n, (await status(page)).frames + 3);
  const later = await canvasPixels(page);
  // Frames are painted by the model: they vary across the image and change from tick to tick.
  expect(new Set(first).size).toBeGreaterThan(20);
  expect(first).not.toEqual(later);
  const s = await status(page);
  expect(['webgpu', 'wasm']).toContain(s.backend);
  await expect(page.locator('#hud-backend')).toHaveText(s.backend.toUpperCase());
  expect(problems).toEqual([]);
});

test('a missing model shows a failure screen that says what happened and what to do', async ({ page }) => {
  await page.goto('/demos/arena/?model=/models/does-not-exist/');
  await expect(page.locator('#failure')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#failure-what')).toContainText('HTTP 404');
  await expect(page.locator('#failure-todo')).toContainText('model files are missing');
});

test('a file that is not ONNX is refused with a clear reason', async ({ page }) => {
  // manifest.json of the fixture points at model.onnx; serve it from a folder where "model.onnx" is JSON.
  await page.route('**/tests/fixtures/tiny/model.onnx', (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: '{"not": "onnx"}' }));
  await page.goto('/demos/arena/?device=wasm');
  await expect(page.locator('#failure')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#failure-what')).toContainText('not an ONNX model');
});
