import type { RigidBody } from '@dimforge/rapier3d-compat';
import type { Object3D, PerspectiveCamera, Scene, WebGLRenderer } from 'three';
import { NextframeError, type Pose, type WorldModel } from '../../../worldmodel/index.ts';
import { PlayerInput } from '../input/PlayerInput.ts';
import type { CharacterController, Intent } from '../physics/CharacterController.ts';
import { PhysicsWorld } from '../physics/PhysicsWorld.ts';
import type { Fit, ViewMode } from '../render/layoutViews.ts';
import { Emitter } from './Emitter.ts';
import { FrameEventWriter } from './FrameEventWriter.ts';
import type { EpisodeCapture } from './EpisodeCapture.ts';
import { applyModelCamera } from '../render/modelCamera.ts';
import type { RunnerFrame } from './ModelRunner.ts';
import { OverlaySet, type Overlay } from './OverlaySet.ts';
import { PlayerLoop } from './PlayerLoop.ts';
import { playerLoopOptions } from './playerLoopOptions.ts';
import type { DisplayPath } from '../render/WorldCompositor.ts';
import type { MemoryState, StatsEvent, WorldModelPluginEvents } from './pluginEvents.ts';
import { ProxySet } from './ProxySet.ts';
import { DEFAULT_EYE_HEIGHT } from '../../../worldmodel/dataset/episode.ts';
import { rangeWarnings } from './rangeWarnings.ts';
import { sceneMismatch } from './sceneMismatch.ts';
import { throwLaunch } from './throwLaunch.ts';
import type { WorldModelPluginOptions } from './WorldModelPluginOptions.ts';
import type { TickClock } from './TickClock.ts';
import { WorkerSession } from './WorkerSession.ts';
import { WorldScreen } from './WorldScreen.ts';

/**
 * Puts a world model into a Three.js game. The model paints each frame from the player's
 * actions; the scene's proxy geometry (`markProxy`) is what physics collides with and what
 * hides overlays, but is not drawn; overlay objects (`markOverlay`) are simulated by Rapier and
 * drawn over the painted frame with a depth test against proxy depth.
 *
 * Call `update(dt)` from the game loop. The game itself — input → physics → action → model tick —
 * is a `PlayerLoop` (no three.js; `loop`); this class is its Three.js side: the camera, proxy and
 * overlay objects, the ground-truth view, and drawing the painted frame with overlays on top.
 * For a model with spatial memory, each tick's view goes with it: the model renders what it
 * remembers into that view and remembers what it paints (`memoryEnabled` turns that off; the
 * `memory` view shows what memory gave the model). Owns the loop, the colliders and bodies it
 * created, the compositor's GPU resources and (by default) the input: `dispose()`.
 */
export class WorldModelPlugin {
  readonly renderer: WebGLRenderer;
  readonly scene: Scene;
  readonly camera: PerspectiveCamera;
  readonly model: WorldModel;
  /** The game loop without the drawing. */
  readonly loop: PlayerLoop;
  readonly physics: PhysicsWorld;
  readonly character: CharacterController;
  readonly input: PlayerInput | null;
  readonly clock: TickClock;
  readonly events = new Emitter<WorldModelPluginEvents>();
  /** Why the model may not fit this scene (it learned another), or null; see `world`. */
  readonly sceneWarning: string | null;
  /** Where play is outside the model's training (eye height, field of view, tick rate), one sentence each; also on the console. */
  readonly rangeWarnings: readonly string[];
  /** What the screen shows. */
  view: ViewMode;
  fit: Fit;
  /** Draw overlays over the world frame (off: the bare painted world). */
  overlaysVisible = true;
  /**
   * Split the world view to compare: the model's frame stretched bicubically on the left, its
   * display frame (a display upsampler's) on the right, a thin white line between.
   */
  displaySplit: boolean;
  /**
   * `changes` (default): `update` draws only when something on screen changed (a new world frame,
   * an overlay moving in view, a resize, another view), which keeps software-rendered browsers
   * responsive; `always`: every update draws.
   */
  redraw: 'changes' | 'always' = 'changes';
  /** Keep the memory stream of every world frame (see the `captureMemory` option). */
  captureMemory: boolean;

