// Test hooks on window.__nextframe.debug: set up exact scene states (camera, balls) and read
// pixels back, so browser tests check behaviour without aiming by hand.
import { Vector2, Vector3, type WebGLRenderer } from 'three';
import { layoutViews, type Pose, type SceneLayout, type WorldModelPlugin } from '../../engine/runtime/index.ts';
import { frameToRGBA, type WorldModel } from '../../worldmodel/index.ts';
import { SoakProbe } from './soakProbe.ts';

export interface DemoDebug {
  /** The player's live camera pose, and the pose of the world frame on screen. */
  pose(): Pose;
  shownPose(): Pose;
  /** Put the camera at `pose` and start the model again from the ground truth there. */
  teleport(pose: Pose): Promise<void>;
  /** Freeze physics and world frames (drawing goes on). */
  pause(paused: boolean): void;
  /** Resolves when no model step is in flight. */
  idle(): Promise<void>;
  /** Throw (or with a zero velocity, place) a ball; returns how many thrown balls exist. */
  throwBall(from: { x: number; y: number; z: number }, velocity?: { x: number; y: number; z: number }): number;
  /** A static shape of the scene by id: centre and, for cylinders, radius. */
  shape(id: string): { x: number; y: number; z: number; radius: number | null };
  /** RGBA bytes of the world frame on screen, at model resolution. */
  worldPixels(): number[];
  /** RGBA bytes of the ground-truth render at the shown pose, at model resolution. */
  truthPixels(): number[];
  /** RGBA bytes of the memory view (the memory stream of the shown frame; uncovered: magenta checkerboard, alpha 0), at model resolution. */
  memoryPixels(): number[];
  /** The screen sampled at the centre of each model pixel of the world view, or of the memory view in that mode (RGBA, model resolution). */
  screenAtModelPixels(overlays: boolean): number[];
  /** A screen region (CSS pixels from the top-left) as RGBA, rows top-down. */
  screenRegion(x: number, y: number, width: number, height: number, overlays: boolean): number[];
  /** Where a world point appears on screen (CSS pixels from the top-left) in the world view. */
  project(x: number, y: number, z: number): { x: number; y: number; depth: number };
  /** RGBA of the world frame when the frame with this tick arrives (ticks restart at 0 on teleport). */
  frameAtTick(tick: number): Promise<number[]>;
  /** Make every later model step throw (checks the failure screen). */
  breakModel(): void;
  /** Long-play measurements since the page started (the soak command reads them). */
  soak: Pick<SoakProbe, 'sample' | 'timeline'>;
}

const _v = new Vector3();
const _size = new Vector2();

export function createDebugHooks(plugin: WorldModelPlugin, renderer: WebGLRenderer, model: WorldModel, scene: SceneLayout): DemoDebug {
  const gl = renderer.getContext();
  const { width: W, height: H } = model;

  /** Draw now (with or without overlays) and read the whole drawing buffer (rows bottom-up). */
  const readScreen = (overlays: boolean): { data: Uint8Array; width: number; height: number; ratio: number } => {
    const was = plugin.overlaysVisible;
    plugin.overlaysVisible = overlays;
    plugin.render();
    plugin.overlaysVisible = was;
    renderer.getDrawingBufferSize(_size);
    const data = new Uint8Array(4 * _size.x * _size.y);
    gl.readPixels(0, 0, _size.x, _size.y, gl.RGBA, gl.UNSIGNED_BYTE, data);
    return { data, width: _size.x, height: _size.y, ratio: renderer.getPixelRatio() };
  };
  const worldRect = () => {
    renderer.getSize(_size);
    const layout = layoutViews(plugin.view, _size.x, _size.y, W / H, plugin.fit);
    const view = layout.model ?? layout.memory;
    if (!view) throw new Error('debug: neither the world view nor the memory view is on screen in this view mode.');
    return { rect: view.frame, cssHeight: _size.y };
  };

  // Only functions on window: a test that reads the whole status must not serialise the plug-in.
  const probe = new SoakProbe(plugin, renderer);
  return {
    soak: { sample: () => probe.sample(), timeline: () => probe.timeline() },
    pose: () => ({ ...plugin.character.pose }),
    shownPose: () => ({ ...plugin.shown.pose }),
    teleport: (pose) => plugin.restart(pose),
    pause: (paused) => void (plugin.paused = paused),
    idle: () => plugin.idle(),
    throwBall: (from, velocity = { x: 0, y: 0, z: 0 }) => {
      plugin.throwBall({ from, velocity });
      return plugin.overlayBodies.length;
    },
    shape: (id) => {
      const shape = scene.statics.find((s) => s.id === id);
      if (!shape) throw new Error(`debug: no static shape "${id}" in scene "${scene.id}".`);
      const [x, y, z] = shape.position;
      return { x, y, z, radius: shape.kind === 'cylinder' ? shape.radius : null };
    },
    worldPixels: () => Array.from(plugin.shownPixels),
    truthPixels: () => Array.from(frameToRGBA(plugin.renderTruth(), W, H)),
    memoryPixels: () => Array.from(plugin.shownMemoryPixels),
    screenAtModelPixels: (overlays) => {
      const { rect } = worldRect();
      const screen = readScreen(overlays);
      const out: number[] = [];
      for (let j = 0; j < H; j++) {
        for (let i = 0; i < W; i++) {
          // Model row 0 is the top; GL rows count from the bottom.
          const x = Math.floor((rect.x + ((i + 0.5) / W) * rect.width) * screen.ratio);
          const y = Math.floor((rect.y + (1 - (j + 0.5) / H) * rect.height) * screen.ratio);
          const p = 4 * (y * screen.width + x);
          out.push(screen.data[p]!, screen.data[p + 1]!, screen.data[p + 2]!, screen.data[p + 3]!);
        }
      }
      return out;
    },
    screenRegion: (x, y, width, height, overlays) => {
      const screen = readScreen(overlays);
      const out: number[] = [];
      for (let row = 0; row < height; row++) {
        const glY = Math.floor((screen.height / screen.ratio - (y + row + 0.5)) * screen.ratio);
        for (let col = 0; col < width; col++) {
          const p = 4 * (glY * screen.width + Math.floor((x + col + 0.5) * screen.ratio));
          out.push(screen.data[p]!, screen.data[p + 1]!, screen.data[p + 2]!, screen.data[p + 3]!);
        }
      }
      return out;
    },
    project: (x, y, z) => {
      plugin.render(); // places the camera at the shown pose
      const { rect, cssHeight } = worldRect();
      _v.set(x, y, z).applyMatrix4(plugin.camera.matrixWorldInverse);
      const depth = -_v.z;
      _v.set(x, y, z).project(plugin.camera);
      return { x: rect.x + ((_v.x + 1) / 2) * rect.width, y: cssHeight - (rect.y + ((_v.y + 1) / 2) * rect.height), depth };
    },
    frameAtTick: (tick) =>
      new Promise((resolve) => {
        const off = plugin.on('frame', (event) => {
          if (event.tick !== tick) return;
          off();
          resolve(Array.from(plugin.shownPixels));
        });
      }),
    breakModel: () => {
      // Both ways of painting: the plug-in paints through the speculative scheduler (sampleBranches).
      const broken = (): Promise<never> => Promise.reject(new Error('the model was made to throw (test hook breakModel)'));
      (model as { step: WorldModel['step'] }).step = broken;
      (model as { sampleBranches: WorldModel['sampleBranches'] }).sampleBranches = broken;
    },
  };
}
