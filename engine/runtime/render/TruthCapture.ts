import { rgbToFrame } from '../../../worldmodel/index.ts';
import { downsampleReadback } from './downsampleReadback.ts';
import { type Camera, type Object3D, type Scene, SRGBColorSpace, WebGLRenderTarget, type WebGLRenderer } from 'three';

export interface TruthCaptureOptions {
  renderer: WebGLRenderer;
  /** The world model's frame size, pixels. */
  width: number;
  height: number;
  /** Render at this multiple and box-filter down, as the recorder does for training data. Default 2. */
  supersample?: number;
}

/**
 * Ground truth at the model's resolution: the Three.js scene rendered off-screen through the
 * model's camera (overlay objects hidden, as in the recorded training data), read back and
 * turned into a frame (CHW float32 in [−1, 1], row 0 at the top). The start of play needs it:
 * the model's first K context frames are the real view. Owns a render target: `dispose()`.
 */
export class TruthCapture {
  readonly width: number;
  readonly height: number;
  /** Milliseconds the last `capture` took (render and read-back). */
  lastMs = 0;
  private readonly renderer: WebGLRenderer;
  private readonly target: WebGLRenderTarget;
  private readonly supersample: number;
  private readonly readback: Uint8Array;
  private readonly rgb: Uint8Array;
  private readonly visible: boolean[] = [];
  private disposed = false;

  constructor(options: TruthCaptureOptions) {
    this.renderer = options.renderer;
    this.width = options.width;
    this.height = options.height;
    this.supersample = Math.max(1, Math.round(options.supersample ?? 2));
    const s = this.supersample;
    this.target = new WebGLRenderTarget(this.width * s, this.height * s, { depthBuffer: true });
    // sRGB bytes, like the recorder's frames (and so like the model's training data).
    this.target.texture.colorSpace = SRGBColorSpace;
    this.readback = new Uint8Array(4 * this.width * s * this.height * s);
    this.rgb = new Uint8Array(3 * this.width * this.height);
  }

  /**
   * Render `scene` through `camera` with the objects in `hide` hidden and return the frame
   * (into `out` when given).
   */
  capture(scene: Scene, camera: Camera, hide: readonly Object3D[] = [], out: Float32Array = new Float32Array(3 * this.width * this.height)): Float32Array {
    if (this.disposed) throw new Error('TruthCapture: capture() called after dispose(); create a new one.');
    if (out.length !== 3 * this.width * this.height) throw new Error(`TruthCapture: output must hold ${3 * this.width * this.height} values, found ${out.length}.`);
    const started = performance.now();
    const { renderer, target, supersample: s } = this;
    const previous = renderer.getRenderTarget();
    const visible = this.visible;
    visible.length = 0;
    for (const object of hide) {
      visible.push(object.visible);
      object.visible = false;
    }
    try {
      renderer.setRenderTarget(target);
      renderer.clear();
      renderer.render(scene, camera);
      renderer.readRenderTargetPixels(target, 0, 0, this.width * s, this.height * s, this.readback);
    } finally {
      hide.forEach((object, i) => (object.visible = visible[i]!));
      renderer.setRenderTarget(previous);
    }
    // Rounded to bytes first, exactly as the recorder stores training frames.
    rgbToFrame(downsampleReadback(this.readback, this.width, this.height, s, this.rgb), this.width, this.height, out);
    this.lastMs = performance.now() - started;
    return out;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.target.dispose();
  }
}
