import { expect, test, type Page } from '@playwright/test';
import type { DemoDebug } from '../../demos/shared/debugHooks.ts';
import type { Pose } from '../../engine/runtime/index.ts';

// The playable arena page that `npm start` serves. Most tests play the tiny random-weights
// fixture on WASM (fast and deterministic); one loads whatever default model the page picks.

interface Status {
  ready: boolean;
  frames: number;
  backend: string;
  error: string;
  model: string;
  fixture: boolean;
  fromCache: boolean | null;
  stats: {
    displayFps: number;
    worldFps: number;
    modelMs: number;
    memoryState: 'none' | 'on' | 'off';
    memoryCoverage: number | null;
    memoryMs: number | null;
    memoryKeyframes: number | null;
    speculationMode: 'off' | 'single' | 'multi';
    speculationAuto: boolean;
    speculationHitRate: number | null;
  } | null;
  debug: DemoDebug;
}
type Debug = Status['debug'];

const FIXTURE_PAGE = '/demos/arena/?model=/tests/fixtures/tiny/&device=wasm&nohelp&lock=0';
/** The random-weights fixture that declares spatial memory and depth streams. */
const MEMORY_PAGE = '/demos/arena/?model=/tests/fixtures/tiny-streams/&device=wasm&nohelp&lock=0';
const EYE = 1.62; // eye height above the floor after spawning

const status = (page: Page): Promise<Omit<Status, 'debug'>> =>
  page.evaluate(() => {
    const copy: Partial<Status> = { ...(window as unknown as { __nextframe: Status }).__nextframe };
    delete copy.debug;
    return copy as Omit<Status, 'debug'>;
  });

/** Run `fn` with the page's debug hooks. */
function debug<T, A = undefined>(page: Page, fn: (d: Debug, arg: A) => T | Promise<T>, arg?: A): Promise<T> {
  return page.evaluate(
    async ({ source, arg }) => {
      const d = (window as unknown as { __nextframe: Status }).__nextframe.debug;
      return (new Function(`return (${source})`)() as (d: Debug, a: unknown) => T)(d, arg);
    },
    { source: fn.toString(), arg },
  ) as Promise<T>;
}

async function waitFrames(page: Page, n: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction((n) => {
    const s = (window as unknown as { __nextframe?: Status }).__nextframe;
    return (s?.frames ?? 0) >= n || Boolean(s?.error);
  }, n, { timeout });
  const s = await status(page);
  expect(s.error).toBe('');
}

/** Mean absolute difference of two byte arrays, RGB only (alpha skipped). */
function meanAbsDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (i % 4 === 3) continue;
    sum += Math.abs(a[i]! - b[i]!);
    n++;
  }
  return sum / n;
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('the page served at / loads the default model and shows world-model frames, not the Three.js render', async ({ page, request }) => {
  test.setTimeout(150_000);
  const errors = watchErrors(page);
  // Without a shipped arena model the page's probe for it answers 404 (the browser logs that);
  // it then plays the fixture, which this test checks. So does the probe for a display upsampler
  // beside the model (display 'auto') while none is shipped: the screen then stretches bicubically.
  const probes = ['/models/arena/manifest.json', '/models/upsampler/manifest.json'];
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text().includes('404') && probes.some((p) => m.location().url.endsWith(p))) errors.splice(errors.indexOf(m.text()), 1);
  });
  const arenaManifest = await request.get('/models/arena/manifest.json');
  const arenaShipped = arenaManifest.ok();
  const arenaHasMemory = arenaShipped && ((await arenaManifest.json()) as { conditioning: string[] }).conditioning.includes('memory');
  await page.goto('/');
  await expect(page).toHaveURL(/\/demos\/arena\/$/);
  await waitFrames(page, 2, 120_000);
  const s = await status(page);
  expect(s.model).toBe(arenaShipped ? '/models/arena/' : '/tests/fixtures/tiny/');
  if (!arenaShipped) await expect(page.locator('#note-fixture')).toContainText('random-weights test fixture');
  await expect(page.locator('#loading')).toBeHidden();
  await expect(page.locator('#hud')).toBeVisible();
  await expect(page.locator('#hud-backend')).toHaveText(s.backend.toUpperCase());
  // The speculative-sampling hit rate, once world frames have been painted.
  await expect(page.locator('#hud-speculation')).toHaveText(/^spec (auto·(off|single|multi)( \d+ %)?|\d+ %|off)$/, { timeout: 20_000 });
  // Coverage when the model has spatial memory (after the first stats with a painted frame), else a dash.
  if (arenaHasMemory) await expect(page.locator('#hud-memory')).toHaveText(/^memory \d+ %$/, { timeout: 20_000 });
  else await expect(page.locator('#hud-memory')).toHaveText('memory –');

  // Turn for a while first. At the start, standing on the real start frames, a model with
  // spatial memory paints them back almost exactly (within ~2 levels of the Three.js render), so
  // the difference would prove little; views no real frame showed are the model's own.
  await page.keyboard.down('ArrowLeft');
  await page.waitForTimeout(1500);
  await page.keyboard.up('ArrowLeft');
  await debug(page, async (d) => {
    d.pause(true);
    await d.idle();
  });
  const screen = await debug(page, (d) => d.screenAtModelPixels(false));
  const world = await debug(page, (d) => d.worldPixels());
  const truth = await debug(page, (d) => d.truthPixels());
  // The screen shows the model's frame (sampled at its pixel centres, where the bicubic
  // upscale passes values through), and that frame is not the Three.js render of the same pose.
  const toWorld = meanAbsDiff(screen, world);
  const toTruth = meanAbsDiff(screen, truth);
  expect(toWorld).toBeLessThan(3);
  expect(toTruth).toBeGreaterThan(toWorld + 3);
  expect(errors).toEqual([]);
});

