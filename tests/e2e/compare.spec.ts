import { expect, test } from '@playwright/test';

// The compare page: ground truth and the world model side by side on the same input, with PSNR
// of the model's frame against the ground truth at the same pose.

interface CompareStatus { frames: number; error: string; compare?: { psnr: number; meanPsnr: number; compared: number } }

test('ground truth and the world model side by side with live PSNR', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/demos/compare/?model=/tests/fixtures/tiny/&device=wasm&nohelp&lock=0');
  const read = () => page.evaluate(() => (window as unknown as { __nextframe: CompareStatus }).__nextframe);
  await page.waitForFunction(() => ((window as unknown as { __nextframe?: CompareStatus }).__nextframe?.compare?.compared ?? 0) >= 3, null, { timeout: 60_000 });
  await page.keyboard.down('KeyW'); // same input drives both sides
  await page.waitForTimeout(600);
  await page.keyboard.up('KeyW');
  const s = await read();
  expect(s.error).toBe('');
  expect(Number.isFinite(s.compare!.psnr)).toBe(true);
  // A random-weights fixture paints texture, not the arena: far from the real view, but finite.
  expect(s.compare!.psnr).toBeGreaterThan(3);
  expect(s.compare!.psnr).toBeLessThan(30);
  await expect(page.locator('#psnr')).toHaveText(/^PSNR \d+\.\d dB \(mean \d+\.\d\)$/);
  const before = s.compare!.compared;
  await expect.poll(async () => (await read()).compare!.compared, { timeout: 20_000 }).toBeGreaterThan(before); // live

  // The left half is the Three.js render, the right half the model's frame: they differ.
  const halves = await page.evaluate(() => {
    const d = (window as unknown as { __nextframe: { debug: { screenRegion(x: number, y: number, w: number, h: number, o: boolean): number[] } } }).__nextframe.debug;
    const left = d.screenRegion(300, 340, 40, 40, true);
    const right = d.screenRegion(940, 340, 40, 40, true);
    return { same: left.every((v, i) => v === right[i]) };
  });
  expect(halves.same).toBe(false);
  await expect(page.locator('#label-truth')).toBeVisible();
  await expect(page.locator('#label-model')).toBeVisible();
  expect(errors).toEqual([]);
});
