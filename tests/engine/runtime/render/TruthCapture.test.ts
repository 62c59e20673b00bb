import { type Camera, Mesh, Object3D, PerspectiveCamera, Scene, SRGBColorSpace, type WebGLRenderer, WebGLRenderTarget } from 'three';
import { describe, expect, it } from 'vitest';
import { TruthCapture } from '../../../../engine/runtime/render/TruthCapture.ts';

// Drawing needs WebGL (tests/e2e/plugin.spec.ts captures real frames in Chromium). In Node a
// stand-in renderer plays WebGL's part: it records what it was asked and hands back a read-back
// written out by hand, so what is checked here is TruthCapture's own work: its render target,
// hiding overlays while it renders, putting the renderer back, and turning the read-back into
// the model's frame.

/** A stand-in for WebGLRenderer: the calls TruthCapture makes, recorded; `pixels` is what a read-back returns. */
class FakeRenderer {
  target: WebGLRenderTarget | null = null;
  /** Every render target TruthCapture set. */
  readonly targets: WebGLRenderTarget[] = [];
  readonly log: string[] = [];
  /** Visibility of the watched objects at the moment `render` ran. */
  visibleAtRender: boolean[] = [];
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
  clear(): void {
    this.log.push('clear');
  }
  render(scene: Scene, camera: Camera): void {
    this.log.push('render');
    this.rendered = { scene, camera };
    this.visibleAtRender = this.watched.map((o) => o.visible);
    const until = performance.now() + this.renderMs;
    while (performance.now() < until); // a slow draw
    if (this.failRender) throw new Error('context lost');
  }
  readRenderTargetPixels(target: WebGLRenderTarget, x: number, y: number, width: number, height: number, buffer: Uint8Array): void {
    this.log.push(`read(${x}, ${y}, ${width}×${height})`);
    expect(target).toBe(this.target);
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

describe('TruthCapture (CPU side, with a stand-in renderer)', () => {
  it('renders into its own target at supersample × the size and returns the read-back as a CHW frame, top row first, box-filtered', () => {
    const renderer = new FakeRenderer(READBACK_4x4);
    const capture = new TruthCapture({ renderer: asRenderer(renderer), width: 2, height: 2 }); // supersample 2 by default
    const scene = new Scene();
    const camera = new PerspectiveCamera();
    const frame = capture.capture(scene, camera);
    expect(renderer.rendered).toEqual({ scene, camera });
    expect(renderer.log).toEqual(['setRenderTarget(4×4)', 'clear', 'render', 'read(0, 0, 4×4)', 'setRenderTarget(screen)']);
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
      expect(renderer.log[3]).toBe(`read(0, 0, ${side}×${side})`);
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
    expect(renderer.log.at(-1)).toBe('setRenderTarget(7×5)');
    capture.dispose();
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

  it('keeps sRGB bytes like the recorder, frees its render target on dispose, and refuses use after it', () => {
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
    expect(() => capture.capture(new Scene(), new PerspectiveCamera())).toThrow(/^TruthCapture: capture\(\) called after dispose/);
  });
});
