import { expect, test } from '@playwright/test';

// The plug-in in a real browser: the README's example runs as written, and every resource the
// plug-in makes (GPU textures and geometry, Rapier bodies, DOM listeners and elements) is freed.

test('the README example adds a world model to a Three.js scene and paints frames', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/tests/e2e/pages/addToGame.html');
  await page.waitForSelector('body[data-ready="true"]');
  const result = await page.evaluate(() =>
    (window as unknown as { runExample(url: string, frames: number): Promise<Record<string, unknown>> }).runExample('/tests/fixtures/tiny/', 6),
  );
  expect(result.frames).toBeGreaterThanOrEqual(6);
  expect(result.startHadRed).toBe(true); // the model started from the real view of the red pillar
  expect(result.colours).toBeGreaterThan(50); // a painted picture, not a flat fill
  expect(result.changed).toBe(true);
  expect(result.ballFell).toBe(true); // the overlay ball is simulated and drawn where its body is
  expect(result.stopped).toBe(true);
  expect(errors).toEqual([]);
});

test('the plug-in frees its textures, render targets, bodies, listeners and DOM on dispose', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/tests/e2e/pages/plugin.html');
  await page.waitForSelector('body[data-ready="true"]');
  const r = (await page.evaluate(() => (window as unknown as { lifecycle(url: string): Promise<unknown> }).lifecycle('/tests/fixtures/tiny/'))) as {
    before: { geometries: number; textures: number; listeners: number; children: number };
    during: { geometries: number; textures: number; listeners: number; bodies: number; children: number };
    after: { geometries: number; textures: number; listeners: number; children: number; touchLayers: number };
    touchLayers: number;
    joystickElements: number;
    joysticksAfter: number;
    beforePieces: { textures: number; geometries: number };
    withPieces: { textures: number; geometries: number };
    withoutPieces: { textures: number; geometries: number };
    truthRange: [number, number];
    physicsFreed: boolean;
  };
  // While running: the frame and depth textures, the quad, thrown balls, bodies and listeners exist.
  expect(r.during.textures).toBeGreaterThan(r.before.textures);
  expect(r.during.geometries).toBeGreaterThan(r.before.geometries);
  expect(r.during.bodies).toBeGreaterThanOrEqual(4); // character, floor's body-less collider aside: ball, 2 thrown
  expect(r.during.children).toBe(r.before.children + 2); // two thrown balls
  expect(r.during.listeners).toBeGreaterThan(r.before.listeners);
  expect(r.touchLayers).toBe(1);
  // After dispose: back to where the scene alone was.
  expect(r.after.textures).toBe(r.before.textures);
  expect(r.after.geometries).toBe(r.before.geometries);
  expect(r.after.children).toBe(r.before.children);
  expect(r.after.listeners).toBe(r.before.listeners);
  expect(r.after.touchLayers).toBe(0);
  expect(r.physicsFreed).toBe(true);
  // The compositor and the ground-truth capture on their own.
  expect(r.withoutPieces.textures).toBeLessThan(r.withPieces.textures);
  expect(r.withoutPieces.geometries).toBeLessThan(r.withPieces.geometries);
  expect(r.withoutPieces.textures).toBe(r.beforePieces.textures); // the frame, depth, memory and upscale textures all freed
  expect(r.truthRange[0]).toBeGreaterThanOrEqual(-1);
  expect(r.truthRange[1]).toBeLessThanOrEqual(1);
  expect(r.truthRange[1] - r.truthRange[0]).toBeGreaterThan(0.3); // a real render, not a cleared target
  expect(r.joystickElements).toBe(2);
  expect(r.joysticksAfter).toBe(0);
  expect(errors).toEqual([]);
});

test('the plug-in warns, once on the console and in rangeWarnings, where play is outside what the model was trained on', async ({ page }) => {
  await page.goto('/tests/e2e/pages/plugin.html');
  await page.waitForSelector('body[data-ready="true"]');
  const r = await page.evaluate(() =>
    (window as unknown as { outOfRange(url: string): Promise<{ warnings: string[]; logged: string[]; cameraFov: number }> }).outOfRange('/tests/fixtures/tiny/'),
  );
  expect(r.warnings).toHaveLength(2);
  expect(r.warnings[0]).toMatch(/^eye height 1 m: model "[^"]+" was trained with the player's eyes at 1.6 m/);
  expect(r.warnings[1]).toMatch(/^field of view: your camera's 50° was set to the 70° model/);
  expect(r.cameraFov).toBe(70); // the camera was given the model's
  expect(r.logged).toEqual(r.warnings.map((w) => `WorldModelPlugin: ${w}`));
});
