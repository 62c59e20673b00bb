import { type Camera, Color, type Object3D, PCFShadowMap, PerspectiveCamera, type Scene, SRGBColorSpace, WebGLRenderer, WebGLRenderTarget } from 'three';
import { NextframeError, rgbToFrame } from '../../../worldmodel/index.ts';
import { boxDownsampleRgb } from '../../../worldmodel/dataset/boxDownsample.ts';
import { DEFAULT_CAMERA } from '../../../worldmodel/dataset/actionLayout.ts';
import type { CameraIntrinsics } from '../../../worldmodel/geometry/PinholeCamera.ts';
import type { Pose } from '../../../worldmodel/geometry/Pose.ts';
import { downsampleReadback } from './downsampleReadback.ts';
import { placeCamera } from './modelCamera.ts';

export interface TruthCaptureOptions {
  /**
   * A renderer to draw with, borrowed (a game's). Its shadow settings apply: ground truth equals
   * training frames when they are those of the recorder's (PCF shadows on). Default: a renderer of
   * its own, set up as training frames are drawn (no MSAA, PCF shadows, the shadow map drawn by
   * the first capture only: recorded worlds are static), owned and disposed with this capture.
   */
  renderer?: WebGLRenderer;
  /** Canvas for the renderer of its own; default: a new detached canvas. Unused with `renderer`. */
  canvas?: HTMLCanvasElement | OffscreenCanvas;
  /** The world model's frame size, pixels. */
  width: number;
  height: number;
  /** The model's camera (`camera`, `placeCamera`); aspect is width / height. Default: 70° vertical FOV, near 0.05, far 60. */
  camera?: Omit<CameraIntrinsics, 'aspect'>;
  /** Render at this multiple of the size and box-filter down (anti-aliasing). Default 2. */
  supersample?: number;
  /**
   * Also make the view at display size, this many times the model's per side (an integer 1–16;
   * default 1: none). One render serves both, as the recorder's `--display` does: the scene is
   * drawn at display size × `supersample`, box-filtered to the display frame (`readDisplay`), and
   * the model frame is that display frame averaged down by `displayScale`.
   */
  displayScale?: number;
}

const _clearColor = new Color();

/**
 * The one ground-truth render: the Three.js scene drawn off-screen through the model's camera at
 * the model's resolution × `supersample` into an sRGB render target, read back and box-filtered
 * down to HWC RGB bytes, row 0 at the top (with `displayScale`, drawn at display size and read as
 * the display frame too, the model frame averaged down from it). The recorder stores these bytes as training frames;
 * the sandbox's ground truth and the plug-in's truth frames (`capture`: CHW float32 in [−1, 1],
 * the model's first K context frames) are made by this same code, so evaluation and play start
 * from exactly what the model learned. Each draw clears to opaque black and leaves a borrowed
 * renderer's target and clear settings as it found them. Owns a render target (and its own
 * renderer unless given one): `dispose()`.
 */
export class TruthCapture {
  readonly width: number;
  readonly height: number;
  readonly supersample: number;
  /** Display frames are this many times the model's size per side (1: none). */
  readonly displayScale: number;
  readonly renderer: WebGLRenderer;
  /** The model's camera: aspect width / height, Euler order YXZ (yaw, then pitch, no roll). */
  readonly camera: PerspectiveCamera;
  readonly intrinsics: CameraIntrinsics;
  /** Milliseconds the last `capture`/`captureBytes` took (render and read-back). */
  lastMs = 0;
  private readonly ownsRenderer: boolean;
  private readonly target: WebGLRenderTarget;
  private readonly readback: Uint8Array;
  private readonly rgb: Uint8Array;
  /** The last read's display frame (HWC RGB, display size), with `displayScale` > 1. */
  private readonly displayRgb: Uint8Array | null;
  private readonly visible: boolean[] = [];
  private drawn = false;
  /** `read` has filled `displayRgb` since the last `draw`. */
  private displayRead = false;
  private disposed = false;

