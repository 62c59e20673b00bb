import type { Collider, RigidBody } from '@dimforge/rapier3d-compat';
import { Frustum, Matrix4, type Mesh, type Object3D, type PerspectiveCamera, type Scene, type WebGLRenderer } from 'three';
import { ACTION } from '../../../worldmodel/dataset/actionLayout.ts';
import type { SpeculativeSchedulerOptions, WorldModel } from '../../../worldmodel/index.ts';
import { PlayerInput } from '../input/PlayerInput.ts';
import { actionFromPoses } from '../../../worldmodel/geometry/actionFromPoses.ts';
import { CharacterController, IDLE_INTENT, type CharacterControllerOptions, type Intent } from '../physics/CharacterController.ts';
import { PhysicsWorld } from '../physics/PhysicsWorld.ts';
import { copyPose, type Pose } from '../../../worldmodel/geometry/Pose.ts';
import { ProxyDepth } from '../physics/ProxyDepth.ts';
import type { RapierModule } from '../physics/rapierTypes.ts';
import type { Fit, ViewMode } from '../render/layoutViews.ts';
import { TruthCapture } from '../render/TruthCapture.ts';
import { WorldCompositor } from '../render/WorldCompositor.ts';
import type { SpawnPoint } from '../scene/spawnPose.ts';
import { Emitter } from './Emitter.ts';
import { ModelRunner, type RunnerFrame } from './ModelRunner.ts';
import { OverlaySet, type Overlay, type ThrowOptions } from './OverlaySet.ts';
import type { FrameEvent, MemoryState, StatsEvent, WorldModelPluginEvents } from './pluginEvents.ts';
import { colliderForMesh } from './proxyColliders.ts';
import { EpisodeCapture } from './EpisodeCapture.ts';
import { sceneMismatch, type SceneIdentity } from './sceneMismatch.ts';
import { StatsWindow } from './StatsWindow.ts';
import { TickClock } from './TickClock.ts';
import { TurnLimiter } from './TurnLimiter.ts';

export interface WorldModelPluginOptions {
  renderer: WebGLRenderer;
  scene: Scene;
  /** The player's camera. The plugin drives it: the model's intrinsics, the player's pose. */
  camera: PerspectiveCamera;
  /** A loaded world model; it stays the caller's (dispose it yourself after the plugin). */
  model: WorldModel;
  /** Rapier after `await RAPIER.init()`. */
  rapier: RapierModule;
  /** A physics world whose static colliders already are the proxy geometry (e.g. from `buildPhysicsWorld`). Default: a new world the plugin owns, filled by `markProxy`. */
  physics?: PhysicsWorld;
  /** Where the player starts (feet on the floor). Default: under the camera, facing where it faces. */
  spawn?: SpawnPoint;
  character?: CharacterControllerOptions;
  /** Input: a `PlayerInput` you made (kept yours), false for none (set `intent` yourself), or by default one on the canvas that the plugin owns. */
  input?: PlayerInput | false;
  /** What the screen shows. Default `model`. */
  view?: ViewMode;
  /** Default `contain`. */
  fit?: Fit;
  /** Upscaling of the world frame. Default `bicubic`. */
  filter?: 'bicubic' | 'bilinear';
  /** Throwing balls from the camera (click, T, the touch or gamepad button), or false. */
  throwing?: ThrowOptions | false;
  /** Capture the ground-truth view for every world frame (`FrameEvent.truth`); one render and read-back per tick. Default false. */
  captureTruth?: boolean;
  /**
   * Keep the spatial-memory stream the model is given for every world frame (`FrameEvent.memory`,
   * `shownMemory`), for models with memory; one 4·H·W copy per tick. It is kept anyway
   * while the view is `memory`. Default false.
   */
  captureMemory?: boolean;
  /** Called with the camera before every draw and ground-truth capture (e.g. to keep a sky dome centred on it). */
  onBeforeRender?: (camera: PerspectiveCamera) => void;
  /**
   * Speculative sampling (`ModelRunner`'s). Default on WebGPU: multi-branch, 2 ticks ahead,
   * 16 candidates, 12 frames a tick; on WASM: off. A fast GPU can afford
   * `{ branches: 32, budget: 32 }`; `{ mode: 'single', lookahead: 1, budget: 1 }` is the gentlest.
   */
  speculation?: SpeculativeSchedulerOptions;
  /**
   * The scene being played (`loadScene` gives both): when the model was trained on another one
   * (its manifest's `training.scene`), or this is not given and the model knows its scene, the
   * plugin warns on the console and `sceneWarning` says why.
   */
  world?: SceneIdentity;
}

