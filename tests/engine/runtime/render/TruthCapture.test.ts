import { type Camera, Color, Mesh, Object3D, PerspectiveCamera, Scene, SRGBColorSpace, type WebGLRenderer, WebGLRenderTarget } from 'three';
import { describe, expect, it } from 'vitest';
import { TruthCapture } from '../../../../engine/runtime/render/TruthCapture.ts';

// Drawing needs WebGL (tests/e2e/plugin.spec.ts captures real frames in Chromium). In Node a
// stand-in renderer plays WebGL's part: it records what it was asked and hands back a read-back
// written out by hand, so what is checked here is TruthCapture's own work: its render target,
// the clear it draws over, hiding overlays while it renders, putting a borrowed renderer back as
// it was, and turning the read-back into the bytes of a training frame and the model's frame.
// Its own renderer (the recorder's and the sandbox's) needs a browser: tests/e2e/recorder.spec.ts.

/** A stand-in for WebGLRenderer: the calls TruthCapture makes, recorded; `pixels` is what a read-back returns. */
class FakeRenderer {
  target: WebGLRenderTarget | null = null;
  /** Every render target TruthCapture set. */
  readonly targets: WebGLRenderTarget[] = [];
  readonly log: string[] = [];
  /** Visibility of the watched objects at the moment `render` ran. */
  visibleAtRender: boolean[] = [];
  /** What the renderer would clear to at the moment `render` ran. */
  clearAtRender: { autoClear: boolean[]; color: number; alpha: number } | null = null;
  autoClear = true;
  autoClearColor = true;
  autoClearDepth = true;
  autoClearStencil = true;
  readonly clearColor = new Color(0x000000);
  clearAlpha = 1;
  rendered: { scene: Scene; camera: Camera } | null = null;
  /** Milliseconds `render` keeps busy (to check `lastMs` covers it). */
  renderMs = 0;
  failRender = false;

  constructor(
    private readonly pixels: Uint8Array,
    private readonly watched: readonly Object3D[] = [],
  ) {}

  getRenderTarget(): WebGLRenderTarget | null {
    return this.target;
  }
  setRenderTarget(target: WebGLRenderTarget | null): void {
    this.log.push(target === null ? 'setRenderTarget(screen)' : `setRenderTarget(${target.width}×${target.height})`);
    if (target) this.targets.push(target);
    this.target = target;
  }
  getClearColor(target: Color): Color {
    return target.copy(this.clearColor);
  }
  getClearAlpha(): number {
    return this.clearAlpha;
  }
  setClearColor(color: Color | number, alpha = 1): void {
    this.clearColor.set(color);
    this.clearAlpha = alpha;
  }
  getContext(): { flush(): void } {
    return { flush: () => this.log.push('flush') };
  }
  render(scene: Scene, camera: Camera): void {
    this.log.push('render');
    this.rendered = { scene, camera };
    this.visibleAtRender = this.watched.map((o) => o.visible);
    this.clearAtRender = { autoClear: [this.autoClear, this.autoClearColor, this.autoClearDepth, this.autoClearStencil], color: this.clearColor.getHex(), alpha: this.clearAlpha };
    const until = performance.now() + this.renderMs;
    while (performance.now() < until); // a slow draw
    if (this.failRender) throw new Error('context lost');
  }
  dispose(): void {
    this.log.push('dispose');
  }
  readRenderTargetPixels(target: WebGLRenderTarget, x: number, y: number, width: number, height: number, buffer: Uint8Array): void {
    this.log.push(`read(${x}, ${y}, ${width}×${height})`);
    expect(target).toBe(this.targets[0]); // the target it drew into (set first), whatever is bound now
    buffer.set(this.pixels);
  }
}

const asRenderer = (fake: FakeRenderer): WebGLRenderer => fake as unknown as WebGLRenderer;

// RGBA bytes of one read-back pixel.
const R = [255, 0, 0, 255];
const G = [0, 255, 0, 255];
const B = [0, 0, 255, 255];
const W = [255, 255, 255, 255];
const K = [0, 0, 0, 255];

/**
 * A 2 × 2 model frame rendered at 2× (4 × 4), as WebGL reads it back: the bottom row first.
 * The picture, top row first: red, green / blue, and a block of two white and two black pixels.
 */
