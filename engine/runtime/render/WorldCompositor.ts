import {
  AlwaysDepth,
  ClampToEdgeWrapping,
  type Color,
  DataTexture,
  FloatType,
  LinearFilter,
  Mesh,
  NearestFilter,
  type Object3D,
  OrthographicCamera,
  type PerspectiveCamera,
  PlaneGeometry,
  RedFormat,
  RGBAFormat,
  Scene,
  ShaderMaterial,
  type Texture,
  UnsignedByteType,
  Vector2,
  Vector4,
  WebGLRenderTarget,
  type WebGLRenderer,
} from 'three';
import { frameToRGBA, NextframeError } from '../../../worldmodel/index.ts';
import { layoutViews, type Fit, type Rect, type ViewMode } from './layoutViews.ts';
import { memoryToRGBA } from './memoryImage.ts';
import { memoryFragmentShader, quadVertexShader, upscaleFragmentShader, worldFragmentShader } from './worldShader.ts';

export interface WorldCompositorOptions {
  renderer: WebGLRenderer;
  /** The world model's frame size, pixels. */
  width: number;
  height: number;
  /** Upscaling filter: `bicubic` (Catmull-Rom, default) or `bilinear`. */
  filter?: 'bicubic' | 'bilinear';
  /** Bicubic only: the frame is upscaled this many times, once per new frame, then stretched bilinearly. Default 4. */
  prescale?: number;
  /**
   * Size of the display frames (`setDisplay`: a display upsampler's, several times the model's
   * size), pixels; default none (only the model's frame is drawn).
   */
  display?: { width: number; height: number };
}

/** What to draw this frame. */
export interface CompositeRequest {
  scene: Scene;
  /** The model's camera at the pose of the frame shown. */
  camera: PerspectiveCamera;
  /** Objects the world model paints (hidden over the model's frame, shown in ground truth). */
  proxies: readonly Object3D[];
  /** Default `model`. */
  mode?: ViewMode;
  /** Default `contain`. */
  fit?: Fit;
  /** Drawn in the model view (default true); off shows the bare world frame. */
  overlays?: boolean;
  /**
   * The world view split in two: the model's frame stretched bicubically on the left, the display
   * frame on the right, a thin white line between (to compare them). Default false.
   */
  split?: boolean;
}

/** How the world view was drawn: the display frame, the model's frame stretched bicubically, or both halves side by side. */
export type DisplayPath = 'learned' | 'bicubic' | 'split';

const _size = new Vector2();
const _viewport = new Vector4();
const _scissor = new Vector4();

/**
 * Draws a frame of the game: the world model's frame (model resolution) upscaled as the
 * background, or its display frame when one is set (`setDisplay`: a display upsampler's, several
 * times larger; `split` shows both halves), writing proxy depth into the depth buffer, then the
 * scene's overlay objects with the normal depth test, so physics objects hide behind painted
 * pillars and walls. Optionally
 * beside it the ground-truth Three.js render, or instead of it the memory view: the spatial-memory
 * stream the model was given (`setMemory`), uncovered pixels a magenta checkerboard. Owns its
 * textures (three, four with a display size), a quad and its materials: `dispose()`.
 */
export class WorldCompositor {
  readonly width: number;
  readonly height: number;
  private readonly renderer: WebGLRenderer;
  private readonly rgba: Uint8ClampedArray;
  private readonly depth: Float32Array;
  private readonly frameTexture: DataTexture;
  private readonly depthTexture: DataTexture;
  private readonly memoryRGBA: Uint8ClampedArray;
  private readonly memoryTexture: DataTexture;
  private readonly memoryMaterial: ShaderMaterial;
  /** The display frame as RGBA bytes (row 0 at the top), and its texture; null without a display size. */
  private readonly displayRGBA: Uint8ClampedArray | null;
  private readonly displayTexture: DataTexture | null;
  private hasDisplay = false;
  private drawnPath: DisplayPath = 'bicubic';
  private readonly material: ShaderMaterial;
  private readonly upscaleMaterial: ShaderMaterial | null;
  private readonly upscaled: WebGLRenderTarget | null;
  private readonly quad: Mesh;
  private readonly quadScene = new Scene();
  private readonly quadCamera = new OrthographicCamera(-1, 1, 1, -1, 0, 1);
  private upscaleDue = true;
  private disposed = false;