const _projScreen = new Matrix4();
const _frustum = new Frustum();

/**
 * Puts a world model into a Three.js game. The model paints each frame from the player's
 * actions; the scene's proxy geometry (`markProxy`) is what physics collides with and what
 * hides overlays, but is not drawn; overlay objects (`markOverlay`) are simulated by Rapier and
 * drawn over the painted frame with a depth test against proxy depth.
 *
 * Call `update(dt)` from the game loop: it reads input, steps physics at a fixed 1/60 s, hands
 * each finished tick to the model without waiting for it, and draws. For a model with spatial
 * memory, each tick's view (pose and proxy depth) goes with it: the model renders what it
 * remembers into that view and remembers what it paints (`memoryEnabled` turns that off; the
 * `memory` view shows what memory gave the model; the `stats` event reports coverage and cost). Owns the character, the
 * colliders and bodies it created, the compositor's GPU resources and (by default) the input:
 * `dispose()`.
 */
export class WorldModelPlugin {
  readonly renderer: WebGLRenderer;
  readonly scene: Scene;
  readonly camera: PerspectiveCamera;
  readonly model: WorldModel;
  readonly physics: PhysicsWorld;
  readonly character: CharacterController;
  readonly input: PlayerInput | null;
  readonly clock: TickClock;
  readonly events = new Emitter<WorldModelPluginEvents>();
  /** The intent used while there is no input (`input: false`): set it yourself. */
  intent: Intent = { ...IDLE_INTENT };
  /** What the screen shows. */
  view: ViewMode;
  fit: Fit;
  /** Physics and world frames stop; drawing goes on. */
  paused = false;
  /** Draw overlays over the world frame (off: the bare painted world). */
  overlaysVisible = true;
  /**
   * `changes` (default): `update` draws only when something on screen changed (a new world frame,
   * an overlay moving in view, a resize, another view), which keeps software-rendered browsers
   * responsive; `always`: every update draws.
   */
  redraw: 'changes' | 'always' = 'changes';
  /** Keep the memory stream of every world frame (see the `captureMemory` option). */
  captureMemory: boolean;

  private readonly rapier: RapierModule;
  private readonly ownsPhysics: boolean;
  private readonly ownsInput: boolean;
  private readonly runner: ModelRunner;
  private readonly compositor: WorldCompositor;
  private readonly truth: TruthCapture;
  private readonly proxyDepth: ProxyDepth;
  private readonly limiter: TurnLimiter;
  private readonly overlays: OverlaySet;
  private readonly proxies: Object3D[] = [];
  /** Why the model may not fit this scene (it learned another), or null; see `world`. */
  readonly sceneWarning: string | null;
  private readonly world: SceneIdentity | undefined;
  private capture: EpisodeCapture | null = null;
  private captureFrame: Float32Array | null = null;
  private captureDepth: Float32Array | null = null;
  private readonly createdColliders: Collider[] = [];
  private readonly eyeHeight: number;
  private readonly captureTruth: boolean;
  private readonly onBeforeRender: ((camera: PerspectiveCamera) => void) | undefined;

  // Per-tick scratch, allocated once.
  private readonly stepIntent: Intent = { ...IDLE_INTENT };
  private readonly look = { yaw: 0, pitch: 0 };
  private readonly tickStart: Pose = { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 };
  private readonly buttons = { jump: false, interact: false };
  private readonly action7 = new Float32Array(7);
  private readonly modelAction: Float32Array;
  private readonly slotSource: number[];
  private readonly depth: Float32Array;
  private readonly truthFrame: Float32Array;
  private readonly frameEvent: FrameEvent;
  private readonly handler = {
    step: (dt: number): void => this.physicsStep(dt),
    ready: (): boolean => !this.runner.busy && !this.runner.failed,
    tick: (): void => this.submitTick(),
  };

