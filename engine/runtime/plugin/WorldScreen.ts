import { Frustum, Matrix4, type Object3D, type PerspectiveCamera, type Scene, type WebGLRenderer } from 'three';
import type { Pose } from '../../../worldmodel/index.ts';
import type { Fit, ViewMode } from '../render/layoutViews.ts';
import { placeCamera } from '../render/modelCamera.ts';
import { TruthCapture } from '../render/TruthCapture.ts';
import { WorldCompositor, type DisplayPath } from '../render/WorldCompositor.ts';
import type { RunnerFrame } from './ModelRunner.ts';
import type { OverlaySet } from './OverlaySet.ts';

const _projScreen = new Matrix4();
const _frustum = new Frustum();

export interface WorldScreenOptions {
  renderer: WebGLRenderer;
  scene: Scene;
  /** The player's camera: placed at the pose of every draw and ground-truth capture. */
  camera: PerspectiveCamera;
  /** The model's frame size, px. */
  width: number;
  height: number;
  /** Upscaling of the world frame. Default `bicubic`. */
  filter?: 'bicubic' | 'bilinear';
  /** Display frames are this many times the model's frame per side (a display upsampler's scale); default 1: none. */
  displayScale?: number;
  /** Called with the placed camera before every draw and ground-truth capture. */
  onBeforeRender?: ((camera: PerspectiveCamera) => void) | undefined;
}

/** What the screen is asked to show (`WorldModelPlugin` is one: read at each draw, nothing copied). */
export interface ScreenSettings {
  readonly view: ViewMode;
  readonly fit: Fit;
  /** Overlays drawn over the world frame. */
  readonly overlaysVisible: boolean;
  /** `changes`: draw only when the screen would change; `always`: every update draws. */
  readonly redraw: 'changes' | 'always';
  /** The world view split: the bicubic stretch of the model's frame on the left, the display frame on the right. */
  readonly displaySplit: boolean;
}

/**
 * The plug-in's drawing: the world frame shown (its pixels, proxy depth and memory stream, in the
 * compositor), drawn with the overlays on top from a pose; the ground-truth view at a pose; and
 * what the last draw showed, so an update draws again only when the screen would change. Owns the
 * compositor's and the ground-truth capture's GPU resources: `dispose()`.
 */
export class WorldScreen {
  private readonly renderer: WebGLRenderer;
  private readonly scene: Scene;
  private readonly camera: PerspectiveCamera;
  private readonly onBeforeRender: ((camera: PerspectiveCamera) => void) | undefined;
  private readonly compositor: WorldCompositor;
  private readonly truth: TruthCapture;
  /** The ground truth at display size (and the model's, from the same render), made when first asked for. */
  private displayTruth: TruthCapture | null = null;
  private readonly displayScale: number;
  private readonly width: number;
  private readonly height: number;
  /** What the last draw showed, to tell whether the next update must draw again. */
  private readonly drawn = { frame: -1, view: '', fit: '', overlays: false, split: false, width: 0, height: 0 };
  private frameVersion = 0;

  constructor(options: WorldScreenOptions) {
    const { renderer, width, height } = options;
    this.renderer = renderer;
    this.scene = options.scene;
    this.camera = options.camera;
    this.onBeforeRender = options.onBeforeRender;
    this.width = width;
    this.height = height;
    const s = (this.displayScale = options.displayScale ?? 1);
    const display = s > 1 ? { display: { width: width * s, height: height * s } } : {};
    this.compositor = new WorldCompositor({ renderer, width, height, ...display, ...(options.filter ? { filter: options.filter } : {}) });
    this.truth = new TruthCapture({ renderer, width, height });
  }

  /** A new world frame to show: its pixels, its proxy depth, its display frame and, with `memory`, its memory stream. */
  show(frame: Readonly<RunnerFrame>, memory: boolean): void {
    this.frameVersion++;
    this.compositor.setFrame(frame.frame);
    this.compositor.setDepth(frame.depth);
    if (this.displayScale > 1) this.compositor.setDisplay(frame.display);
    if (memory) this.compositor.setMemory(frame.memory);
  }

