import { writeFileSync } from 'node:fs';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { writeContactSheet } from '../../engine/tools/cli/png.ts';
import type { WalkReport } from './pages/walk.ts';

// The README's "Add it to your Three.js game" scene, which no model was trained on, played by the
// generalist for 30 seconds of walking and turning: as the README example plays it (the site walked
// first: real views all round the start in memory) and without that. Every frame shown is scored
// afterwards against the Three.js render of its view, beside the geometry-only re-render (memory +
// proxy depth, no network, from the same real views) on the same poses; the red pillar must keep its
// colour inside its outline. Screenshots and a truth / model / re-render strip are kept with the
// test's results.

/**
 * Keys held, then for how long (ms): 30 s of walking with turns both ways (the player turns at
 * 2.5 rad/s and walks at 4 m/s), up to the pillar, once around it with it centred (strafe right,
 * turn left: a 1.6 m orbit), then out and back across the floor. It stays within about 8 m of the
 * centre of the 24 m floor, so the truth is never the void past its edge (checked below).
 */
const WALK: [string[], number][] = [
  [['KeyW'], 1350],
  [['KeyD', 'ArrowLeft'], 2500],
  [['ArrowRight'], 1250],
  [['KeyW'], 1500],
  [['ArrowLeft'], 1250],
  [['KeyW'], 1500],
  [['ArrowLeft'], 700],
  [['KeyW'], 1250],
  [['KeyA', 'ArrowRight'], 2500],
  [['KeyS'], 1250],
  [['ArrowRight'], 2000],
  [['KeyW', 'ArrowLeft'], 2500],
  [['KeyW'], 1000],
  [['KeyD', 'ArrowLeft'], 3000],
  [['ArrowLeft'], 2000],
  [['KeyS', 'ArrowRight'], 2500],
  [['KeyW'], 1000],
  [['ArrowLeft'], 1000],
];

test.describe.configure({ mode: 'serial' }); // the second test reads the first one's walk

type WalkPage = { startWalk(url: string, survey: boolean): Promise<number>; holdAtTick(tick: number): Promise<void>; resumeWalk(): void; finishWalk(): Promise<WalkReport> };

/**
 * Play WALK in the README scene with the generalist, the site walked first (`survey`, as the
 * README example does) or not, and score it; keeps screenshots, the strip and the numbers under
 * `name`, and checks that the walk went where it should and painted a picture of the scene.
 */