const READBACK_4x4 = Uint8Array.from([
  ...[B, B, W, K], // bottom row
  ...[B, B, K, W],
  ...[R, R, G, G],
  ...[R, R, G, G], // top row
].flat());
const grey = 128 / 127.5 - 1; // (2 · 255 + 2 · 0) / 4 = 127.5, stored as the byte 128, as the recorder rounds
/** The same picture as training-frame bytes: HWC RGB, top row first. */
const BYTES_2x2 = [...[255, 0, 0], ...[0, 255, 0], ...[0, 0, 255], ...[128, 128, 128]];

describe('TruthCapture (CPU side, with a stand-in renderer)', () => {
  it('renders into its own target at supersample × the size and returns the read-back as a CHW frame, top row first, box-filtered', () => {
    const renderer = new FakeRenderer(READBACK_4x4);
    const capture = new TruthCapture({ renderer: asRenderer(renderer), width: 2, height: 2 }); // supersample 2 by default
    const scene = new Scene();
    const camera = new PerspectiveCamera();
    const frame = capture.capture(scene, camera);
    expect(renderer.rendered).toEqual({ scene, camera });
    // Drawn, handed to the GPU, the renderer's target put back, then read from its own target.
    expect(renderer.log).toEqual(['setRenderTarget(4×4)', 'render', 'flush', 'setRenderTarget(screen)', 'read(0, 0, 4×4)']);
    // Pixels top-left, top-right, bottom-left, bottom-right, one channel after another.
    expect(Array.from(frame)).toEqual([
      ...[1, -1, -1, grey], // R
      ...[-1, 1, -1, grey], // G
      ...[-1, -1, 1, grey], // B
    ].map(Math.fround));
    capture.dispose();
  });

  it('writes into the frame it is given, and says what size it wants otherwise', () => {
    const capture = new TruthCapture({ renderer: asRenderer(new FakeRenderer(READBACK_4x4)), width: 2, height: 2 });
    const out = new Float32Array(12).fill(7);
    expect(capture.capture(new Scene(), new PerspectiveCamera(), [], out)).toBe(out);
    expect(out[0]).toBe(1);
    expect(() => capture.capture(new Scene(), new PerspectiveCamera(), [], new Float32Array(16))).toThrow(/^TruthCapture: output must hold 12 values, found 16\./);
    capture.dispose();
  });

  it('renders at the supersampling asked for, rounded to a whole factor of at least 1', () => {
    for (const [supersample, side] of [[1, 2], [3, 6], [2.6, 6], [0, 2], [-4, 2]] as const) {
      const renderer = new FakeRenderer(new Uint8Array(4 * side * side));
      const capture = new TruthCapture({ renderer: asRenderer(renderer), width: 2, height: 2, supersample });
      capture.capture(new Scene(), new PerspectiveCamera());
      expect(renderer.log[0], `supersample ${supersample}`).toBe(`setRenderTarget(${side}×${side})`);
      expect(renderer.log[4]).toBe(`read(0, 0, ${side}×${side})`);
      expect(capture.supersample).toBe(side / 2);
      capture.dispose();
    }
  });

  it('hides the overlays only while it renders, and puts back the render target it found', () => {
    const ball = new Mesh();
    const crate = new Mesh();
    const hiddenAlready = new Object3D();
    hiddenAlready.visible = false;
    const scene = new Scene().add(ball, crate, hiddenAlready);
    const renderer = new FakeRenderer(READBACK_4x4, [ball, crate, hiddenAlready]);
    const screenTarget = new WebGLRenderTarget(7, 5);
    renderer.target = screenTarget;
    const capture = new TruthCapture({ renderer: asRenderer(renderer), width: 2, height: 2 });
    capture.capture(scene, new PerspectiveCamera(), [ball, hiddenAlready]);
    expect(renderer.visibleAtRender).toEqual([false, true, false]); // the ball hidden, the crate not asked for
    expect([ball.visible, crate.visible, hiddenAlready.visible]).toEqual([true, true, false]); // each as it was
    expect(renderer.target).toBe(screenTarget);
    expect(renderer.log.slice(-2)).toEqual(['setRenderTarget(7×5)', 'read(0, 0, 4×4)']);
    capture.dispose();
  });

  it("clears every buffer to opaque black as the recorder's renderer does, and leaves a game's clear settings as they were", () => {
    const renderer = new FakeRenderer(READBACK_4x4);
    Object.assign(renderer, { autoClear: false, autoClearColor: false, autoClearDepth: true, autoClearStencil: false });
    renderer.setClearColor(0x0b0d12, 0.5);
    const capture = new TruthCapture({ renderer: asRenderer(renderer), width: 2, height: 2 });
    capture.capture(new Scene(), new PerspectiveCamera());
    expect(renderer.clearAtRender).toEqual({ autoClear: [true, true, true, true], color: 0x000000, alpha: 1 });
    expect([renderer.autoClear, renderer.autoClearColor, renderer.autoClearDepth, renderer.autoClearStencil]).toEqual([false, false, true, false]);
    expect([renderer.clearColor.getHex(), renderer.clearAlpha]).toEqual([0x0b0d12, 0.5]);
    capture.dispose();
  });

  it('gives the bytes of a training frame (HWC RGB, top row first), drawn and read in one call or apart', () => {
    const renderer = new FakeRenderer(READBACK_4x4);
    const capture = new TruthCapture({ renderer: asRenderer(renderer), width: 2, height: 2 });
    const scene = new Scene();
    expect(Array.from(capture.captureBytes(scene))).toEqual(BYTES_2x2);
    expect(renderer.rendered!.camera).toBe(capture.camera); // the model's camera by default
    // Apart: other work may run between the draw and the read (the recorder casts depth rays).
    const out = new Uint8Array(12);
    capture.draw(scene);
    expect(renderer.log.at(-1)).toBe('setRenderTarget(screen)');
    expect(capture.read(out)).toBe(out);
    expect(Array.from(out)).toEqual(BYTES_2x2);
    expect(() => capture.read(new Uint8Array(16))).toThrow(/^TruthCapture: output must hold 12 bytes \(2×2×3\), found 16\./);
    expect(() => capture.captureBytes(scene, capture.camera, [], new Uint8Array(3))).toThrow(/^TruthCapture: output must hold 12 bytes/);
    capture.dispose();
  });

  it('with displayScale, one render at display × supersample gives the display frame and the model frame averaged down from it', () => {
    const renderer = new FakeRenderer(READBACK_4x4);
    // A 1 × 1 model frame shown at 2 × 2: drawn at 4 × 4 (supersample 2).
    const capture = new TruthCapture({ renderer: asRenderer(renderer), width: 1, height: 1, displayScale: 2 });
    expect(capture.displaySize).toEqual({ width: 2, height: 2 });
    expect(() => capture.readDisplay()).toThrow(expect.objectContaining({ code: 'not-ready' }));
    const frame = capture.capture(new Scene(), new PerspectiveCamera());
    expect(renderer.log).toEqual(['setRenderTarget(4×4)', 'render', 'flush', 'setRenderTarget(screen)', 'read(0, 0, 4×4)']);
    expect(Array.from(capture.readDisplay())).toEqual(BYTES_2x2);
    // (255 + 0 + 0 + 128) / 4 = 95.75 in every channel, rounded as the recorder's boxDownsampleRgb does.
    expect(Array.from(frame)).toEqual([96, 96, 96].map((v) => Math.fround(v / 127.5 - 1)));
    expect(() => capture.readDisplay(new Uint8Array(3))).toThrow(/^TruthCapture: display output must hold 12 bytes \(2×2×3\), found 3\./);
    capture.dispose();
    const plain = new TruthCapture({ renderer: asRenderer(new FakeRenderer(READBACK_4x4)), width: 2, height: 2 });
    plain.capture(new Scene(), new PerspectiveCamera());
    expect(() => plain.readDisplay()).toThrow(/without display frames/);
    expect(() => new TruthCapture({ renderer: asRenderer(renderer), width: 2, height: 2, displayScale: 2.5 })).toThrow(/displayScale must be an integer/);
    plain.dispose();
  });

  it('refuses a read before anything was drawn', () => {
    const capture = new TruthCapture({ renderer: asRenderer(new FakeRenderer(READBACK_4x4)), width: 2, height: 2 });
    expect(() => capture.read()).toThrow(/^TruthCapture: read\(\) before any draw\(\); draw the view first\./);
    expect(() => capture.read()).toThrow(expect.objectContaining({ code: 'not-ready' }));
    capture.dispose();
  });

  it("has the model's camera: the given field of view and clip planes, aspect width / height, placed at a pose by yaw then pitch", () => {
    const capture = new TruthCapture({ renderer: asRenderer(new FakeRenderer(new Uint8Array(4 * 8 * 4))), width: 4, height: 2, camera: { fovYDegrees: 60, near: 0.1, far: 50 } });
    expect(capture.intrinsics).toEqual({ fovYDegrees: 60, aspect: 2, near: 0.1, far: 50 });
    const { camera } = capture;
    expect([camera.fov, camera.aspect, camera.near, camera.far, camera.rotation.order]).toEqual([60, 2, 0.1, 50, 'YXZ']);
    expect(capture.placeCamera({ x: 1, y: 1.6, z: -2, yaw: Math.PI / 2, pitch: 0.25 })).toBe(camera);
    expect(camera.position.toArray()).toEqual([1, 1.6, -2]);
    // Yawed a quarter turn left and pitched up: the camera (looking down −z at rest) looks along −x, up a little.
    const forward = camera.getWorldDirection(camera.position.clone());
    expect(forward.x).toBeCloseTo(-Math.cos(0.25), 6);
    expect(forward.y).toBeCloseTo(Math.sin(0.25), 6);
    expect(forward.z).toBeCloseTo(0, 6);
    // The default camera is the one every dataset uses: 70°, 0.05 to 60 m.
    const plain = new TruthCapture({ renderer: asRenderer(new FakeRenderer(new Uint8Array(0))), width: 2, height: 2 });
    expect(plain.intrinsics).toEqual({ fovYDegrees: 70, aspect: 1, near: 0.05, far: 60 });
    capture.dispose();
    plain.dispose();
  });

  it('says what size it wants when the size is not the model resolution it can render', () => {
    const renderer = asRenderer(new FakeRenderer(new Uint8Array(0)));
    for (const [width, height] of [[0, 2], [2, -1], [2.5, 2]] as const) {
      expect(() => new TruthCapture({ renderer, width, height })).toThrow(/^TruthCapture: width and height must be positive integers, found .*; pass the model's resolution\./);
    }
  });

  it('restores visibility and the render target when rendering throws', () => {
    const ball = new Mesh();
    const renderer = new FakeRenderer(READBACK_4x4, [ball]);
    renderer.failRender = true;
    const capture = new TruthCapture({ renderer: asRenderer(renderer), width: 2, height: 2 });
    expect(() => capture.capture(new Scene().add(ball), new PerspectiveCamera(), [ball])).toThrow('context lost');
    expect(renderer.visibleAtRender).toEqual([false]);
    expect(ball.visible).toBe(true);
    expect(renderer.target).toBeNull();
    expect([renderer.autoClear, renderer.clearColor.getHex(), renderer.clearAlpha]).toEqual([true, 0x000000, 1]);
    expect(() => capture.read()).toThrow(/before any draw/); // a failed draw is no draw
    capture.dispose();
  });

  it('times a capture: the render and the read-back, within the call', () => {
    const renderer = new FakeRenderer(READBACK_4x4);
    renderer.renderMs = 2;
    const capture = new TruthCapture({ renderer: asRenderer(renderer), width: 2, height: 2 });
    expect(capture.lastMs).toBe(0);
    const before = performance.now();
    capture.capture(new Scene(), new PerspectiveCamera());
    const wall = performance.now() - before;
    expect(capture.lastMs).toBeGreaterThanOrEqual(2); // the draw alone kept it busy that long
    expect(capture.lastMs).toBeLessThanOrEqual(wall);
    capture.dispose();
  });

  it('keeps sRGB bytes like the recorder, frees its render target (not a borrowed renderer) on dispose, and refuses use after it', () => {
    const renderer = new FakeRenderer(READBACK_4x4);
    const capture = new TruthCapture({ renderer: asRenderer(renderer), width: 2, height: 2 });
    capture.capture(new Scene(), new PerspectiveCamera());
    const [target] = renderer.targets; // its own render target
    expect(target!.texture.colorSpace).toBe(SRGBColorSpace);
    let disposed = 0;
    target!.addEventListener('dispose', () => disposed++);
    expect(capture.isDisposed).toBe(false);
    capture.dispose();
    capture.dispose(); // twice is harmless
    expect(capture.isDisposed).toBe(true);
    expect(disposed).toBe(1);
    expect(renderer.log).not.toContain('dispose'); // the renderer is the game's
    expect(() => capture.capture(new Scene(), new PerspectiveCamera())).toThrow(/^TruthCapture: capture\(\) called after dispose/);
    expect(() => capture.draw(new Scene())).toThrow(/^TruthCapture: draw\(\) called after dispose/);
    expect(() => capture.read()).toThrow(/^TruthCapture: read\(\) called after dispose/);
    expect(() => capture.read()).toThrow(expect.objectContaining({ code: 'disposed' }));
  });
});