  private started = false;
  private restarting: Promise<void> | null = null;
  private disposed = false;
  private readonly stats = new StatsWindow();
  private lastStats: StatsEvent | null = null;
  /** What the last draw showed, to tell whether the next update must draw again. */
  private readonly drawn = { frame: -1, view: '', fit: '', overlays: false, width: 0, height: 0 };
  private frameVersion = 0;

  constructor(options: WorldModelPluginOptions) {
    const { renderer, scene, camera, model, rapier } = options;
    this.renderer = renderer;
    this.scene = scene;
    this.camera = camera;
    this.model = model;
    this.rapier = rapier;
    this.view = options.view ?? 'model';
    this.fit = options.fit ?? 'contain';
    this.captureTruth = options.captureTruth ?? false;
    this.captureMemory = options.captureMemory ?? false;
    this.onBeforeRender = options.onBeforeRender;
    this.world = options.world;
    this.sceneWarning = sceneMismatch(model.manifest, options.world);
    if (this.sceneWarning) console.warn(`WorldModelPlugin: ${this.sceneWarning}`);
    const { manifest, width, height } = model;

    // The model's actions come from the host's 7 slots, by name.
    this.slotSource = manifest.actions.map((slot) => {
      const index = (ACTION as Record<string, number>)[slot.name];
      if (index === undefined) {
        throw new Error(`WorldModelPlugin: model "${manifest.id}" has an action slot "${slot.name}" the host cannot produce; it produces ${Object.keys(ACTION).join(', ')}.`);
      }
      return index;
    });
    this.modelAction = new Float32Array(manifest.actions.length);
    const scaleOf = (name: string): number => manifest.actions.find((s) => s.name === name)?.scale ?? Number.POSITIVE_INFINITY;

    // The camera is the model's: the field of view, aspect and clip planes of its training data.
    const intrinsics = manifest.camera;
    camera.fov = intrinsics.fovYDegrees;
    camera.aspect = width / height;
    camera.near = intrinsics.near;
    camera.far = intrinsics.far;
    camera.rotation.order = 'YXZ';
    camera.updateProjectionMatrix();

    this.ownsPhysics = !options.physics;
    this.physics = options.physics ?? new PhysicsWorld(rapier);
    this.eyeHeight = options.character?.eyeHeight ?? 1.6;
    camera.updateMatrixWorld();
    const spawn = options.spawn ?? { x: camera.position.x, y: camera.position.y - this.eyeHeight, z: camera.position.z, yaw: camera.rotation.y };
    this.character = new CharacterController(this.physics, spawn, options.character);
    this.proxyDepth = new ProxyDepth(this.physics, { width, height, camera: { ...intrinsics, aspect: width / height } });
    this.depth = new Float32Array(width * height);
    this.truthFrame = new Float32Array(3 * width * height);
    this.overlays = new OverlaySet(this.physics, scene, options.throwing ?? {});

    this.clock = new TickClock({ tickHz: manifest.tickHz });
    this.limiter = new TurnLimiter({ maxYawPerTick: scaleOf('yaw'), maxPitchPerTick: scaleOf('pitch'), stepsPerTick: this.clock.stepsPerTick });
    this.compositor = new WorldCompositor({ renderer, width, height, ...(options.filter ? { filter: options.filter } : {}) });
    this.truth = new TruthCapture({ renderer, width, height });
    this.frameEvent = { tick: 0, frame: this.truthFrame, pose: this.tickStart, action: this.modelAction, ms: 0, truth: null, memory: null, memoryCoverage: null };
    this.runner = new ModelRunner({
      model,
      onFrame: (frame) => this.onFrame(frame),
      onError: (error) => this.events.emit('error', error),
      // Speculated frames are painted for the view their guessed actions lead to.
      depthAt: (pose, out) => this.proxyDepth.render(pose, out),
      ...(options.speculation ? { speculation: options.speculation } : {}),
    });

    this.ownsInput = options.input === undefined;
    this.input = options.input === false ? null : (options.input ?? new PlayerInput({ element: renderer.domElement }));
  }