  private readonly ownsPhysics: boolean;
  private readonly ownsInput: boolean;
  private readonly screen: WorldScreen;
  private readonly overlays: OverlaySet;
  private readonly proxies: ProxySet;
  private readonly frameEvents: FrameEventWriter;
  private disposed = false;
  private lastStats: StatsEvent | null = null;
  /** `paused` as the game set it; the loop is also paused while the page is hidden. */
  private userPaused = false;
  /** The page is hidden (another tab, minimised) and `pauseWhenHidden` is on. */
  private hidden = false;
  /** The page came back: the next `update`'s dt spans the hidden time and is dropped, not caught up. */
  private resumed = false;
  private readonly fallbackOnDeviceLoss: boolean;
  private restarts = 0;
  private readonly onVisibility = (): void => {
    const hidden = document.visibilityState === 'hidden';
    if (hidden === this.hidden) return;
    this.hidden = hidden;
    if (!hidden) this.resumed = true;
    this.loop.paused = this.userPaused || this.hidden;
  };

  constructor(options: WorldModelPluginOptions) {
    const { renderer, scene, camera, model, rapier } = options;
    this.renderer = renderer;
    this.scene = scene;
    this.camera = camera;
    this.model = model;
    this.view = options.view ?? 'model';
    this.fit = options.fit ?? 'contain';
    this.captureMemory = options.captureMemory ?? false;
    this.displaySplit = options.displaySplit ?? false;
    this.fallbackOnDeviceLoss = options.fallbackOnDeviceLoss ?? true;
    this.sceneWarning = sceneMismatch(model.manifest, options.world);
    if (this.sceneWarning) console.warn(`WorldModelPlugin: ${this.sceneWarning}`);
    const { width, height } = model;
    const hostFovYDegrees = camera.fov;

    applyModelCamera(camera, model.manifest);
    this.ownsPhysics = !options.physics;
    this.physics = options.physics ?? new PhysicsWorld(rapier);
    camera.updateMatrixWorld();
    this.ownsInput = options.input === undefined;
    this.input = options.input === false ? null : (options.input ?? new PlayerInput({ element: renderer.domElement }));
    this.loop = new PlayerLoop(
      playerLoopOptions(options, this.physics, this.input, {
        renderTruth: (pose, out) => this.renderTruth(pose, out),
        ...(model.display ? { renderDisplayTruth: (pose: Readonly<Pose>, out: Float32Array, display: Uint8Array) => this.screen.captureDisplayTruth(pose, this.overlays.objects(), out, display) } : {}),
        onThrow: () => void this.throwBall(),
        onFrame: (frame) => this.onFrame(frame),
        onError: (error) => this.onModelError(error),
        onDisplayChange: (event) => {
          if (!this.disposed) this.events.emit('display', event);
        },
      }),
    );
    this.character = this.loop.character;
    this.clock = this.loop.clock;
    this.rangeWarnings = rangeWarnings(model.manifest, { hostFovYDegrees, eyeHeight: options.character?.eyeHeight ?? DEFAULT_EYE_HEIGHT, tickHz: this.clock.tickHz });
    for (const warning of this.rangeWarnings) console.warn(`WorldModelPlugin: ${warning}`);
    this.overlays = new OverlaySet(this.physics, scene, options.throwing ?? {});
    this.proxies = new ProxySet(this.physics, rapier);
    this.screen = new WorldScreen({
      renderer,
      scene,
      camera,
      width,
      height,
      ...(model.display ? { displayScale: model.display.scale } : {}),
      ...(options.filter ? { filter: options.filter } : {}),
      onBeforeRender: options.onBeforeRender,
    });
    this.frameEvents = new FrameEventWriter(3 * width * height, options.captureTruth ? (pose, out) => this.renderTruth(pose, out) : null);
    if ((options.pauseWhenHidden ?? true) && typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', this.onVisibility);
      this.onVisibility();
    }
  }

  /** The intent used while there is no input (`input: false`): set it yourself. */
  get intent(): Intent {
    return this.loop.intent;
  }