test.describe('the arena with the fixture model on WASM', () => {
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  let errors: string[];

  test.beforeAll(async ({ browser }, testInfo) => {
    test.setTimeout(90_000);
    page = await browser.newPage({ baseURL: testInfo.project.use.baseURL! });
    errors = watchErrors(page);
    await page.goto(FIXTURE_PAGE);
    await waitFrames(page, 2);
  });
  test.afterAll(async () => {
    await page.close();
  });

  test('holding W for a second changes the frame differently from holding nothing', async () => {
    // Same start, same noise seed; one run idles for 20 ticks (1 s at 20 Hz), the other holds W.
    const start: Pose = { x: 2, y: EYE, z: -4, yaw: -Math.PI / 2, pitch: 0 }; // facing east, open floor ahead
    const run = async (holdW: boolean): Promise<{ pixels: number[]; pose: Pose }> => {
      await debug(page, async (d, p) => {
        d.pause(true);
        await d.teleport(p);
      }, start);
      if (holdW) await page.keyboard.down('KeyW');
      const frame = debug(page, (d) => d.frameAtTick(20));
      await debug(page, (d) => d.pause(false));
      const pixels = await frame;
      if (holdW) await page.keyboard.up('KeyW');
      return { pixels, pose: await debug(page, (d) => d.shownPose()) };
    };
    const idle = await run(false);
    const walk = await run(true);
    const idleAgain = await run(false);
    expect(Math.hypot(idle.pose.x - start.x, idle.pose.z - start.z)).toBeLessThan(0.05);
    expect(walk.pose.x - start.x).toBeGreaterThan(2); // walked east, about 4 m/s
    // Standing still is reproducible to the pixel; walking paints something else.
    const noise = meanAbsDiff(idle.pixels, idleAgain.pixels);
    expect(noise).toBeLessThan(0.1);
    expect(meanAbsDiff(idle.pixels, walk.pixels)).toBeGreaterThan(noise + 0.3);
  });

  test('dragging the mouse turns the view (no pointer lock needed)', async () => {
    await debug(page, async (d) => {
      d.pause(true);
      await d.teleport({ x: 2, y: 1.62, z: -4, yaw: 0, pitch: 0 });
      d.pause(false);
    });
    const before = await debug(page, (d) => d.pose());
    await page.mouse.move(640, 360);
    await page.mouse.down();
    await page.mouse.move(840, 330, { steps: 10 }); // 200 px right, 30 px up
    await page.mouse.up();
    await expect.poll(async () => (await debug(page, (d) => d.pose())).yaw, { timeout: 20_000 }).toBeLessThan(before.yaw - 0.4);
    const after = await debug(page, (d) => d.pose());
    expect(after.pitch).toBeGreaterThan(before.pitch + 0.03); // dragged up: looks up
    // The world frame on screen follows: its pose turns too.
    await expect.poll(async () => (await debug(page, (d) => d.shownPose())).yaw, { timeout: 20_000 }).toBeLessThan(before.yaw - 0.4);
  });

  test('a ball behind a pillar is hidden by it, one in front is drawn', async () => {
    const pillar = await debug(page, (d) => d.shape('pillar-blue'));
    // Stand 5 m south of the blue pillar, looking north at it.
    await debug(page, async (d, p) => {
      d.pause(true);
      await d.teleport({ x: p.x, y: 1.62, z: p.z + 5, yaw: 0, pitch: 0 });
    }, pillar);
    const behind = { x: pillar.x, y: 1.3, z: pillar.z - 2 }; // 7 m away, the pillar in between
    const front = { x: pillar.x + 0.2, y: 1.3, z: pillar.z + 2 }; // 3 m away, in the open
    await debug(page, (d, b) => d.throwBall(b.behind), { behind });
    await debug(page, (d, b) => d.throwBall(b.front), { front });
    const hiddenAt = await debug(page, (d, p) => d.project(p.x, p.y, p.z), behind);
    const shownAt = await debug(page, (d, p) => d.project(p.x, p.y, p.z), front);
    expect(hiddenAt.depth).toBeCloseTo(7, 1);
    const region = (at: { x: number; y: number }, overlays: boolean) => debug(page, (d, a) => d.screenRegion(Math.round(a.x) - 3, Math.round(a.y) - 3, 7, 7, a.overlays), { ...at, overlays });
    // Where the ball is hidden, the screen is exactly the world frame; where it is in front, it is not.
    expect(meanAbsDiff(await region(hiddenAt, true), await region(hiddenAt, false))).toBeLessThan(1);
    const withBall = await region(shownAt, true);
    expect(meanAbsDiff(withBall, await region(shownAt, false))).toBeGreaterThan(20);
    const centre = withBall.slice(4 * 24, 4 * 24 + 3); // the middle pixel: the ball's orange
    expect(centre[0]!).toBeGreaterThan(centre[2]! + 60);
    await debug(page, (d) => d.pause(false));
  });

  test('the character cannot walk through a wall', async () => {
    // Facing the north wall (inner face at z = −12) from 2.5 m away.
    await debug(page, async (d) => {
      d.pause(true);
      await d.teleport({ x: 4, y: 1.62, z: -9.5, yaw: 0, pitch: 0 });
    });
    await page.keyboard.down('KeyW');
    await debug(page, (d) => d.pause(false));
    await expect.poll(async () => (await debug(page, (d) => d.pose())).z, { timeout: 20_000 }).toBeLessThan(-11.3);
    for (let i = 0; i < 4; i++) {
      await page.waitForTimeout(500); // keep pushing
      const pose = await debug(page, (d) => d.pose());
      expect(pose.z).toBeGreaterThan(-12 + 0.25); // the capsule (radius 0.3) stays inside
    }
    await page.keyboard.up('KeyW');
  });

  test('a model without spatial memory shows "memory –", and M and N say there is none', async () => {
    await expect(page.locator('#hud-memory')).toHaveText('memory –');
    await page.keyboard.press('KeyM');
    await expect(page.locator('#note-memory')).toContainText('no spatial memory');
    expect(await page.evaluate(() => (window as unknown as { __nextframePlugin: { view: string } }).__nextframePlugin.view)).toBe('model');
    await page.keyboard.press('KeyN');
    await expect(page.locator('#hud-memory')).toHaveText('memory –');
    expect((await status(page)).stats?.memoryState).toBe('none');
  });

  test('H and ? toggle the help overlay', async () => {
    await expect(page.locator('#help')).toBeHidden(); // ?nohelp
    await page.keyboard.press('KeyH');
    await expect(page.locator('#help')).toBeVisible();
    await expect(page.locator('#help-promise')).toContainText('≥ 30 fps');
    await expect(page.locator('#help')).toContainText('Memory view');
    await expect(page.locator('#help')).toContainText('Memory on / off');
    await page.keyboard.press('Shift+Slash'); // ?
    await expect(page.locator('#help')).toBeHidden();
  });

  test('a reload takes the model bytes from the cache', async () => {
    await page.reload();
    await waitFrames(page, 1);
    expect((await status(page)).fromCache).toBe(true);
    await expect(page.locator('#loading-text')).toContainText('from cache');
  });

  test('a model that throws during a step shows what happened and what to do', async () => {
    await debug(page, (d) => d.breakModel());
    await expect(page.locator('#failure')).toBeVisible({ timeout: 20_000 });
    await expect(page.locator('#failure-title')).toHaveText('The world model stopped');
    await expect(page.locator('#failure-what')).toContainText('the model was made to throw');
    await expect(page.locator('#failure-todo')).toContainText('Reload');
    expect((await status(page)).error).toMatch(/^model-step-failed/);
    expect(errors).toEqual([]);
  });
});