  /**
   * Mark objects the world model paints: hidden over the model's frame, shown in ground truth.
   * With `collider` (default true) every mesh under `object` becomes a fixed collider, so the
   * player collides with it and proxy depth sees it; pass false when the physics world already
   * has colliders for it, or for things with no body (a sky dome).
   */
  markProxy(object: Object3D, options: { collider?: boolean } = {}): this {
    this.assertLive('markProxy');
    this.proxies.push(object);
    if (options.collider ?? true) {
      object.traverse((child) => {
        const mesh = child as Mesh;
        if (mesh.isMesh) this.createdColliders.push(this.physics.world.createCollider(colliderForMesh(mesh, this.rapier).setFriction(0.8)));
      });
      this.physics.refreshQueries();
    }
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
    const t = this.overlays.throwing;
    if (!t) return null;
    const pose = this.character.pose;
    const cp = Math.cos(pose.pitch);
    const dir = { x: -Math.sin(pose.yaw) * cp, y: Math.sin(pose.pitch), z: -Math.cos(pose.yaw) * cp };
    const reach = 0.3 + t.radius + 0.25; // clear of the player's capsule
    const v = this.character.velocity;
    return this.overlays.throwBall(
      options.from ?? { x: pose.x + dir.x * reach, y: pose.y - 0.15 + dir.y * reach, z: pose.z + dir.z * reach },
      options.velocity ?? { x: dir.x * t.speed + v.x, y: dir.y * t.speed + 1.5, z: dir.z * t.speed + v.z },
    );
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
    if (!this.started) this.start();
    this.stats.updates++;
    if (!this.paused && !this.restarting && !this.runner.failed) {
      if (this.input) {
        this.input.read(this.intent, this.look);
        this.limiter.add(this.look.yaw, this.look.pitch);
        this.look.yaw = this.look.pitch = 0;
        for (let n = this.input.consumeThrows(); n > 0; n--) this.throwBall();
      }
      this.clock.advance(Number.isFinite(dt) ? dt : 0, this.handler);
      this.stats.physicsMs += performance.now() - now;
    }
    // Overlays moving in view need a new draw; ones asleep or out of view do not.
    _projScreen.multiplyMatrices(this.camera.projectionMatrix, this.camera.matrixWorldInverse);
    _frustum.setFromProjectionMatrix(_projScreen);
    const moving = this.overlays.sync(_frustum);
    if (this.redraw === 'always' || moving || this.changedSinceDraw()) this.render();
    this.stats.updateMs += performance.now() - now;
    const shown = this.runner.shown;
    const memory = this.model.memory;
    const stats = this.stats.report(
      now,
      {
        tickHz: this.clock.tickHz,
        modelMs: shown.ms || this.model.lastStepMs,
        backend: this.model.backend,
        ticks: this.runner.tick,
        memoryState: this.memoryState,
        memoryCoverage: memory ? shown.memoryCoverage : null,
        memoryKeyframes: memory ? memory.size : null,
        speculationHitRate: this.runner.scheduler.mode !== 'off' && this.runner.scheduler.stats.ticks > 0 ? this.runner.hitRate : null,
        speculationMode: this.runner.scheduler.mode,
      },
      this.proxyDepth.lastMs,
      shown.memoryMs,
    );
    if (stats) {
      this.lastStats = stats;
      this.events.emit('stats', stats);
    }
  }

  /** Draw the current state without advancing anything. */
  render(): void {
    this.assertLive('render');
    // The painted frame shows the pose it was made for; overlays are drawn from that same pose
    // so they line up with it. The ground-truth view alone follows the live pose.
    this.placeCamera(this.view === 'truth' ? this.character.pose : this.runner.shown.pose);
    this.compositor.render({ scene: this.scene, camera: this.camera, proxies: this.proxies, mode: this.view, fit: this.fit, overlays: this.overlaysVisible });
    const d = this.drawn;
    d.frame = this.frameVersion;
    d.view = this.view;
    d.fit = this.fit;
    d.overlays = this.overlaysVisible;
    d.width = this.renderer.domElement.width;
    d.height = this.renderer.domElement.height;
    this.stats.draws++;
  }