  set intent(intent: Intent) {
    this.loop.intent = intent;
  }

  /** Physics and world frames stop; drawing goes on. (They also stop while the page is hidden: `suspended`.) */
  get paused(): boolean {
    return this.userPaused;
  }

  set paused(paused: boolean) {
    this.userPaused = paused;
    this.loop.paused = paused || this.hidden;
  }

  /**
   * The page is hidden and play is held (`pauseWhenHidden`): no physics steps, no ticks, no
   * model runs. When it shows again play goes on from the same pose, history and memory, and the
   * hidden time is dropped rather than caught up.
   */
  get suspended(): boolean {
    return this.hidden;
  }

  /**
   * Mark objects the world model paints: hidden over the model's frame, shown in ground truth.
   * With `collider` (default true) every mesh under `object` becomes a fixed collider, so the
   * player collides with it and proxy depth sees it; pass false when the physics world already
   * has colliders for it, or for things with no body (a sky dome). Marking it again does nothing.
   */
  markProxy(object: Object3D, options: { collider?: boolean } = {}): this {
    this.assertLive('markProxy');
    this.proxies.mark(object, options.collider ?? true);
    return this;
  }

  /**
   * Mark an overlay: drawn over the world frame (depth-tested against proxy depth) and moved by
   * physics. Give its existing rigid body, or let the plugin make a dynamic one from the mesh's
   * shape (ball for spheres, box otherwise) with `mass` kg (default 1). Returns the body.
   */
  markOverlay(object: Object3D, options: { body?: RigidBody; mass?: number } = {}): RigidBody {
    this.assertLive('markOverlay');
    return this.overlays.mark(object, options);
  }

  /** Throw a ball from the camera (or from/with what is given). Returns its body; null when throwing is off. */
  throwBall(options: { from?: { x: number; y: number; z: number }; velocity?: { x: number; y: number; z: number } } = {}): RigidBody | null {
    this.assertLive('throwBall');
    const ball = this.overlays.throwing;
    if (!ball) return null;
    const launch = throwLaunch(this.character.pose, this.character.velocity, ball);
    return this.overlays.throwBall(options.from ?? launch.from, options.velocity ?? launch.velocity);
  }

  /** Overlay objects and their bodies (marked ones, then thrown balls). */
  get overlayBodies(): readonly Overlay[] {
    return this.overlays.all;
  }

  /** Subscribe to `frame`, `stats` or `error`; returns the unsubscribe function. */
  on<K extends keyof WorldModelPluginEvents>(type: K, listener: (event: WorldModelPluginEvents[K]) => void): () => void {
    return this.events.on(type, listener);
  }

  /**
   * Advance by `dt` seconds of real time and draw: call once per display frame from the game's
   * loop. Never waits for the model.
   */
  update(dt: number): void {
    this.assertLive('update');
    const now = performance.now();
    const stats = this.loop.stats;
    stats.updates++;
    this.loop.keepMemory = this.captureMemory || this.view === 'memory';
    // Back from hidden: this dt spans the time away (browsers stop animation frames in hidden tabs).
    const resumed = this.resumed && !this.hidden;
    if (resumed) this.resumed = false;
    this.loop.update(resumed ? 0 : dt);
    if (this.screen.needsDraw(this, this.overlays)) this.render();
    stats.updateMs += performance.now() - now;
    const event = this.loop.report(now);
    if (event) {
      // What the screen drew: the display frame's size while one shows (or the split's), else the model's.
      const drawn = this.screen.shownDisplay;
      event.displayWidth = drawn.width;
      event.displayHeight = drawn.height;
      this.lastStats = event;
      // Auto speculation leaves the page its frame budget: it learns how the page keeps up here.
      if (event.displayFps > 0) this.loop.runner.reportHostFrame(1000 / event.displayFps);
      this.events.emit('stats', event);
    }
  }

  /** Draw the current state without advancing anything. */
  render(): void {
    this.assertLive('render');
    this.screen.draw(this, this.character.pose, this.loop.runner.shown.pose, this.proxies.objects);
    this.loop.stats.draws++;
  }