test.describe('the arena with a spatial-memory model (tiny-streams fixture) on WASM', () => {
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  let errors: string[];
  const view = (): Promise<string> => page.evaluate(() => (window as unknown as { __nextframePlugin: { view: string } }).__nextframePlugin.view);
  /** Let the world run until `n` more frames are painted, then hold it still. */
  const advance = async (n: number): Promise<void> => {
    const from = (await status(page)).frames;
    await debug(page, (d) => d.pause(false));
    await waitFrames(page, from + n);
    await debug(page, async (d) => {
      d.pause(true);
      await d.idle();
    });
  };

  test.beforeAll(async ({ browser }, testInfo) => {
    test.setTimeout(90_000);
    page = await browser.newPage({ baseURL: testInfo.project.use.baseURL! });
    errors = watchErrors(page);
    await page.goto(MEMORY_PAGE);
    await waitFrames(page, 2);
  });
  test.afterAll(async () => {
    await page.close();
  });

  test('the HUD shows how much of the view memory covered', async () => {
    // Standing still, the view is the one memory was seeded with: nearly all of it is covered.
    await expect(page.locator('#hud-memory')).toHaveText(/^memory \d+ %$/, { timeout: 20_000 });
    await expect.poll(async () => (await status(page)).stats?.memoryCoverage ?? 0, { timeout: 20_000 }).toBeGreaterThan(0.5);
    const stats = (await status(page)).stats!;
    expect(stats.memoryState).toBe('on');
    expect(stats.memoryKeyframes).toBeGreaterThanOrEqual(2);
    // Memory on: each world frame costs memory a render and an insert, so some report shows that
    // time (0 is what memory off reports; see the N test).
    await expect.poll(async () => (await status(page)).stats?.memoryMs ?? 0, { timeout: 20_000 }).toBeGreaterThan(0);
    const shown = Number.parseFloat((await page.locator('#hud-memory').textContent())!.replace('memory ', ''));
    expect(shown).toBeGreaterThan(50);
    await expect(page.locator('#hud-memory')).toHaveAttribute('title', /keyframes held/);
  });

  test('M shows what memory gives the model instead of the painted frame, and M again goes back', async () => {
    await debug(page, async (d) => {
      d.pause(true);
      await d.teleport({ x: 2, y: 1.62, z: -4, yaw: -Math.PI / 2, pitch: 0 });
    });
    await advance(3);
    const world = await debug(page, (d) => d.worldPixels());
    const modelScreen = await debug(page, (d) => d.screenAtModelPixels(false));
    expect(meanAbsDiff(modelScreen, world)).toBeLessThan(4); // bicubic at pixel centres: nearly the frame

    await page.keyboard.press('KeyM');
    expect(await view()).toBe('memory');
    await advance(2); // the memory stream is kept from the next frame on
    const memory = await debug(page, (d) => d.memoryPixels());
    const memoryScreen = await debug(page, (d) => d.screenAtModelPixels(false));
    // The screen is the memory image, pixel for pixel (nearest), and not the painted frame.
    expect(meanAbsDiff(memoryScreen, memory)).toBeLessThan(1);
    const covered = memory.filter((_, i) => i % 4 === 3 && memory[i] === 255).length;
    expect(covered).toBeGreaterThan(memory.length / 4 / 2); // standing still: mostly remembered
    expect(meanAbsDiff(memoryScreen, await debug(page, (d) => d.worldPixels()))).toBeGreaterThan(3);
    expect(meanAbsDiff(memoryScreen, modelScreen)).toBeGreaterThan(3);

    await page.keyboard.press('KeyM');
    expect(await view()).toBe('model');
    const back = await debug(page, (d) => d.screenAtModelPixels(false));
    expect(meanAbsDiff(back, await debug(page, (d) => d.worldPixels()))).toBeLessThan(3);
  });

  test('N turns memory off (an empty stream, shown all uncovered) and on again', async () => {
    await page.keyboard.press('KeyN');
    await expect(page.locator('#hud-memory')).toHaveText('memory off');
    await page.keyboard.press('KeyM');
    await advance(2);
    await expect.poll(async () => (await status(page)).stats?.memoryState).toBe('off');
    await expect.poll(async () => (await status(page)).stats?.memoryCoverage).toBe(0);
    await expect.poll(async () => (await status(page)).stats?.memoryMs).toBe(0); // no memory work while off
    const memory = await debug(page, (d) => d.memoryPixels());
    expect(memory.filter((_, i) => i % 4 === 3).every((a) => a === 0)).toBe(true); // nothing given
    await page.keyboard.press('KeyM');
    await page.keyboard.press('KeyN');
    await advance(2);
    await expect(page.locator('#hud-memory')).toHaveText(/^memory \d+ %$/, { timeout: 20_000 });
    await debug(page, (d) => d.pause(false));
    expect(errors).toEqual([]);
  });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('touch joysticks walk and look', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(FIXTURE_PAGE);
    await waitFrames(page, 2);
    await debug(page, async (d) => {
      d.pause(true);
      await d.teleport({ x: 2, y: 1.62, z: -4, yaw: -Math.PI / 2, pitch: 0 }); // facing east
      d.pause(false);
    });
    const client = await page.context().newCDPSession(page);
    const drag = async (selector: string, dx: number, dy: number, holdMs: number): Promise<void> => {
      const box = (await page.locator(selector).boundingBox())!;
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      await client.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y, id: 1 }] });
      for (let i = 1; i <= 5; i++) await client.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: x + (dx * i) / 5, y: y + (dy * i) / 5, id: 1 }] });
      await page.waitForTimeout(holdMs);
      await client.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    };
    await expect(page.locator('.nf-joystick-move .back')).toBeVisible();
    await expect(page.locator('.nf-joystick-look .back')).toBeVisible();

    const start = await debug(page, (d) => d.pose());
    await drag('.nf-joystick-move .back', 0, -70, 1500); // push the left stick up: walk forward
    await expect.poll(async () => (await debug(page, (d) => d.pose())).x, { timeout: 20_000 }).toBeGreaterThan(start.x + 1);
    const walked = await debug(page, (d) => d.pose());
    expect(Math.abs(walked.z - start.z)).toBeLessThan(0.3); // straight ahead (east), not sideways

    await drag('.nf-joystick-look .back', 70, 0, 400); // push the right stick right: turn right
    const turned = async (): Promise<number> => {
      const yaw = (await debug(page, (d) => d.pose())).yaw - walked.yaw;
      return Math.atan2(Math.sin(yaw), Math.cos(yaw)); // wrapped to (−π, π]
    };
    await expect.poll(turned, { timeout: 20_000 }).toBeLessThan(-0.4);
    expect(errors).toEqual([]);
  });
});