  constructor(options: WorldCompositorOptions) {
    const { renderer, width, height } = options;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new NextframeError('bad-options', `WorldCompositor: width and height must be positive integers, found ${width} × ${height}; pass the model's resolution.`);
    }
    this.renderer = renderer;
    this.width = width;
    this.height = height;
    this.rgba = new Uint8ClampedArray(4 * width * height);
    this.depth = new Float32Array(width * height).fill(1e6);
    this.frameTexture = new DataTexture(new Uint8Array(this.rgba.buffer), width, height, RGBAFormat, UnsignedByteType);
    this.frameTexture.magFilter = this.frameTexture.minFilter = LinearFilter;
    this.frameTexture.wrapS = this.frameTexture.wrapT = ClampToEdgeWrapping;
    this.frameTexture.generateMipmaps = false;
    // Nearest: interpolating depth across a silhouette would invent surfaces between near and far.
    this.depthTexture = new DataTexture(this.depth, width, height, RedFormat, FloatType);
    this.depthTexture.magFilter = this.depthTexture.minFilter = NearestFilter;
    this.depthTexture.generateMipmaps = false;
    this.frameTexture.needsUpdate = this.depthTexture.needsUpdate = true;
    // Nearest: the memory view shows the model's input pixel for pixel.
    this.memoryRGBA = memoryToRGBA(null, width, height);
    this.memoryTexture = new DataTexture(new Uint8Array(this.memoryRGBA.buffer), width, height, RGBAFormat, UnsignedByteType);
    this.memoryTexture.magFilter = this.memoryTexture.minFilter = NearestFilter;
    this.memoryTexture.wrapS = this.memoryTexture.wrapT = ClampToEdgeWrapping;
    this.memoryTexture.generateMipmaps = false;
    this.memoryTexture.needsUpdate = true;
    this.memoryMaterial = new ShaderMaterial({
      vertexShader: quadVertexShader,
      fragmentShader: memoryFragmentShader,
      uniforms: { memoryMap: { value: this.memoryTexture } },
      depthTest: false,
      depthWrite: false,
    });
    const display = options.display;
    if (display && (!Number.isInteger(display.width) || !Number.isInteger(display.height) || display.width < width || display.height < height)) {
      throw new NextframeError('bad-options', `WorldCompositor: display must be a size in whole pixels at least the model's ${width} × ${height}, found ${display.width} × ${display.height}; pass the display upsampler's frame size.`);
    }
    this.displayRGBA = display ? new Uint8ClampedArray(4 * display.width * display.height) : null;
    this.displayTexture = display ? new DataTexture(new Uint8Array(this.displayRGBA!.buffer), display.width, display.height, RGBAFormat, UnsignedByteType) : null;
    if (this.displayTexture) {
      this.displayTexture.magFilter = this.displayTexture.minFilter = LinearFilter;
      this.displayTexture.wrapS = this.displayTexture.wrapT = ClampToEdgeWrapping;
      this.displayTexture.generateMipmaps = false;
      this.displayTexture.needsUpdate = true;
    }
    const bicubic = (options.filter ?? 'bicubic') === 'bicubic';
    const prescale = Math.max(1, Math.round(options.prescale ?? 4));
    this.upscaled = bicubic ? new WebGLRenderTarget(width * prescale, height * prescale, { depthBuffer: false, magFilter: LinearFilter, minFilter: LinearFilter, generateMipmaps: false }) : null;
    this.upscaleMaterial = bicubic
      ? new ShaderMaterial({
          vertexShader: quadVertexShader,
          fragmentShader: upscaleFragmentShader,
          uniforms: { frameMap: { value: this.frameTexture }, frameSize: { value: new Vector2(width, height) } },
          depthTest: false,
          depthWrite: false,
        })
      : null;
    this.material = new ShaderMaterial({
      vertexShader: quadVertexShader,
      fragmentShader: worldFragmentShader,
      uniforms: {
        colorMap: { value: this.upscaled ? this.upscaled.texture : this.frameTexture },
        colorFlipped: { value: !this.upscaled }, // the upscaled copy is stored bottom-up, as GL draws it
        displayMap: { value: this.displayTexture ?? this.frameTexture },
        displayFlipped: { value: true },
        displayMode: { value: 0 },
        splitX: { value: 0.5 },
        splitHalfWidth: { value: 0 },
        depthMap: { value: this.depthTexture },
        cameraNear: { value: 0.1 },
        cameraFar: { value: 100 },
        logDepth: { value: false },
        reversedDepth: { value: false },
      },
      // Depth writes need the depth test on; ALWAYS lets every fragment through.
      depthTest: true,
      depthFunc: AlwaysDepth,
      depthWrite: true,
    });
    this.quad = new Mesh(new PlaneGeometry(2, 2), this.material);
    this.quad.frustumCulled = false;
    this.quadScene.add(this.quad);
  }

  /** Show a world-model frame: CHW float32 in [−1, 1] at the model's size. */
  setFrame(frame: Float32Array): void {
    this.assertLive('setFrame');
    frameToRGBA(frame, this.width, this.height, this.rgba);
    this.frameTexture.needsUpdate = true;
    this.upscaleDue = true;
  }

  /** Proxy depth for the frame shown: metres of view-space depth, row 0 at the top. */
  setDepth(depth: Float32Array): void {
    this.assertLive('setDepth');
    if (depth.length !== this.depth.length) throw new NextframeError('bad-frame', `WorldCompositor: depth must hold ${this.depth.length} values (${this.width}×${this.height}), found ${depth.length}.`);
    this.depth.set(depth);
    this.depthTexture.needsUpdate = true;
  }

  /**
   * The spatial-memory stream for the frame shown (4·H·W: RGB in [−1, 1], then coverage), drawn
   * by the `memory` view mode; null: none given (all uncovered).
   */
  setMemory(memory: Float32Array | null): void {
    this.assertLive('setMemory');
    memoryToRGBA(memory, this.width, this.height, this.memoryRGBA);
    this.memoryTexture.needsUpdate = true;
  }

  /**
   * The display frame for the frame shown (CHW float32 in [−1, 1] at the `display` size), drawn in
   * its place; null: none (stepped down to bicubic, or the frame has none), the model's frame is
   * stretched bicubically.
   */
  setDisplay(frame: Float32Array | null): void {
    this.assertLive('setDisplay');
    if (frame === null) {
      this.hasDisplay = false;
      return;
    }
    const texture = this.displayTexture;
    if (!texture || !this.displayRGBA) throw new NextframeError('bad-options', 'WorldCompositor: setDisplay() on a compositor made without a display size; construct it with { display: { width, height } }.');
    const { width, height } = texture.image;
    frameToRGBA(frame, width, height, this.displayRGBA);
    texture.needsUpdate = true;
    this.hasDisplay = true;
  }

  /** The frame shown, as RGBA bytes (row 0 at the top). */
  get pixels(): Uint8ClampedArray {
    return this.rgba;
  }

  /** The display frame shown, as RGBA bytes at the display size (row 0 at the top); null while there is none. */
  get displayPixels(): Uint8ClampedArray | null {
    return this.hasDisplay ? this.displayRGBA : null;
  }

  /**
   * What the last draw's world view showed (`learned`: the display frame, `bicubic`: the model's
   * frame stretched, `split`: both) and the size of the frame texture behind it, pixels: the display
   * size for the display frame, the model's for the bicubic stretch, the display size for a split
   * with a display frame.
   */
  get drawn(): { path: DisplayPath; width: number; height: number } {
    const texture = this.hasDisplay && this.drawnPath !== 'bicubic' ? this.displayTexture : null;
    return { path: this.drawnPath, width: texture ? texture.image.width : this.width, height: texture ? texture.image.height : this.height };
  }

  /** The memory view, as RGBA bytes (row 0 at the top; uncovered: magenta checkerboard, alpha 0). */
  get memoryPixels(): Uint8ClampedArray {
    return this.memoryRGBA;
  }

  /** Draw to the canvas. The renderer's clear colour fills what no view covers. */
  render(request: CompositeRequest): void {
    this.assertLive('render');
    const { renderer } = this;
    const { scene, camera } = request;
    renderer.getSize(_size);
    const layout = layoutViews(request.mode ?? 'model', _size.x, _size.y, this.width / this.height, request.fit ?? 'contain');
    const autoClear = renderer.autoClear;
    const scissorTest = renderer.getScissorTest();
    renderer.getViewport(_viewport);
    renderer.getScissor(_scissor);
    renderer.autoClear = false;
    renderer.setScissorTest(false);
    const split = request.split ?? false;
    this.drawnPath = split ? 'split' : this.hasDisplay ? 'learned' : 'bicubic';
    // The display frame covers the whole view unless split: no bicubic pass needed for it.
    if (layout.model && this.upscaleDue && this.drawnPath !== 'learned') this.upscale();
    renderer.setRenderTarget(null);
    renderer.clear(true, true, true);
    try {
      if (layout.truth) {
        this.use(layout.truth.area, layout.truth.frame);
        renderer.render(scene, camera);
      }
      if (layout.model) {
        this.use(layout.model.area, layout.model.frame);
        this.drawWorld(camera, layout.model.frame.width);
        if (request.overlays ?? true) this.drawOverlays(scene, camera, request.proxies);
      }
      if (layout.memory) {
        this.use(layout.memory.area, layout.memory.frame);
        this.quad.material = this.memoryMaterial;
        try {
          renderer.render(this.quadScene, this.quadCamera);
        } finally {
          this.quad.material = this.material;
        }
      }
    } finally {
      renderer.autoClear = autoClear;
      renderer.setScissorTest(scissorTest);
      renderer.setViewport(_viewport);
      renderer.setScissor(_scissor);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.frameTexture.dispose();
    this.depthTexture.dispose();
    this.memoryTexture.dispose();
    this.displayTexture?.dispose();
    this.memoryMaterial.dispose();
    this.material.dispose();
    this.upscaleMaterial?.dispose();
    this.upscaled?.dispose();
    this.quad.geometry.dispose();
    this.quadScene.clear();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private use(area: Rect, frame: Rect): void {
    this.renderer.setScissorTest(true);
    this.renderer.setScissor(area.x, area.y, area.width, area.height);
    this.renderer.setViewport(frame.x, frame.y, frame.width, frame.height);
  }

  /** The new frame, bicubic, into the larger texture the world pass stretches. */
  private upscale(): void {
    this.upscaleDue = false;
    if (!this.upscaled || !this.upscaleMaterial) return;
    this.quad.material = this.upscaleMaterial;
    this.renderer.setRenderTarget(this.upscaled);
    this.renderer.render(this.quadScene, this.quadCamera);
    this.quad.material = this.material;
  }

  /** The world quad into the viewport (`widthPx` CSS pixels wide: the split line is 2 px). */
  private drawWorld(camera: PerspectiveCamera, widthPx: number): void {
    const u = this.material.uniforms;
    const path = this.drawnPath;
    u.displayMode!.value = path === 'learned' ? 1 : path === 'split' ? 2 : 0;
    // A split without a display frame shows bicubic on both sides of the line.
    u.displayMap!.value = this.hasDisplay ? this.displayTexture : (this.upscaled?.texture ?? this.frameTexture);
    u.displayFlipped!.value = this.hasDisplay || !this.upscaled;
    u.splitHalfWidth!.value = 1 / Math.max(1, widthPx);
    u.cameraNear!.value = camera.near;
    u.cameraFar!.value = camera.far;
    u.logDepth!.value = this.renderer.capabilities.logarithmicDepthBuffer;
    u.reversedDepth!.value = this.renderer.state.buffers.depth.getReversed();
    this.renderer.render(this.quadScene, this.quadCamera);
  }

  /** The scene with the proxy geometry hidden and no background: only the overlays remain. */
  private drawOverlays(scene: Scene, camera: PerspectiveCamera, proxies: readonly Object3D[]): void {
    const background = scene.background as Color | Texture | null;
    scene.background = null; // a background would clear or cover the painted world
    const wasVisible = hiddenScratch;
    wasVisible.length = 0;
    for (const object of proxies) {
      wasVisible.push(object.visible);
      object.visible = false;
    }
    // The shadow map stays the one drawn with the proxy geometry in place (by the last ground-truth
    // render): overlays then sit in the painted world's shadows, and no shadow pass runs per frame.
    const shadowUpdate = this.renderer.shadowMap.autoUpdate;
    this.renderer.shadowMap.autoUpdate = false;
    try {
      this.renderer.render(scene, camera);
    } finally {
      this.renderer.shadowMap.autoUpdate = shadowUpdate;
      proxies.forEach((object, i) => (object.visible = wasVisible[i]!));
      scene.background = background;
    }
  }

  private assertLive(method: string): void {
    if (this.disposed) throw new NextframeError('disposed', `WorldCompositor: ${method}() called after dispose(); create a new compositor.`);
  }
}

const hiddenScratch: boolean[] = [];
