import { act, createElement as h, StrictMode, type ReactElement } from 'react';
import { ACESFilmicToneMapping, type Object3D, NoToneMapping, type PerspectiveCamera } from 'three';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorldModelPlugin } from '../../../../engine/runtime/index.ts';
import type { StatsEvent } from '../../../../engine/runtime/index.ts';
import type { NextframeState } from '../../../../engine/runtime/r3f/index.ts';
import { resourceKey, worldResources } from '../../../../engine/runtime/r3f/worldResources.ts';
import { nodeCanvas, type NodeCanvas } from './nodeCanvas.tsx';
import { BoxWorld, FIXTURE_MODEL, type BoxWorldProps } from './worldScenes.tsx';

// <NextframeWorld> in react-three-fiber, in Node: the tiny fixture model loads (WASM), the plug-in
// is made on r3f's renderer, scene and camera, <Proxy> and <Overlay> children become colliders and
// bodies in its Rapier world, and unmounting frees all of it. Nothing is drawn (no WebGL here): the
// browser test (tests/e2e/r3f.spec.ts) plays the demo.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const KEY = resourceKey({ model: FIXTURE_MODEL, device: 'wasm' });
let canvas: NodeCanvas | null = null;

afterEach(async () => {
  await canvas?.unmount();
  canvas = null;
});

async function wait(ms: number): Promise<void> {
  await act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));
}

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await wait(25);
  }
}

/** Mount `element` (a BoxWorld built with the callbacks given) and wait for the world. */
async function mount(build: (props: Pick<BoxWorldProps, 'onWorld' | 'onStats'>) => ReactElement): Promise<{ worlds: NextframeState[]; stats: (StatsEvent | null)[]; rerender(build2: typeof build): Promise<void> }> {
  canvas = await nodeCanvas();
  const worlds: NextframeState[] = [];
  const stats: (StatsEvent | null)[] = [];
  const callbacks = { onWorld: (w: NextframeState) => void worlds.push(w), onStats: (s: StatsEvent | null) => void stats.push(s) };
  await canvas.render(build(callbacks));
  await until('the world', () => worlds.length > 0);
  return { worlds, stats, rerender: (next) => canvas!.render(next(callbacks)) };
}

function named(world: NextframeState, name: string): Object3D {
  const object = world.plugin.scene.getObjectByName(name);
  if (!object) throw new Error(`no object "${name}" in the scene`);
  return object;
}

/** Where a ray straight down from 10 m over (x, z) first hits the world's colliders, m above the floor; null for nothing. */
function groundAt(world: NextframeState, x: number, z: number): number | null {
  const { rapier, physics } = world;
  const hit = physics.world.castRay(new rapier.Ray({ x, y: 10, z }, { x: 0, y: -1, z: 0 }), 20, true);
  return hit ? 10 - hit.timeOfImpact : null;
}