  /**
   * Start again, from `pose` (a camera pose; the player is put there) or where the player is:
   * the ground-truth view becomes the model's context and its history starts fresh. Waits for a
   * step in flight first.
   */
  restart(pose?: Readonly<Pose>): Promise<void> {
    this.assertLive('restart');
    const run = async (): Promise<void> => {
      await this.runner.idle();
      if (this.disposed) return;
      if (pose) {
        this.character.teleport({ x: pose.x, y: pose.y - this.eyeHeight - 0.02, z: pose.z, yaw: pose.yaw });
        this.character.pose.pitch = pose.pitch;
        this.character.readPose();
      }
      this.resetModel();
      this.started = true;
    };
    this.restarting = run().finally(() => {
      this.restarting = null;
    });
    return this.restarting;
  }

  /** Resolves when no model step is in flight. */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  /** The world frame on screen: CHW float32 in [−1, 1], its pose and proxy depth. */
  get shown(): Readonly<RunnerFrame> {
    return this.runner.shown;
  }

  /** The RGBA bytes of the world frame on screen (row 0 at the top). */
  get shownPixels(): Uint8ClampedArray {
    return this.compositor.pixels;
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
    return this.model.memory === null ? 'none' : this.model.memoryEnabled ? 'on' : 'off';
  }

  /**
   * The spatial-memory stream the model was given for the world frame on screen (4·H·W: RGB in
   * [−1, 1], then coverage), when it was kept (`captureMemory`, or the view was `memory` when the
   * frame was asked for); null otherwise and for the start view.
   */
  get shownMemory(): Float32Array | null {
    return this.runner.shown.memory;
  }

  /** The RGBA bytes the `memory` view shows (row 0 at the top; uncovered pixels: magenta checkerboard with alpha 0). */
  get shownMemoryPixels(): Uint8ClampedArray {
    return this.compositor.memoryPixels;
  }

  /** The ground-truth view (overlays hidden) at `pose` (default: the pose of the frame shown), CHW in [−1, 1]. */
  renderTruth(pose: Readonly<Pose> = this.runner.shown.pose, out: Float32Array = new Float32Array(this.truthFrame.length)): Float32Array {
    this.assertLive('renderTruth');
    this.placeCamera(pose);
    return this.truth.capture(this.scene, this.camera, this.overlays.objects(), out);
  }

  /**
   * Record mode: from now on every tick's ground-truth view (overlays hidden), proxy depth, pose
   * and action are kept as an episode in the dataset format, starting with the current view.
   * `stopRecording()` hands it over (`episode()`, or `tar()` to download or post). One costs a
   * ground-truth render per tick. The scene id is `world.id` (default `scene`).
   */
  startRecording(options: { seed?: number; maxTicks?: number; policy?: string } = {}): EpisodeCapture {
    this.assertLive('startRecording');
    const m = this.model.manifest;
    const { width, height } = m.resolution;
    const capture = new EpisodeCapture({
      width,
      height,
      tickHz: m.tickHz,
      camera: m.camera,
      scene: this.world ?? { id: 'scene' },
      ...options,
    });
    this.captureFrame ??= new Float32Array(3 * width * height);
    this.captureDepth ??= new Float32Array(width * height);
    const pose = this.character.pose;
    this.proxyDepth.render(pose, this.captureDepth);
    capture.add(this.renderTruth(pose, this.captureFrame), this.captureDepth, pose, this.action7);
    this.capture = capture;
    return capture;
  }

  /** End record mode; the episode recorded (null when none was). */
  stopRecording(): EpisodeCapture | null {
    const capture = this.capture;
    this.capture = null;
    return capture;
  }

  /** The episode being recorded, or null. */
  get recording(): EpisodeCapture | null {
    return this.capture;
  }

  /** The model's error, once it threw; null before. */
  get error(): Error | null {
    return this.runner.failed;
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
    this.runner.dispose();
    this.compositor.dispose();
    this.truth.dispose();
    if (this.ownsInput) this.input?.dispose();
    this.overlays.dispose(!this.ownsPhysics);
    if (!this.physics.isDisposed) {
      this.character.dispose();
      if (this.ownsPhysics) this.physics.dispose();
      else for (const collider of this.createdColliders) this.physics.world.removeCollider(collider, false);
    }
    this.createdColliders.length = 0;
    this.proxies.length = 0;
    this.events.clear();
  }