  constructor(options: TruthCaptureOptions) {
    const { width, height } = options;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new NextframeError('bad-options', `TruthCapture: width and height must be positive integers, found ${width} × ${height}; pass the model's resolution.`);
    }
    this.width = width;
    this.height = height;
    const s = (this.supersample = Math.max(1, Math.round(options.supersample ?? 2)));
    const f = (this.displayScale = options.displayScale ?? 1);
    if (!Number.isInteger(f) || f < 1 || f > 16) {
      throw new NextframeError('bad-options', `TruthCapture: displayScale must be an integer from 1 (no display frame) to 16, found ${f}; pass the display upsampler's scale.`);
    }
    const cam = options.camera ?? DEFAULT_CAMERA;
    this.intrinsics = { fovYDegrees: cam.fovYDegrees, aspect: width / height, near: cam.near, far: cam.far };
    this.camera = new PerspectiveCamera(cam.fovYDegrees, this.intrinsics.aspect, cam.near, cam.far);
    this.camera.rotation.order = 'YXZ';

    this.ownsRenderer = options.renderer === undefined;
    this.renderer = options.renderer ?? ownRenderer(options.canvas ?? document.createElement('canvas'));
    this.target = new WebGLRenderTarget(width * f * s, height * f * s, { depthBuffer: true });
    // An sRGB target stores sRGB bytes (the GPU encodes on write): what training frames hold.
    this.target.texture.colorSpace = SRGBColorSpace;
    this.readback = new Uint8Array(4 * width * f * s * height * f * s);
    this.rgb = new Uint8Array(3 * width * height);
    this.displayRgb = f > 1 ? new Uint8Array(3 * width * f * height * f) : null;
  }

  /** The display frame's size: the model's × `displayScale` per side. */
  get displaySize(): { width: number; height: number } {
    return { width: this.width * this.displayScale, height: this.height * this.displayScale };
  }

  /** Put the model's camera at `pose` (eye position, yaw, pitch) and return it. */
  placeCamera(pose: Readonly<Pose>): PerspectiveCamera {
    placeCamera(this.camera, pose);
    return this.camera;
  }

  /**
   * Draw `scene` through `camera` (default: the model's camera) with the objects in `hide` hidden,
   * and set the GPU to work without waiting for it: the caller may do other work (cast depth rays)
   * before `read` waits for the pixels.
   */
  draw(scene: Scene, camera: Camera = this.camera, hide: readonly Object3D[] = []): void {
    this.assertLive('draw');
    const { renderer } = this;
    const previous = renderer.getRenderTarget();
    const { autoClear, autoClearColor, autoClearDepth, autoClearStencil } = renderer;
    renderer.getClearColor(_clearColor);
    const clearAlpha = renderer.getClearAlpha();
    const visible = this.visible;
    visible.length = 0;
    for (const object of hide) {
      visible.push(object.visible);
      object.visible = false;
    }
    try {
      // Every buffer cleared, to opaque black where the scene has no background: as the recorder's renderer does.
      renderer.autoClear = renderer.autoClearColor = renderer.autoClearDepth = renderer.autoClearStencil = true;
      renderer.setClearColor(0x000000, 1);
      renderer.setRenderTarget(this.target);
      renderer.render(scene, camera);
      renderer.getContext().flush();
      this.drawn = true;
      this.displayRead = false;
    } finally {
      hide.forEach((object, i) => (object.visible = visible[i]!));
      renderer.setRenderTarget(previous);
      renderer.setClearColor(_clearColor, clearAlpha);
      Object.assign(renderer, { autoClear, autoClearColor, autoClearDepth, autoClearStencil });
    }
  }

  /**
   * The last `draw`'s pixels: HWC RGB bytes, row 0 at the top, into `out`. Waits for the GPU. With
   * `displayScale` > 1 the display frame is read too (`readDisplay` then gives it without waiting).
   */
  read(out: Uint8Array = new Uint8Array(3 * this.width * this.height)): Uint8Array {
    this.assertLive('read');
    if (!this.drawn) throw new NextframeError('not-ready', 'TruthCapture: read() before any draw(); draw the view first.');
    const { width: W, height: H, supersample: s, displayScale: f, displayRgb } = this;
    if (out.length !== 3 * W * H) throw new NextframeError('bad-frame', `TruthCapture: output must hold ${3 * W * H} bytes (${H}×${W}×3), found ${out.length}.`);
    this.renderer.readRenderTargetPixels(this.target, 0, 0, W * f * s, H * f * s, this.readback);
    if (!displayRgb) return downsampleReadback(this.readback, W, H, s, out);
    downsampleReadback(this.readback, W * f, H * f, s, displayRgb);
    this.displayRead = true;
    return boxDownsampleRgb(displayRgb, W, H, f, out);
  }

  /**
   * The display frame of the last `read` (HWC RGB bytes at `displaySize`, row 0 at the top), into
   * `out`: the frame the model frame was averaged down from. Only with `displayScale` > 1.
   */
  readDisplay(out?: Uint8Array): Uint8Array {
    this.assertLive('readDisplay');
    const { displayRgb } = this;
    if (!displayRgb) throw new NextframeError('bad-options', 'TruthCapture: readDisplay() on a capture without display frames; construct it with { displayScale: 4 } for display frames 4× the model\'s size.');
    if (!this.displayRead) throw new NextframeError('not-ready', 'TruthCapture: readDisplay() before the view was drawn and read; capture it first (capture, captureBytes, or draw then read).');
    out ??= new Uint8Array(displayRgb.length);
    if (out.length !== displayRgb.length) {
      const { width, height } = this.displaySize;
      throw new NextframeError('bad-frame', `TruthCapture: display output must hold ${displayRgb.length} bytes (${height}×${width}×3), found ${out.length}.`);
    }
    out.set(displayRgb);
    return out;
  }

  /** `draw` then `read`: the view as HWC RGB bytes, row 0 at the top, as training frames are stored. */
  captureBytes(scene: Scene, camera: Camera = this.camera, hide: readonly Object3D[] = [], out: Uint8Array = new Uint8Array(3 * this.width * this.height)): Uint8Array {
    this.assertLive('captureBytes');
    if (out.length !== 3 * this.width * this.height) throw new NextframeError('bad-frame', `TruthCapture: output must hold ${3 * this.width * this.height} bytes (${this.height}×${this.width}×3), found ${out.length}.`);
    const started = performance.now();
    this.draw(scene, camera, hide);
    this.read(out);
    this.lastMs = performance.now() - started;
    return out;
  }

  /**
   * Render `scene` through `camera` with the objects in `hide` hidden and return the frame, CHW
   * float32 in [−1, 1] (into `out` when given), made from the very bytes `captureBytes` gives.
   */
  capture(scene: Scene, camera: Camera, hide: readonly Object3D[] = [], out: Float32Array = new Float32Array(3 * this.width * this.height)): Float32Array {
    this.assertLive('capture');
    if (out.length !== 3 * this.width * this.height) throw new NextframeError('bad-frame', `TruthCapture: output must hold ${3 * this.width * this.height} values, found ${out.length}.`);
    return rgbToFrame(this.captureBytes(scene, camera, hide, this.rgb), this.width, this.height, out);
  }

  /** The GPU the renderer draws on, as WebGL names it (e.g. "ANGLE (… SwiftShader …)"), or `unknown`. */
  get gpuName(): string {
    const gl = this.renderer.getContext();
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown';
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.target.dispose();
    if (this.ownsRenderer) this.renderer.dispose();
  }

  private assertLive(method: string): void {
    if (this.disposed) throw new NextframeError('disposed', `TruthCapture: ${method}() called after dispose(); create a new one.`);
  }
}

/** The renderer training frames are drawn with. */
function ownRenderer(canvas: HTMLCanvasElement | OffscreenCanvas): WebGLRenderer {
  const renderer = new WebGLRenderer({ canvas, antialias: false, alpha: false, powerPreference: 'high-performance' });
  renderer.shadowMap.enabled = true;
  renderer.shadowMap.type = PCFShadowMap;
  // Recorded worlds are static (overlays hidden or casting no shadow), so the shadow map is drawn
  // once, by the first capture.
  renderer.shadowMap.autoUpdate = false;
  renderer.shadowMap.needsUpdate = true;
  return renderer;
}
