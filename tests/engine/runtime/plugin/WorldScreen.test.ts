import { type Camera, type Color, type Frustum, Mesh, MeshBasicMaterial, BoxGeometry, type Object3D, PerspectiveCamera, Scene, Vector3, type Vector2, type Vector4, type WebGLRenderer } from 'three';
import { describe, expect, it } from 'vitest';
import type { RunnerFrame } from '../../../../engine/runtime/plugin/ModelRunner.ts';
import type { OverlaySet } from '../../../../engine/runtime/plugin/OverlaySet.ts';
import { WorldScreen, type ScreenSettings } from '../../../../engine/runtime/plugin/WorldScreen.ts';
import { NextframeError, type Pose } from '../../../../worldmodel/index.ts';

// Drawing needs WebGL (tests/e2e/plugin.spec.ts draws for real); here a renderer that records what
// it is asked to render, and reads back white, is enough to check where the camera is put, what is
// hidden, and when the screen must be drawn again.
const W = 4;
const H = 2;

interface Render {
  scene: Object3D;
  camera: Camera;
  /** Where the camera was at the time, and whether each watched object was visible. */
  position: Vector3;
  visible: boolean[];
}

function fakeRenderer(watch: Object3D[] = []) {
  const renders: Render[] = [];
  const canvas = { width: 200, height: 100 };
  const renderer = {
    domElement: canvas,
    autoClear: true,
    autoClearColor: true,
    autoClearDepth: true,
    autoClearStencil: true,
    capabilities: { logarithmicDepthBuffer: false },
    state: { buffers: { depth: { getReversed: () => false } } },
    shadowMap: { autoUpdate: true },
    getSize: (v: Vector2) => v.set(canvas.width, canvas.height),
    getViewport: (v: Vector4) => v.set(0, 0, canvas.width, canvas.height),
    getScissor: (v: Vector4) => v.set(0, 0, canvas.width, canvas.height),
    getScissorTest: () => false,
    setScissorTest() {},
    setScissor() {},
    setViewport() {},
    getRenderTarget: () => null,
    setRenderTarget() {},
    clear() {},
    getClearColor: (c: Color) => c,
    getClearAlpha: () => 1,
    setClearColor() {},
    getContext: () => ({ flush() {} }),
    readRenderTargetPixels: (_target: unknown, _x: number, _y: number, _w: number, _h: number, out: Uint8Array) => out.fill(255),
    render(scene: Object3D, camera: Camera) {
      renders.push({ scene, camera, position: camera.position.clone(), visible: watch.map((o) => o.visible) });
    },
  };
  return { renderer: renderer as unknown as WebGLRenderer, renders, canvas };
}

function makeScreen(watch: Object3D[] = [], onBeforeRender?: (camera: PerspectiveCamera) => void) {
  const { renderer, renders, canvas } = fakeRenderer(watch);
  const scene = new Scene();
  const camera = new PerspectiveCamera(60, W / H, 0.1, 50);
  const screen = new WorldScreen({ renderer, scene, camera, width: W, height: H, filter: 'bilinear', onBeforeRender });
  return { screen, scene, camera, renders, canvas };
}

function settings(extra: Partial<ScreenSettings> = {}): ScreenSettings {
  return { view: 'model', fit: 'contain', overlaysVisible: true, redraw: 'changes', displaySplit: false, ...extra };
}

function frame(value: number, memory: Float32Array | null = null): RunnerFrame {
  return { tick: 1, frame: new Float32Array(3 * W * H).fill(value), pose: pose(0), depth: new Float32Array(W * H).fill(3), action: new Float32Array(3), ms: 1, memory, memoryCoverage: null, memoryMs: 0, display: null, displayMs: 0 } as RunnerFrame;
}

const pose = (x: number, yaw = 0): Pose => ({ x, y: 1.6, z: 0, yaw, pitch: 0 });
const overlaysThatMoved = (moved: boolean, seen: Frustum[] = []) => ({ sync: (f: Frustum) => (seen.push(f.clone()), moved) }) as unknown as OverlaySet;

