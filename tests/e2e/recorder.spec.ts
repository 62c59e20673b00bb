import { expect, test } from '@playwright/test';

// The recorder page in the browser: it records through the model's camera with overlays hidden
// and shadows on, hands back arrays of the contract's sizes, and frees its resources on close.
test('the recorder page records ticks of the arena and closes cleanly', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/engine/capture/recorder/recorder.html');
  await page.waitForSelector('body[data-ready="true"]');
  const result = await page.evaluate(`(async () => {
    const api = window.nextframeRecorder;
    const opened = await api.open({ scene: '/demos/worlds/arena.ts', sceneId: 'arena', sceneSeed: 0, width: 64, height: 64 });
    const state = api.state();
    api.begin(3, 'explore');
    const chunk = api.record(6);
    api.end();
    api.close();
    const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const frames = bytes(chunk.frames);
    const poses = new Float32Array(bytes(chunk.poses).buffer);
    const actions = new Float32Array(bytes(chunk.actions).buffer);
    let min = 255, max = 0;
    for (const v of frames) { min = Math.min(min, v); max = Math.max(max, v); }
    let closedError = null;
    try { api.record(1); } catch (e) { closedError = e.message; }
    return { opened, state, after: api.state(), ticks: chunk.ticks, frameBytes: frames.length, depthBytes: bytes(chunk.depth).length,
      poses: Array.from(poses), firstAction: Array.from(actions.slice(0, 7)), min, max, closedError };
  })()`) as {
    opened: { renderer: string; camera: { fovYDegrees: number; aspect: number; near: number; far: number }; scene: { id: string; hash: string; layout: { statics: unknown[] } } };
    state: { open: boolean; overlaysVisible: boolean; shadows: boolean };
    after: { open: boolean };
    ticks: number;
    frameBytes: number;
    depthBytes: number;
    poses: number[];
    firstAction: number[];
    min: number;
    max: number;
    closedError: string | null;
  };
  expect(result.opened.camera).toEqual({ fovYDegrees: 70, aspect: 1, near: 0.05, far: 60 });
  expect(result.opened.scene.id).toBe('arena');
  expect(result.opened.scene.layout.statics.length).toBeGreaterThan(20); // the arena's exact layout
  expect(result.state).toEqual({ open: true, overlaysVisible: false, shadows: true });
  expect(result.ticks).toBe(6);
  expect(result.frameBytes).toBe(6 * 64 * 64 * 3);
  expect(result.depthBytes).toBe(6 * 64 * 64 * 2);
  expect(result.poses.length).toBe(6 * 5);
  expect(result.poses[1]).toBeCloseTo(1.62, 1); // eye height above the floor
  expect(result.firstAction).toEqual([0, 0, 0, 0, 0, 0, 0]);
  expect(result.max - result.min).toBeGreaterThan(60); // a real picture, not a cleared target
  expect(result.after.open).toBe(false);
  expect(result.closedError).toMatch(/call open\(\) first/);
  expect(errors).toEqual([]);
});

// A scene module with a GLB asset (the dusk street's lamp posts, loaded with GLTFLoader): the page
// waits for it, the lamps are colliders, and the recording shows the street.
test('the recorder page records the dusk street, GLB lamp posts included', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/engine/capture/recorder/recorder.html');
  await page.waitForSelector('body[data-ready="true"]');
  const result = (await page.evaluate(`(async () => {
    const api = window.nextframeRecorder;
    const opened = await api.open({ scene: '/demos/worlds/duskStreet.ts', sceneId: 'dusk-street', sceneSeed: 0, width: 64, height: 64 });
    api.begin(1, 'wander');
    const chunk = api.record(4);
    api.close();
    const frames = Uint8Array.from(atob(chunk.frames), (c) => c.charCodeAt(0));
    let min = 255, max = 0;
    for (const v of frames) { min = Math.min(min, v); max = Math.max(max, v); }
    return { id: opened.scene.id, ids: opened.scene.layout.statics.map((s) => s.id), landmarks: opened.scene.layout.statics.filter((s) => s.landmark).map((s) => s.id), ticks: chunk.ticks, min, max };
  })()`)) as { id: string; ids: string[]; landmarks: string[]; ticks: number; min: number; max: number };
  expect(result.id).toBe('dusk-street');
  // Every mesh of each GLB lamp post is a collider (base, pole, arm, lantern, cap).
  expect(result.ids.filter((id) => id.startsWith('lamp0-'))).toHaveLength(5);
  expect(result.landmarks).toContain('car0-0'); // found automatically: a thing standing where players walk
  expect(result.ticks).toBe(4);
  expect(result.max - result.min).toBeGreaterThan(60);
  expect(errors).toEqual([]);
});