describe('<NextframeWorld>', () => {
  it('loads the model under Suspense, plays it on r3f’s renderer, scene and camera, and frees everything on unmount', async () => {
    const { worlds } = await mount((cb) => h(BoxWorld, cb));
    const world = worlds.at(-1)!;
    const { plugin, physics } = world;
    const state = canvas!.state();
    expect(plugin.renderer).toBe(canvas!.gl);
    expect(plugin.scene).toBe(state.scene);
    expect(plugin.camera).toBe(state.camera);
    expect(world.model).not.toBe(null);
    expect(world.device.device).toBe('wasm');
    // The plug-in owns the camera's projection: r3f must not reset its aspect; overlays untoned.
    expect((state.camera as PerspectiveCamera & { manual?: boolean }).manual).toBe(true);
    expect((state.camera as PerspectiveCamera).aspect).toBeCloseTo(world.model.width / world.model.height);
    expect(canvas!.gl.toneMapping).toBe(NoToneMapping);

    // <Proxy>: the floor and the pillar are colliders (a ray hits the pillar's top, 5.5 m up).
    expect(groundAt(world, 0, -3)).toBeCloseTo(5.5, 3);
    expect(groundAt(world, 5, 5)).toBeCloseTo(0, 3);
    // <Overlay>: a ball and a crate with bodies where their groups are, shaped by their meshes.
    const overlays = plugin.overlayBodies;
    expect(overlays.map((o) => o.object.name)).toEqual(['ball', 'crate']);
    const [ball, crate] = overlays;
    expect(ball!.body.translation()).toMatchObject({ x: 1.5, y: 2, z: -1 });
    expect(ball!.body.collider(0).shape.type).toBe(world.rapier.ShapeType.Ball);
    expect((ball!.body.collider(0).shape as unknown as { radius: number }).radius).toBeCloseTo(0.3, 5);
    expect(ball!.body.mass()).toBeCloseTo(2, 5);
    // The crate: a 0.5 × 0.4 × 0.3 box, scaled 2, its mesh 0.1 m above the group's origin.
    const half = (crate!.body.collider(0).shape as unknown as { halfExtents: { x: number; y: number; z: number } }).halfExtents;
    expect([half.x, half.y, half.z].map((v) => +v.toFixed(4))).toEqual([0.5, 0.4, 0.3]);
    expect(crate!.body.collider(0).translation().y - crate!.body.translation().y).toBeCloseTo(0.2, 4);
    expect(crate!.body.mass()).toBeCloseTo(12, 4);
    expect(named(world, 'crate').position.x).toBe(-2);

    await canvas!.unmount();
    canvas = null;
    expect(plugin.isDisposed).toBe(true);
    expect(physics.isDisposed).toBe(true);
    expect((state.camera as PerspectiveCamera & { manual?: boolean }).manual).toBe(false);
    expect((state.camera as PerspectiveCamera).aspect).toBeCloseTo(320 / 240); // r3f's again
    expect(state.gl.toneMapping).toBe(ACESFilmicToneMapping);
    // The loaded model is kept a moment for a quick remount, then freed.
    expect(worldResources.has(KEY)).toBe(true);
    await until('the loaded model to be freed', () => !worldResources.has(KEY), 5_000);
  });

  it('marks each proxy and overlay once under StrictMode (effects run twice)', async () => {
    const disposed = vi.spyOn(WorldModelPlugin.prototype, 'dispose');
    const markProxy = vi.spyOn(WorldModelPlugin.prototype, 'markProxy');
    try {
      const { worlds } = await mount((cb) => h(StrictMode, null, h(BoxWorld, cb)));
      const world = worlds.at(-1)!;
      expect(world.plugin.isDisposed).toBe(false);
      // StrictMode made a world, disposed it and made the one in use.
      expect(disposed).toHaveBeenCalledTimes(1);
      // Each <Proxy>'s effect ran twice on the live world; it was marked once.
      expect(markProxy.mock.contexts.filter((plugin) => plugin === world.plugin)).toHaveLength(2);
      expect(world.plugin.overlayBodies).toHaveLength(2);
      let colliders = 0;
      world.physics.world.colliders.forEach((c) => void (c.isEnabled() && c.parent() === null && colliders++));
      expect(colliders).toBe(2); // the floor and the pillar, once each
      expect(groundAt(world, 0, -3)).toBeCloseTo(5.5, 3);
    } finally {
      disposed.mockRestore();
      markProxy.mockRestore();
    }
  });

  it('switches off the colliders of a <Proxy> that unmounts while the world plays', async () => {
    const { worlds, rerender } = await mount((cb) => h(BoxWorld, cb));
    const world = worlds.at(-1)!;
    expect(groundAt(world, 0, -3)).toBeCloseTo(5.5, 3);
    await rerender((cb) => h(BoxWorld, { ...cb, pillar: false }));
    expect(world.plugin.isDisposed).toBe(false);
    expect(worlds.at(-1)!.plugin).toBe(world.plugin); // the same world plays on
    expect(groundAt(world, 0, -3)).toBeCloseTo(0, 3); // the ray now reaches the floor
    await rerender((cb) => h(BoxWorld, cb));
    expect(groundAt(world, 0, -3)).toBeCloseTo(5.5, 3);
  });

  it('useNextframeStats gives the latest stats event and re-renders with each new one', async () => {
    const { worlds, stats } = await mount((cb) => h(BoxWorld, cb));
    expect(stats.at(-1)).toBe(null);
    const event = { displayFps: 60, worldFps: 15 } as StatsEvent;
    // The plug-in emits stats from update(); the hook reads `latestStats` when notified.
    const plugin = worlds.at(-1)!.plugin;
    Object.defineProperty(plugin, 'latestStats', { value: event, configurable: true });
    await act(async () => plugin.events.emit('stats', event));
    expect(stats.at(-1)).toBe(event);
  });

  it('passes the plug-in options through and follows view and paused', async () => {
    const { worlds, rerender } = await mount((cb) => h(BoxWorld, { ...cb, world: { view: 'truth', paused: true, throwing: false } }));
    const plugin = worlds.at(-1)!.plugin;
    expect(plugin.view).toBe('truth');
    expect(plugin.paused).toBe(true);
    expect(plugin.throwBall()).toBe(null); // throwing: false reached the plug-in
    await rerender((cb) => h(BoxWorld, { ...cb, world: { view: 'model', paused: false, throwing: false } }));
    expect(worlds.at(-1)!.plugin).toBe(plugin);
    expect(plugin.view).toBe('model');
    expect(plugin.paused).toBe(false);
  });
});