test('a 30-second scripted session has no console errors and keeps the promised ≥ 30 fps on WASM', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto(FIXTURE_PAGE);
  await waitFrames(page, 2);
  const fps: number[] = [];
  const sample = async (): Promise<void> => {
    const text = await page.locator('#hud-fps').textContent();
    fps.push(Number.parseFloat(text ?? 'NaN'));
  };
  const hold = async (key: string, ms: number): Promise<void> => {
    await page.keyboard.down(key);
    await page.waitForTimeout(ms);
    await page.keyboard.up(key);
  };
  const started = Date.now();
  const script: (() => Promise<void>)[] = [
    () => hold('KeyW', 2000),
    () => hold('ArrowLeft', 1000),
    async () => {
      await page.mouse.move(600, 360);
      await page.mouse.down();
      await page.mouse.move(700, 350, { steps: 8 });
      await page.mouse.up();
    },
    () => hold('KeyD', 1000),
    () => page.keyboard.press('Space'),
    () => page.keyboard.press('KeyT'), // throw
    () => page.mouse.click(640, 400), // throw by click
    () => hold('KeyS', 1000),
    () => hold('KeyE', 300),
    () => hold('ArrowRight', 1000),
    () => hold('KeyA', 1000),
  ];
  for (let i = 0; Date.now() - started < 30_000; i++) {
    await script[i % script.length]!();
    await page.waitForTimeout(400);
    await sample();
  }
  const s = await status(page);
  expect(s.error).toBe('');
  expect(s.frames).toBeGreaterThan(20);
  const sorted = [...fps].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1]!;
  test.info().annotations.push({ type: 'HUD fps samples', description: fps.join(', ') });
  expect(median, `HUD fps samples: ${fps.join(', ')}`).toBeGreaterThanOrEqual(30);
  expect(errors).toEqual([]);
});