  /**
   * Start again, from `pose` (a camera pose; the player is put there) or where the player is:
   * the ground-truth view becomes the model's context and its history starts fresh. Waits for a
   * step in flight first.
   */
  restart(pose?: Readonly<Pose>): Promise<void> {
    this.assertLive('restart');
    return this.loop.restart(pose);
  }

  /** Resolves when no model step is in flight. */
  idle(): Promise<void> {
    return this.loop.idle();
  }

  /** The world frame on screen: CHW float32 in [−1, 1], its pose and proxy depth. */
  get shown(): Readonly<RunnerFrame> {
    return this.loop.runner.shown;
  }

  /** The RGBA bytes of the world frame on screen (row 0 at the top). */
  get shownPixels(): Uint8ClampedArray {
    return this.screen.pixels;
  }

  /**
   * What the world view shows for the frame on screen: `learned` (its display frame), `bicubic` (the
   * frame stretched: no display upsampler, `display: 'bicubic'`, or painted while stepped down),
   * `split` (both; `displaySplit`).
   */
  get displayPath(): DisplayPath {
    if (this.displaySplit) return 'split';
    return this.loop.runner.shown.display ? 'learned' : 'bicubic';
  }

  /** What the last draw's world view showed (`learned`, `bicubic`, `split`) and the size of the frame texture behind it, pixels. */
  get displayDrawn(): { path: DisplayPath; width: number; height: number } {
    return this.screen.shownDisplay;
  }

  /** The display stepped down to bicubic because the model's frame and the display frame did not fit in a tick (`display: 'auto'`). */
  get displaySteppedDown(): boolean {
    return this.loop.runner.displaySteppedDown;
  }

  /** The display frame on screen (3·sH·sW, CHW in [−1, 1]), or null while the bicubic stretch shows. */
  get shownDisplay(): Float32Array | null {
    return this.loop.runner.shown.display;
  }

  /** The RGBA bytes of the display frame on screen (display size, row 0 at the top), or null while the bicubic stretch shows. */
  get shownDisplayPixels(): Uint8ClampedArray | null {
    return this.screen.displayPixels;
  }

  /** Whether the model has spatial memory (a `memory` stream). */
  get hasMemory(): boolean {
    return this.model.memory !== null;
  }

  /**
   * Spatial memory on (default) or off. Off, the model gets an empty memory stream (as at the very
   * start) and remembers nothing; what it remembered before stays. Always false for a model
   * without memory; takes effect from the next world frame.
   */
  get memoryEnabled(): boolean {
    return this.model.memory !== null && this.model.memoryEnabled;
  }

  set memoryEnabled(on: boolean) {
    this.model.memoryEnabled = on;
  }

  /** `none` (the model has no memory), `on` or `off`. */
  get memoryState(): MemoryState {
    return this.loop.memoryState;
  }

  /**
   * The spatial-memory stream the model was given for the world frame on screen (4·H·W: RGB in
   * [−1, 1], then coverage), when it was kept (`captureMemory`, or the view was `memory` when the
   * frame was asked for); null otherwise and for the start view.
   */
  get shownMemory(): Float32Array | null {
    return this.loop.runner.shown.memory;
  }

  /** The RGBA bytes the `memory` view shows (row 0 at the top; uncovered pixels: magenta checkerboard with alpha 0). */
  get shownMemoryPixels(): Uint8ClampedArray {
    return this.screen.memoryPixels;
  }

  /** The ground-truth view (overlays hidden) at `pose` (default: the pose of the frame shown), CHW in [−1, 1]. */
  renderTruth(pose: Readonly<Pose> = this.loop.runner.shown.pose, out: Float32Array = new Float32Array(3 * this.model.width * this.model.height)): Float32Array {
    this.assertLive('renderTruth');
    return this.screen.captureTruth(pose, this.overlays.objects(), out);
  }