  private start(): void {
    // Let the player settle onto the floor before the first view is taken.
    this.character.intent = { ...IDLE_INTENT };
    this.physics.advance(5 / 60, (dt) => this.character.step(dt));
    this.character.readPose();
    this.resetModel();
    this.started = true;
  }

  /** Ground truth at the player's pose becomes all K context frames. */
  private resetModel(): void {
    const pose = this.character.pose;
    copyPose(pose, this.tickStart);
    this.proxyDepth.render(pose, this.depth);
    this.renderTruth(pose, this.truthFrame);
    const frames = Array.from({ length: this.model.contextFrames }, () => this.truthFrame);
    this.clock.reset();
    this.limiter.clear();
    this.buttons.jump = this.buttons.interact = false;
    this.runner.reset(frames, pose, this.depth);
  }

  private physicsStep(dt: number): void {
    const intent = this.intent;
    const s = this.stepIntent;
    s.forward = intent.forward;
    s.strafe = intent.strafe;
    s.jump = intent.jump;
    s.interact = intent.interact;
    this.limiter.apply(intent, dt, s);
    this.character.intent = s;
    this.physics.advance(dt, (h) => this.character.step(h));
    this.character.readPose();
    this.buttons.jump ||= intent.jump;
    this.buttons.interact ||= intent.interact;
  }

  /** A tick's steps are done: its motion becomes the action, and the model paints it. */
  private submitTick(): void {
    const pose = this.character.pose;
    actionFromPoses(this.tickStart, pose, this.buttons, this.action7);
    for (let i = 0; i < this.slotSource.length; i++) this.modelAction[i] = this.action7[this.slotSource[i]!]!;
    const t0 = performance.now();
    this.proxyDepth.render(pose, this.depth);
    this.stats.depthMs += performance.now() - t0;
    this.runner.keepMemory = this.captureMemory || this.view === 'memory';
    this.runner.submit(this.modelAction, pose, this.depth);
    if (this.capture && !this.capture.full) this.capture.add(this.renderTruth(pose, this.captureFrame!), this.depth, pose, this.action7);
    copyPose(pose, this.tickStart);
    this.buttons.jump = this.buttons.interact = false;
  }

  private onFrame(frame: Readonly<RunnerFrame>): void {
    if (this.disposed) return;
    this.frameVersion++;
    this.compositor.setFrame(frame.frame);
    this.compositor.setDepth(frame.depth);
    if (this.model.memory) this.compositor.setMemory(frame.memory);
    if (frame.tick > 0) {
      this.stats.frames++;
      this.stats.memoryMs += frame.memoryMs;
    }
    const event = this.frameEvent;
    event.tick = frame.tick;
    event.frame = frame.frame;
    event.pose = frame.pose;
    event.action = frame.action;
    event.ms = frame.ms;
    event.truth = this.captureTruth ? this.renderTruth(frame.pose, this.truthFrame) : null;
    event.memory = frame.memory;
    event.memoryCoverage = frame.memoryCoverage;
    this.events.emit('frame', event);
  }

  private placeCamera(pose: Readonly<Pose>): void {
    this.camera.position.set(pose.x, pose.y, pose.z);
    this.camera.rotation.set(pose.pitch, pose.yaw, 0, 'YXZ');
    this.camera.updateMatrixWorld();
    this.onBeforeRender?.(this.camera);
  }

  /** Whether the screen no longer shows the current state (the views with ground truth follow the live pose). */
  private changedSinceDraw(): boolean {
    const d = this.drawn;
    const canvas = this.renderer.domElement;
    return d.frame !== this.frameVersion || d.view !== this.view || d.fit !== this.fit || d.overlays !== this.overlaysVisible || d.width !== canvas.width || d.height !== canvas.height || this.view === 'truth' || this.view === 'split';
  }

  private assertLive(method: string): void {
    if (this.disposed) throw new Error(`WorldModelPlugin: ${method}() called after dispose(); create a new plugin.`);
  }
}