test('?speculation=single turns speculation on on WASM: walking ahead, frames are ready before their ticks and the HUD says how many', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await page.goto(`${MEMORY_PAGE}&speculation=single`);
  await waitFrames(page, 2);
  await page.keyboard.down('KeyW');
  await page.waitForTimeout(3000);
  await page.keyboard.up('KeyW');
  await expect(page.locator('#hud-speculation')).toHaveText(/^spec \d+ %$/, { timeout: 10_000 });
  const s = await status(page);
  expect(s.error).toBe('');
  expect(s.stats?.speculationMode).toBe('single');
  // Holding one key repeats one action: most ticks find their frame painted already.
  expect(s.stats?.speculationHitRate ?? 0).toBeGreaterThan(0.5);
  expect(errors).toEqual([]);
});

test('the fixture runs through the WebGPU path (SwiftShader)', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/demos/arena/?device=webgpu&model=/tests/fixtures/tiny/&nohelp');
  // The first WebGPU step compiles every shader on a software GPU: slow, but it must arrive.
  await waitFrames(page, 1, 170_000);
  const s = await status(page);
  expect(s.backend).toBe('webgpu');
  await expect(page.locator('#hud-backend')).toHaveText('WEBGPU');
  await expect(page.locator('#note-backend')).toHaveCount(0); // no fallback
  expect(errors).toEqual([]);
});