  /**
   * Draw what `settings` ask, `proxies` hidden under the overlays. The painted frame shows the pose
   * it was made for (`shownPose`); overlays are drawn from that same pose so they line up with it.
   * The ground-truth view alone follows the player's live pose.
   */
  draw(settings: ScreenSettings, livePose: Readonly<Pose>, shownPose: Readonly<Pose>, proxies: readonly Object3D[]): void {
    this.placeCamera(settings.view === 'truth' ? livePose : shownPose);
    this.compositor.render({ scene: this.scene, camera: this.camera, proxies, mode: settings.view, fit: settings.fit, overlays: settings.overlaysVisible, split: settings.displaySplit });
    const d = this.drawn;
    d.frame = this.frameVersion;
    d.view = settings.view;
    d.fit = settings.fit;
    d.overlays = settings.overlaysVisible;
    d.split = settings.displaySplit;
    d.width = this.renderer.domElement.width;
    d.height = this.renderer.domElement.height;
  }

  /**
   * Move the overlays to their bodies and say whether this update must draw: always with
   * `redraw: 'always'`, else when an overlay moved in view (ones asleep or out of view do not
   * count) or the screen is `stale`.
   */
  needsDraw(settings: ScreenSettings, overlays: OverlaySet): boolean {
    _projScreen.multiplyMatrices(this.camera.projectionMatrix, this.camera.matrixWorldInverse);
    _frustum.setFromProjectionMatrix(_projScreen);
    const moving = overlays.sync(_frustum);
    return settings.redraw === 'always' || moving || this.stale(settings);
  }

  /** Whether the screen no longer shows the current state (the views with ground truth follow the live pose: always). */
  stale(settings: ScreenSettings): boolean {
    const d = this.drawn;
    const canvas = this.renderer.domElement;
    const { view } = settings;
    return d.frame !== this.frameVersion || d.view !== view || d.fit !== settings.fit || d.overlays !== settings.overlaysVisible || d.split !== settings.displaySplit || d.width !== canvas.width || d.height !== canvas.height || view === 'truth' || view === 'split';
  }

  /** The ground-truth view at `pose` with `hide` hidden, CHW in [−1, 1], into `out`. */
  captureTruth(pose: Readonly<Pose>, hide: readonly Object3D[], out: Float32Array): Float32Array {
    this.placeCamera(pose);
    return this.truth.capture(this.scene, this.camera, hide, out);
  }

  /**
   * The ground-truth view at `pose` at display size as well, from one render (display size ×
   * supersample): the model frame (CHW in [−1, 1]) into `out`, the display frame (HWC RGB bytes) into
   * `display`. Only with a `displayScale`.
   */
  captureDisplayTruth(pose: Readonly<Pose>, hide: readonly Object3D[], out: Float32Array, display: Uint8Array): Float32Array {
    this.placeCamera(pose);
    // Its render target is display size × supersample: made only for a model that shows display frames.
    this.displayTruth ??= new TruthCapture({ renderer: this.renderer, width: this.width, height: this.height, displayScale: this.displayScale });
    this.displayTruth.capture(this.scene, this.camera, hide, out);
    this.displayTruth.readDisplay(display);
    return out;
  }

  /** The RGBA bytes of the world frame shown (row 0 at the top). */
  get pixels(): Uint8ClampedArray {
    return this.compositor.pixels;
  }

  /** The RGBA bytes of the display frame shown (display size, row 0 at the top), or null while the bicubic stretch shows. */
  get displayPixels(): Uint8ClampedArray | null {
    return this.compositor.displayPixels;
  }

  /** What the last draw's world view showed and the size of the frame texture behind it (`WorldCompositor.drawn`). */
  get shownDisplay(): { path: DisplayPath; width: number; height: number } {
    return this.compositor.drawn;
  }

  /** The RGBA bytes the `memory` view shows (row 0 at the top). */
  get memoryPixels(): Uint8ClampedArray {
    return this.compositor.memoryPixels;
  }

  dispose(): void {
    this.compositor.dispose();
    this.truth.dispose();
    this.displayTruth?.dispose();
  }

  private placeCamera(pose: Readonly<Pose>): void {
    placeCamera(this.camera, pose);
    this.onBeforeRender?.(this.camera);
  }
}
