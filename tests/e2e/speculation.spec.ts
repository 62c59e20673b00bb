import { expect, test, type Page } from '@playwright/test';

// Auto speculation (the plug-in's default) in the arena demo on WASM, playing the tiny fixture:
// DevTools CPU throttling makes the model's runs and the page's frames slower, and auto steps
// down; lifting it, auto steps back up. What auto chose is read from the stats the page exposes.

const PAGE = '/demos/arena/?model=/tests/fixtures/tiny/&device=wasm&nohelp&lock=0';

interface SpecStats {
  speculationAuto: boolean;
  speculationMode: 'off' | 'single' | 'multi';
  speculationBranches: number;
  speculationLookahead: number;
  modelMs: number;
  displayFps: number;
}

const stats = (page: Page): Promise<SpecStats | null> => page.evaluate(() => (window as unknown as { __nextframe?: { stats: SpecStats | null } }).__nextframe?.stats ?? null);

/** Rungs of auto's ladder in order: off < single 1 ahead < single 2 ahead < multi by candidates. */
const level = (s: SpecStats): number => (s.speculationMode === 'off' ? 0 : s.speculationMode === 'single' ? s.speculationLookahead : 2 + s.speculationBranches);
const describe = (s: SpecStats): string => `${s.speculationMode}·${s.speculationBranches}·${s.speculationLookahead} (model ${s.modelMs.toFixed(1)} ms, ${s.displayFps.toFixed(0)} fps)`;

test('auto speculation steps down when DevTools slows the CPU and back up when it stops', async ({ page }) => {
  test.setTimeout(90_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(PAGE);
  await page.waitForFunction(() => ((window as unknown as { __nextframe?: { frames: number } }).__nextframe?.frames ?? 0) >= 2, undefined, { timeout: 45_000 });
  // Walking ahead: one action held, which speculation serves.
  await page.keyboard.down('KeyW');
  const seen: string[] = [];
  const watch = async (): Promise<number> => {
    const s = await stats(page);
    expect(s?.speculationAuto).toBe(true);
    const text = describe(s!);
    if (seen.at(-1) !== text) seen.push(text);
    return level(s!);
  };
  try {
    // Full speed: the fixture's frames take a few ms, so auto speculates two ticks ahead or more.
    await expect.poll(watch, { timeout: 30_000, message: 'auto at full speed reaches single-branch two ahead or multi-branch' }).toBeGreaterThanOrEqual(2);
    seen.push('— throttled 20× —');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
    // Frames and model runs 20× slower: at most one frame a tick, and off once it has timed them.
    await expect.poll(watch, { timeout: 20_000, message: 'auto under 20× CPU throttling steps down to single-branch one ahead or off' }).toBeLessThanOrEqual(1);
    let lowest = await watch();
    for (let t = Date.now(); lowest > 0 && Date.now() - t < 8000; await page.waitForTimeout(500)) lowest = Math.min(lowest, await watch());
    seen.push('— throttling off —');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await expect.poll(watch, { timeout: 30_000, message: 'auto climbs back once throttling stops' }).toBeGreaterThan(lowest);
  } finally {
    // What auto chose over the test, in order (in the report, and in the failure).
    test.info().annotations.push({ type: 'auto speculation', description: seen.join(' → ') });
    console.log(`auto speculation: ${seen.join(' → ')}`);
  }
  await page.keyboard.up('KeyW');
  expect(errors).toEqual([]);
});