test('failure screens say what happened and what to do: missing model, not ONNX, manifest mismatch', async ({ page, request }) => {
  await page.goto('/demos/arena/?model=/models/does-not-exist/&device=wasm');
  await expect(page.locator('#failure')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#failure-title')).toHaveText('The world model is missing');
  await expect(page.locator('#failure-what')).toContainText('HTTP 404');
  await expect(page.locator('#failure-todo')).toContainText('npm start');

  await page.route('**/tests/fixtures/tiny/model.onnx', (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: '<html>oops</html>' }));
  await page.goto('/demos/arena/?model=/tests/fixtures/tiny/&device=wasm');
  await expect(page.locator('#failure')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#failure-what')).toContainText('not an ONNX model');
  await page.unroute('**/tests/fixtures/tiny/model.onnx');

  // The tiny model with another model's manifest: its modelSha256 is not the file's.
  const streams = await (await request.get('/tests/fixtures/tiny-streams/manifest.json')).text();
  await page.route('**/tests/fixtures/tiny/manifest.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: streams }));
  await page.goto('/demos/arena/?model=/tests/fixtures/tiny/&device=wasm');
  await expect(page.locator('#failure')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#failure-title')).toHaveText('The model file is damaged');
  await expect(page.locator('#failure-what')).toContainText("does not match the manifest's modelSha256");
  await expect(page.locator('#failure-todo')).toContainText('exported together');
  await page.unroute('**/tests/fixtures/tiny/manifest.json');

  // The same manifest without a hash (written by hand): it declares two more inputs than the graph has.
  const unhashed = JSON.parse(streams) as Record<string, unknown>;
  delete unhashed.modelSha256;
  await page.route('**/tests/fixtures/tiny/manifest.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(unhashed) }));
  await page.goto('/demos/arena/?model=/tests/fixtures/tiny/&device=wasm');
  await expect(page.locator('#failure')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#failure-title')).toHaveText('The model does not match its manifest');
  await expect(page.locator('#failure-what')).toContainText('input "memory"');
  await expect(page.locator('#failure-todo')).toContainText('exported together');
});

test('without WebGPU and WASM threads the page says so, and plays on one thread when asked', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'crossOriginIsolated', { get: () => false });
    Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
  });
  const errors = watchErrors(page);
  await page.goto('/demos/arena/?model=/tests/fixtures/tiny/&nohelp');
  await expect(page.locator('#failure')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#failure-title')).toHaveText('No WebGPU and no WASM threads');
  await expect(page.locator('#failure-what')).toContainText('no WebGPU');
  await expect(page.locator('#failure-todo')).toContainText('COOP/COEP');
  await page.locator('#failure-action').click();
  await waitFrames(page, 2);
  await expect(page.locator('#note-threads')).toContainText('one thread');
  await expect(page.locator('#note-backend')).toContainText('no WebGPU');
  expect(errors).toEqual([]);
});