async function walkAndScore(page: Page, testInfo: TestInfo, survey: boolean, name: string): Promise<WalkReport> {
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/tests/e2e/pages/walk.html');
  await page.waitForSelector('body[data-ready="true"]');
  const tickHz = await page.evaluate((s) => (window as unknown as WalkPage).startWalk('/models/generalist/', s), survey);
  const holdAtTick = (tick: number): Promise<void> => page.evaluate((t) => (window as unknown as WalkPage).holdAtTick(t), tick);
  const resume = (): Promise<void> => page.evaluate(() => (window as unknown as WalkPage).resumeWalk());
  // Each key is held for a number of game ticks, not of wall-clock milliseconds: the world waits
  // for the model, so on a slow machine a wall-clock walk would go a different way every run. Play
  // is held at each change of keys (and for each screenshot), so the keys change on the frame of
  // the same tick however long this process takes to send them (pages/walk.ts, holdAtTick).
  let tick = 0;
  for (const [i, [keys, ms]] of WALK.entries()) {
    const ticks = Math.round((ms / 1000) * tickHz);
    for (const key of keys) await page.keyboard.down(key);
    await resume();
    if (i % 3 === 1) {
      await holdAtTick(tick + Math.floor(ticks / 2));
      await page.screenshot({ path: testInfo.outputPath(`${name}-${String(i).padStart(2, '0')}.png`) });
      await resume();
    }
    await holdAtTick((tick += ticks));
    for (const key of keys) await page.keyboard.up(key);
  }
  const r = await page.evaluate(() => (window as unknown as WalkPage).finishWalk());
  const strip = testInfo.outputPath(`${name}-strip.png`);
  writeContactSheet(strip, r.strip.map((f) => Float32Array.from(f)), r.width, r.height, r.strip.length / 3, 3);
  await testInfo.attach(`${name}: truth / model / re-render`, { path: strip, contentType: 'image/png' });
  const numbers: Partial<WalkReport> = { ...r };
  delete numbers.strip;
  writeFileSync(testInfo.outputPath(`${name}.json`), JSON.stringify(numbers, null, 2));
  delete numbers.byFrame; // in the JSON artifact only
  console.log(`${name}: ${JSON.stringify(numbers)}`);

  expect(errors).toEqual([]);
  expect(r.startCentreDepth).toBeCloseTo(4 + 3 - 0.55, 1); // renderDepth: eyes at z 4, the pillar's face at z −3 + 0.55
  expect(r.ticks).toBeGreaterThanOrEqual(30 * tickHz); // 30 seconds of game time
  expect(r.frames).toBeGreaterThan(100); // the model kept painting through the walk
  expect(r.turned).toBeGreaterThan(Math.PI / 2); // the walk turned, so memory had to be filled
  expect(r.walked).toBeGreaterThan(3);
  expect(r.farthest).toBeLessThan(11); // on the floor (12 m from its centre to each edge): past it the truth is black
  expect(r.pillarFrames).toBeGreaterThan(20);
  for (const db of [r.psnrModel, r.psnrWarp, r.psnrPooledModel, r.psnrPooledWarp]) expect(db).toBeGreaterThan(8); // a picture of this scene, not noise
  // The walk turns and moves, so holding the start view is far from the truth: both must beat it.
  for (const db of [r.psnrModel, r.psnrWarp]) expect(db).toBeGreaterThan(r.psnrCopyLast + 3);
  return r;
}

let surveyed: WalkReport | null = null;
let plain: WalkReport | null = null;

test('a 30-second walk with turns in the README scene, the site walked first as the README example does, played by the generalist and scored against the Three.js render', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  surveyed = await walkAndScore(page, testInfo, true, 'walk');
});

test('the same walk without the survey: the start view alone in memory, and the floor and sky the walk turns to carried over from it', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  plain = await walkAndScore(page, testInfo, false, 'walk-no-survey');
  expect(surveyed).not.toBeNull();
  // What the walk turns to without a survey is mostly this scene's black sky and its floor, which
  // memory's sky colours (by elevation, from sky away from any surface) and object colours carry
  // over from the start view. Without them both scored 15–19 dB here (issue 15's note); with them
  // 32–33 dB.
  expect(plain.psnrModel).toBeGreaterThan(28);
  expect(plain.psnrWarp).toBeGreaterThan(28);
  // The survey's real views still help the model a little (0.2–0.8 dB over four runs), and do
  // not cost it more than a run's noise.
  expect(surveyed!.psnrModel).toBeGreaterThan(plain.psnrModel - 0.5);
});

test('on the README walk the generalist keeps the pillar red in 90 % of the frames it is in view', () => {
  // The side of the pillar no real view held takes the pillar's colour in memory (object colours:
  // the collider behind each pixel of the proxy depth, SpatialMemory.objectPrior), not the floor's.
  expect(surveyed).not.toBeNull();
  expect(surveyed!.pillarHeldModel / surveyed!.pillarFrames).toBeGreaterThanOrEqual(0.9);
});

test('on the README walk the generalist is at or above the geometry-only re-render, with the site walked first and without', () => {
  // Met since the generalist's sitting 18 (its wider network; the card has the runs): over the
  // re-render, which gets the same real views and object and sky colours, by about 0.6 dB with the
  // survey and 0.3 without. Sitting 16 was over it by 0.07–0.13 dB with the survey and 0.004–0.03
  // under it without; sitting 9 level and under (this test was an expected failure until then).
  expect(surveyed).not.toBeNull();
  expect(plain).not.toBeNull();
  expect(surveyed!.psnrModel).toBeGreaterThanOrEqual(surveyed!.psnrWarp);
  expect(plain!.psnrModel).toBeGreaterThanOrEqual(plain!.psnrWarp);
});
