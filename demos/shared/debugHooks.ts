// Test hooks on window.__nextframe.debug: set up exact scene states (camera, balls) and read
// pixels back, so browser tests check behaviour without aiming by hand.
import { Vector2, Vector3, type WebGLRenderer } from 'three';
import { layoutViews, type Pose, type SceneLayout, type WorldModelPlugin } from '../../engine/runtime/index.ts';
import { bicubicUpsample, frameToRGBA, type WorldModel } from '../../worldmodel/index.ts';
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
  /**
   * RGBA bytes of the world frame on screen, at model resolution: the model's frame, or while a
   * display frame shows, that frame sampled at the centre of each model pixel (as the screen is).
   */
  worldPixels(): number[];
  /** RGBA bytes of the ground-truth render at the shown pose, at model resolution. */
  truthPixels(): number[];
  /** RGBA bytes of the memory view (the memory stream of the shown frame; uncovered: magenta checkerboard, alpha 0), at model resolution. */
  memoryPixels(): number[];
  /** The screen sampled at the centre of each model pixel of the world view, or of the memory view in that mode (RGBA, model resolution). */
  screenAtModelPixels(overlays: boolean): number[];
  /** The screen sampled at the centre of each display-frame pixel of the world view (RGBA, display size: the model's × the upsampler's scale). */
  screenAtDisplayPixels(overlays: boolean): number[];
  /** RGBA bytes of the display frame on screen (display size), or null while the bicubic stretch shows. */
  displayPixels(): number[] | null;
  /** RGBA bytes of the frame shown stretched bicubically to display size (Catmull-Rom, the compositor's filter). */
  bicubicPixels(): number[];
  /** What the world view shows: its path, the size of the frame texture drawn, stepped down or not. */
  display(): { path: 'learned' | 'bicubic' | 'split'; width: number; height: number; steppedDown: boolean; scale: number };
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
  const scale = model.display?.scale ?? 1;

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

  /** The screen sampled at the centres of a cols × rows grid over the world view (RGBA, rows top-down). */
  const screenGrid = (cols: number, rows: number, overlays: boolean): number[] => {
    const { rect } = worldRect();
    const screen = readScreen(overlays);
    const out: number[] = [];
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) {
        // Row 0 is the top; GL rows count from the bottom.
        const x = Math.floor((rect.x + ((i + 0.5) / cols) * rect.width) * screen.ratio);
        const y = Math.floor((rect.y + (1 - (j + 0.5) / rows) * rect.height) * screen.ratio);
        const p = 4 * (y * screen.width + x);
        out.push(screen.data[p]!, screen.data[p + 1]!, screen.data[p + 2]!, screen.data[p + 3]!);
      }
    }
    return out;
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
    worldPixels: () => {
      const display = plugin.displayPath === 'learned' ? plugin.shownDisplayPixels : null;
      return display ? atModelPixels(display, W, H, scale) : Array.from(plugin.shownPixels);
    },
    truthPixels: () => Array.from(frameToRGBA(plugin.renderTruth(), W, H)),
    memoryPixels: () => Array.from(plugin.shownMemoryPixels),
    screenAtModelPixels: (overlays) => screenGrid(W, H, overlays),
    screenAtDisplayPixels: (overlays) => screenGrid(W * scale, H * scale, overlays),
    displayPixels: () => {
      const pixels = plugin.shownDisplayPixels;
      return pixels ? Array.from(pixels) : null;
    },
    bicubicPixels: () => Array.from(frameToRGBA(bicubicUpsample(plugin.shown.frame, W, H, scale), W * scale, H * scale)),
    display: () => {
      plugin.render();
      const drawn = plugin.displayDrawn;
      return { ...drawn, steppedDown: plugin.displaySteppedDown, scale };
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

/** A display frame (RGBA, `scale`× the model's size) sampled bilinearly at the centre of each model pixel, as the screen samples it. */
function atModelPixels(display: Uint8ClampedArray, width: number, height: number, scale: number): number[] {
  const wd = width * scale;
  const out: number[] = [];
  const at = (x: number, y: number, c: number): number => display[4 * (y * wd + x) + c]!;
  for (let j = 0; j < height; j++) {
    const v = (j + 0.5) * scale - 0.5;
    const y0 = Math.floor(v);
    const fy = v - y0;
    for (let i = 0; i < width; i++) {
      const u = (i + 0.5) * scale - 0.5;
      const x0 = Math.floor(u);
      const fx = u - x0;
      for (let c = 0; c < 3; c++) {
        const top = at(x0, y0, c) * (1 - fx) + at(x0 + 1, y0, c) * fx;
        const bottom = at(x0, y0 + 1, c) * (1 - fx) + at(x0 + 1, y0 + 1, c) * fx;
        out.push(Math.round(top * (1 - fy) + bottom * fy));
      }
      out.push(255);
    }
  }
  return out;
}