describe('WorldScreen', () => {
  it('is stale until drawn, and again after a new frame, another view, fit or overlay setting, or a resize', () => {
    const { screen, canvas } = makeScreen();
    const s = settings();
    expect(screen.stale(s)).toBe(true);
    screen.draw(s, pose(0), pose(0), []);
    expect(screen.stale(s)).toBe(false);
    expect(screen.stale(settings({ fit: 'cover' }))).toBe(true);
    expect(screen.stale(settings({ overlaysVisible: false }))).toBe(true);
    expect(screen.stale(settings({ view: 'memory' }))).toBe(true);
    screen.show(frame(0), false);
    expect(screen.stale(s)).toBe(true);
    screen.draw(s, pose(0), pose(0), []);
    expect(screen.stale(s)).toBe(false);
    canvas.width = 320;
    expect(screen.stale(s)).toBe(true);
    screen.draw(s, pose(0), pose(0), []);
    expect(screen.stale(s)).toBe(false);
    screen.dispose();
  });

  it('is always stale in the views that show ground truth, which follow the live pose', () => {
    const { screen } = makeScreen();
    for (const view of ['truth', 'split'] as const) {
      screen.draw(settings({ view }), pose(0), pose(0), []);
      expect(screen.stale(settings({ view }))).toBe(true);
    }
    screen.dispose();
  });

  it('needs a draw when redrawing always, when an overlay moved in view, or when stale', () => {
    const { screen } = makeScreen();
    const s = settings();
    screen.draw(s, pose(0), pose(0), []); // camera at the origin, eye 1.6 m up, looking down −z
    const seen: Frustum[] = [];
    expect(screen.needsDraw(s, overlaysThatMoved(false, seen))).toBe(false);
    expect(screen.needsDraw(s, overlaysThatMoved(true, seen))).toBe(true);
    expect(screen.needsDraw(settings({ redraw: 'always' }), overlaysThatMoved(false, seen))).toBe(true);
    // The overlays are synced every time, against what the camera sees.
    expect(seen).toHaveLength(3);
    expect(seen[0]!.containsPoint(new Vector3(0, 1.6, -5))).toBe(true);
    expect(seen[0]!.containsPoint(new Vector3(0, 1.6, 5))).toBe(false);
    screen.show(frame(0), false);
    expect(screen.needsDraw(s, overlaysThatMoved(false))).toBe(true);
    screen.dispose();
  });

  it('draws from the pose of the frame shown (the live pose for the truth view), proxies hidden under the overlays', () => {
    const proxy = new Mesh(new BoxGeometry(), new MeshBasicMaterial());
    const placed: Vector3[] = [];
    const { screen, scene, renders } = makeScreen([proxy], (camera) => placed.push(camera.position.clone()));
    screen.draw(settings(), pose(5), pose(1), [proxy]);
    expect(placed.map((p) => p.x)).toEqual([1]);
    const overlayPass = renders.filter((r) => r.scene === scene);
    expect(overlayPass).toHaveLength(1);
    expect(overlayPass[0]!.position.x).toBe(1);
    expect(overlayPass[0]!.visible).toEqual([false]);
    expect(proxy.visible).toBe(true);
    renders.length = 0;
    screen.draw(settings({ view: 'truth' }), pose(5), pose(1), [proxy]);
    expect(placed.map((p) => p.x)).toEqual([1, 5]);
    expect(renders.filter((r) => r.scene === scene).map((r) => [r.position.x, r.visible[0]])).toEqual([[5, true]]);
    renders.length = 0;
    screen.draw(settings({ overlaysVisible: false }), pose(5), pose(1), [proxy]);
    expect(renders.filter((r) => r.scene === scene)).toHaveLength(0);
    screen.dispose();
  });

  it('captures the ground truth at a pose with the given objects hidden, into `out`', () => {
    const crate = new Mesh(new BoxGeometry(), new MeshBasicMaterial());
    const placed: number[] = [];
    const { screen, scene, renders } = makeScreen([crate], (camera) => placed.push(camera.rotation.y));
    const out = new Float32Array(3 * W * H);
    expect(screen.captureTruth(pose(2, 0.5), [crate], out)).toBe(out);
    expect(placed).toEqual([0.5]);
    const pass = renders.filter((r) => r.scene === scene);
    expect(pass.map((r) => [r.position.x, r.visible[0]])).toEqual([[2, false]]);
    expect(crate.visible).toBe(true);
    expect(Array.from(out)).toEqual(new Array(3 * W * H).fill(1)); // the renderer read back white
    screen.dispose();
  });

  it("shows a frame's pixels, and its memory stream only when asked", () => {
    const { screen } = makeScreen();
    screen.show(frame(1), false);
    expect(Array.from(screen.pixels.subarray(0, 4))).toEqual([255, 255, 255, 255]);
    const uncovered = Array.from(screen.memoryPixels);
    const memory = new Float32Array(4 * W * H);
    memory.fill(-1, 0, 3 * W * H).fill(1, 3 * W * H); // black, covered everywhere
    screen.show(frame(-1, memory), false);
    expect(Array.from(screen.pixels.subarray(0, 4))).toEqual([0, 0, 0, 255]);
    expect(Array.from(screen.memoryPixels)).toEqual(uncovered);
    screen.show(frame(-1, memory), true);
    expect(Array.from(screen.memoryPixels.subarray(0, 8))).toEqual([0, 0, 0, 255, 0, 0, 0, 255]);
    screen.dispose();
  });

  it('with a display scale, shows the display frame in place of the model frame, both halves when split, and captures the truth at both sizes', () => {
    const { renderer, canvas } = fakeRenderer();
    const scene = new Scene();
    const screen = new WorldScreen({ renderer, scene, camera: new PerspectiveCamera(60, W / H, 0.1, 50), width: W, height: H, displayScale: 2, filter: 'bilinear' });
    const displayed = { ...frame(1), display: new Float32Array(3 * W * H * 4).fill(-1) } as RunnerFrame;
    screen.show(displayed, false);
    expect(screen.displayPixels!.length).toBe(4 * W * H * 4);
    expect(Array.from(screen.displayPixels!.subarray(0, 4))).toEqual([0, 0, 0, 255]);
    screen.draw(settings(), pose(0), pose(0), []);
    expect(screen.shownDisplay).toEqual({ path: 'learned', width: 2 * W, height: 2 * H });
    expect(screen.stale(settings())).toBe(false);
    expect(screen.stale(settings({ displaySplit: true }))).toBe(true);
    screen.draw(settings({ displaySplit: true }), pose(0), pose(0), []);
    expect(screen.shownDisplay.path).toBe('split');
    // Stepped down: no display frame, the model's frame stretched.
    screen.show(frame(1), false);
    screen.draw(settings(), pose(0), pose(0), []);
    expect(screen.shownDisplay).toEqual({ path: 'bicubic', width: W, height: H });
    expect(screen.displayPixels).toBeNull();
    // One render at display size (× supersample 2): the renderer reads back white at 16 × 8.
    const out = new Float32Array(3 * W * H);
    const display = new Uint8Array(3 * W * H * 4);
    screen.captureDisplayTruth(pose(1), [], out, display);
    expect(Array.from(out)).toEqual(new Array(3 * W * H).fill(1));
    expect(display.every((v) => v === 255)).toBe(true);
    expect(canvas.width).toBe(200);
    screen.dispose();
  });

  it('frees the compositor and the truth capture on dispose', () => {
    const { screen } = makeScreen();
    screen.dispose();
    expect(() => screen.show(frame(0), false)).toThrow(NextframeError);
    expect(() => screen.captureTruth(pose(0), [], new Float32Array(3 * W * H))).toThrow(/after dispose/);
  });
});