  /** The proxy depth (metres, H·W) at `pose` (default: the pose of the frame shown): what the model is given for that view. */
  renderDepth(pose: Readonly<Pose> = this.loop.runner.shown.pose, out: Float32Array = new Float32Array(this.model.width * this.model.height)): Float32Array {
    this.assertLive('renderDepth');
    return this.loop.proxyDepth.render(pose, out);
  }

  /**
   * Record mode: from now on every tick's ground-truth view (overlays hidden), proxy depth, pose
   * and action are kept as an episode in the dataset format, starting with the current view.
   * `stopRecording()` hands it over (`episode()`, or `tar()` to download or post). One costs a
   * ground-truth render per tick. The scene id is `world.id` (default `scene`).
   */
  startRecording(options: { seed?: number; maxTicks?: number; policy?: string } = {}): EpisodeCapture {
    this.assertLive('startRecording');
    return this.loop.startRecording(options);
  }

  /** End record mode; the episode recorded (null when none was). */
  stopRecording(): EpisodeCapture | null {
    return this.loop.stopRecording();
  }

  /** The episode being recorded, or null. */
  get recording(): EpisodeCapture | null {
    return this.loop.recording;
  }

  /** Times the model's session was made again after its device was lost or its inference worker died. */
  get sessionRestarts(): number {
    return this.restarts;
  }

  /** The model's error, once it threw; null before. */
  get error(): Error | null {
    return this.loop.runner.failed;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** The latest stats (also sent as `stats` events). */
  get latestStats(): StatsEvent | null {
    return this.lastStats;
  }

  /**
   * Free what the plugin made: GPU textures and render targets, thrown balls, the colliders,
   * bodies and character it created (or the whole physics world if it made it), its input
   * listeners, and event listeners. The model, renderer, scene and camera stay the caller's.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onVisibility);
    this.loop.dispose();
    this.screen.dispose();
    if (this.ownsInput) this.input?.dispose();
    this.overlays.dispose(!this.ownsPhysics);
    this.proxies.dispose(!this.ownsPhysics);
    if (this.ownsPhysics && !this.physics.isDisposed) this.physics.dispose();
    this.events.clear();
  }

  private onFrame(frame: Readonly<RunnerFrame>): void {
    if (this.disposed) return;
    this.screen.show(frame, this.model.memory !== null);
    this.events.emit('frame', this.frameEvents.write(frame));
  }

  /**
   * A model step failed: a lost device moves the model to WASM, a dead inference worker is
   * replaced by a new one, and play goes on; anything else stops it.
   */
  private onModelError(error: Error): void {
    const recoverable = error instanceof NextframeError && (error.code === 'device-lost' || error.code === 'worker-lost');
    if (this.fallbackOnDeviceLoss && recoverable) void this.fallBack(error);
    else this.events.emit('error', error);
  }

  private async fallBack(error: NextframeError): Promise<void> {
    const started = performance.now();
    const from = this.model.backend;
    const reason = this.model.deviceLost ?? error.message;
    try {
      await this.loop.idle();
      if (this.disposed) return;
      // After a WebGPU loss this page's onnxruntime may still wait on the lost device (measured on
      // SwiftShader: the run in flight never ends, and a new WASM session here never ran), so
      // the model goes on in a worker of its own, with a fresh onnxruntime.
      await this.model.switchToWasm(from === 'webgpu' && typeof Worker !== 'undefined' ? WorkerSession.create : undefined);
    } catch (failure) {
      if (!this.disposed) this.events.emit('error', failure instanceof Error ? failure : error);
      return;
    }
    if (this.disposed) return;
    // The runner stopped at the failed tick; the world goes on from the last frame painted.
    this.loop.runner.failed = null;
    this.restarts++;
    const how = error.code === 'worker-lost' ? 'a new inference worker took over' : 'the world model moved to WASM';
    console.warn(`WorldModelPlugin: ${reason}; ${how} and plays on with its history and memory.`);
    this.events.emit('fallback', { reason, from, to: this.model.backend, ms: performance.now() - started, tick: this.model.tick });
  }

  private assertLive(method: string): void {
    if (this.disposed) throw new NextframeError('disposed', `WorldModelPlugin: ${method}() called after dispose(); create a new plugin.`);
  }
}
