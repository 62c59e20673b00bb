import { DEFAULT_EYE_HEIGHT } from '../../../worldmodel/dataset/episode.ts';
import { actionFromPoses, copyPose, NextframeError, type Pose, type SpeculativeSchedulerOptions, type Survey, type WorldModel } from '../../../worldmodel/index.ts';
import { CharacterController, IDLE_INTENT, type CharacterControllerOptions, type Intent } from '../physics/CharacterController.ts';
import type { PhysicsWorld } from '../physics/PhysicsWorld.ts';
import { ProxyDepth } from '../physics/ProxyDepth.ts';
import type { SpawnPoint } from '../scene/spawnPose.ts';
import { EpisodeCapture } from './EpisodeCapture.ts';
import { modelActionSlots, toModelAction } from './modelActionSlots.ts';
import { ModelRunner, type DisplayPolicy, type RunnerFrame } from './ModelRunner.ts';
import type { DisplayEvent, MemoryState, StatsEvent } from './pluginEvents.ts';
import type { SceneIdentity } from './sceneMismatch.ts';
import { StatsWindow } from './StatsWindow.ts';
import { surveyHeadings } from './surveyHeadings.ts';
import { TickClock } from './TickClock.ts';
import { TurnLimiter } from './TurnLimiter.ts';

/** Proxy depth renders whose colliders are kept for memory's object colours (`ProxyDepth.keepObjects`). */
const PROXY_OBJECT_MAPS = 32;

/** Where the player's intent comes from each display frame: `PlayerInput` on a canvas, or a script. */
export interface IntentSource {
  /** Fill `intent` and add this frame's mouse/stick turn (radians) to `lookDelta`. */
  read(intent: Intent, lookDelta: { yaw: number; pitch: number }): Intent;
  /** Throw presses since the last call. */
  consumeThrows(): number;
}

export interface PlayerLoopOptions {
  /** A loaded world model; it stays the caller's. */
  model: WorldModel;
  /** The physics world whose static colliders are the proxy geometry; it stays the caller's. */
  physics: PhysicsWorld;
  /** Where the player starts (feet on the floor). */
  spawn: SpawnPoint;
  character?: CharacterControllerOptions;
  /**
   * The ground-truth view at a pose, CHW float32 in [−1, 1] at the model's size, written into
   * `out`: it starts the model (all K context frames) and is what record mode keeps each tick.
   */
  renderTruth: (pose: Readonly<Pose>, out: Float32Array) => Float32Array;
  /**
   * The ground-truth view at a pose at display size too, for a model with a display upsampler: the
   * model frame into `out` and the display frame (HWC RGB bytes, the model's size × the upsampler's
   * scale) into `display`, from one render. It starts the model in place of `renderTruth` (memory
   * keeps the display frame, the screen shows it); without it the start view has none.
   */
  renderDisplayTruth?: (pose: Readonly<Pose>, out: Float32Array, display: Uint8Array) => Float32Array;
  /** Read once per `update`; null: set `intent` yourself. */
  input?: IntentSource | null;
  /** Called once per throw press the input reports. */
  onThrow?: () => void;
  /** A new world frame (after the runner's `shown` moved on to it). */
  onFrame?: (frame: Readonly<RunnerFrame>) => void;
  /** The model threw; the loop stops taking ticks. */
  onError?: (error: Error) => void;
  /** Speculative sampling (`ModelRunner`'s); default `'auto'`. */
  speculation?: SpeculativeSchedulerOptions | 'auto';
  /** Display frames of a model with a display upsampler (`ModelRunner`'s); default `'auto'`. */
  display?: DisplayPolicy;
  /** The display stepped down to bicubic or back up. */
  onDisplayChange?: (event: DisplayEvent) => void;
  /** The scene being played: record mode's scene id and hash. Default id `scene`. */
  world?: SceneIdentity;
  /**
   * Walk the site first: at every (re)start, before the first tick, render the ground truth from
   * the start position turned through `headings` evenly spaced headings (level; the start view is
   * the first) and give them to a model with spatial memory as real views of the scene, so what
   * is all around the player is remembered rather than painted when it first comes into view.
   * `headings` − 1 extra truth renders at each start; a model without memory ignores it. Default
   * none.
   */
  survey?: { headings: number } | null;
}

/**
 * The game loop of a world-model game without the drawing: input → physics → action → model
 * tick. Each `update(dt)` reads the input, steps physics at a fixed 1/60 s (turns limited to
 * what the model learned), and when a tick's steps are done turns the camera's motion into the
 * model's action and hands it, with the proxy depth of the new view, to the model without
 * waiting. No three.js and no DOM: it runs in Node with Rapier (the policy sandbox and tests do),
 * and `WorldModelPlugin` is this loop plus the Three.js side. Owns the character, the model
 * runner and record mode; the model, physics world and input stay the caller's. `dispose()`.
 */
export class PlayerLoop {
  readonly model: WorldModel;
  readonly physics: PhysicsWorld;
  readonly character: CharacterController;
  readonly clock: TickClock;
  readonly runner: ModelRunner;
  readonly proxyDepth: ProxyDepth;
  /** Sums for the `stats` event; the host adds its `updates`, `draws` and `updateMs`. */
  readonly stats = new StatsWindow();
  readonly input: IntentSource | null;
  /** The intent used while there is no input: set it yourself. */
  intent: Intent = { ...IDLE_INTENT };
  /** Physics and world frames stop. */
  paused = false;
  /** Keep the memory stream of each world frame (`RunnerFrame.memory`). */
  keepMemory = false;

  private readonly eyeHeight: number;
  /** Headings of the survey at each start (the start view one of them); 0: none. */
  private readonly surveyHeadings: number;
  private readonly renderTruth: (pose: Readonly<Pose>, out: Float32Array) => Float32Array;
  private readonly renderDisplayTruth: ((pose: Readonly<Pose>, out: Float32Array, display: Uint8Array) => Float32Array) | null;
  private readonly onThrow: (() => void) | undefined;
  private readonly world: SceneIdentity | undefined;
  private readonly limiter: TurnLimiter;
  private readonly slots: Int32Array;
  private capture: EpisodeCapture | null = null;
  private started = false;
  private restarting: Promise<void> | null = null;
  private disposed = false;

  // Per-tick scratch, allocated once.
  private readonly stepIntent: Intent = { ...IDLE_INTENT };
  private readonly look = { yaw: 0, pitch: 0 };
  private readonly tickStart: Pose = { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 };
  private readonly buttons = { jump: false, interact: false };
  private readonly action7 = new Float32Array(7);
  private readonly modelAction: Float32Array;
  private readonly depth: Float32Array;
  private readonly truthFrame: Float32Array;
  /** The start view at display size (models with a display upsampler). */
  private truthDisplay: Uint8Array | null = null;
  private captureFrame: Float32Array | null = null;
  private captureDepth: Float32Array | null = null;
  private readonly handler = {
    step: (dt: number): void => this.physicsStep(dt),
    ready: (): boolean => !this.runner.busy && !this.runner.failed,
    tick: (): void => this.submitTick(),
  };

  constructor(options: PlayerLoopOptions) {
    const { model, physics } = options;
    const { manifest, width, height } = model;
    this.model = model;
    this.physics = physics;
    this.renderTruth = options.renderTruth;
    this.renderDisplayTruth = options.renderDisplayTruth ?? null;
    this.onThrow = options.onThrow;
    this.world = options.world;
    this.input = options.input ?? null;
    this.slots = modelActionSlots(manifest);
    this.modelAction = new Float32Array(manifest.actions.length);
    this.depth = new Float32Array(width * height);
    this.truthFrame = new Float32Array(3 * width * height);
    this.eyeHeight = options.character?.eyeHeight ?? DEFAULT_EYE_HEIGHT;
    const headings = options.survey?.headings ?? 0;
    if (options.survey && !(Number.isInteger(headings) && headings >= 2)) {
      throw new NextframeError('bad-options', `PlayerLoop: survey.headings must be an integer ≥ 2 (the start view is one of them), found ${headings}.`);
    }
    this.surveyHeadings = headings;
    this.character = new CharacterController(physics, options.spawn, options.character);
    // The colliders behind the last renders' pixels are kept, so memory can colour a side of an
    // object no real view held with the colour of the sides one did (SpatialMemory.objectPrior):
    // a tick renders its own view and a few speculated ones, and the survey 8 before they are used.
    this.proxyDepth = new ProxyDepth(physics, { width, height, camera: { ...manifest.camera, aspect: width / height }, keepObjects: PROXY_OBJECT_MAPS });
    if (model.memory) model.memory.objectsOf = (depth) => this.proxyDepth.objectsOf(depth);
    this.clock = new TickClock({ tickHz: manifest.tickHz });
    // Turns faster than the model's action scale would be clipped by its codec: spread them instead.
    const scaleOf = (name: string): number => manifest.actions.find((s) => s.name === name)?.scale ?? Number.POSITIVE_INFINITY;
    this.limiter = new TurnLimiter({ maxYawPerTick: scaleOf('yaw'), maxPitchPerTick: scaleOf('pitch'), stepsPerTick: this.clock.stepsPerTick });
    const onFrame = options.onFrame;
    this.runner = new ModelRunner({
      model,
      onFrame: (frame) => {
        if (this.disposed) return;
        if (frame.tick > 0) {
          this.stats.frames++;
          this.stats.memoryMs += frame.memoryMs;
          if (frame.display) {
            this.stats.displayFrames++;
            this.stats.displayMs += frame.displayMs;
          }
        }
        onFrame?.(frame);
      },
      onError: (error) => options.onError?.(error),
      // Speculated frames are painted for the view their guessed actions lead to.
      depthAt: (pose, out) => this.proxyDepth.render(pose, out),
      ...(options.speculation ? { speculation: options.speculation } : {}),
      ...(options.display ? { display: options.display } : {}),
      ...(options.onDisplayChange ? { onDisplayChange: options.onDisplayChange } : {}),
    });
  }

  /**
   * Let `dt` seconds of real time pass: read input, step physics, hand finished ticks to the
   * model. Starts the model from the ground-truth view on the first call. Never waits.
   */
  update(dt: number): void {
    this.assertLive('update');
    if (!this.started) this.start();
    if (this.paused || this.restarting || this.runner.failed) return;
    const started = performance.now();
    if (this.input) {
      this.input.read(this.intent, this.look);
      this.limiter.add(this.look.yaw, this.look.pitch);
      this.look.yaw = this.look.pitch = 0;
      for (let n = this.input.consumeThrows(); n > 0; n--) this.onThrow?.();
    }
    this.clock.advance(Number.isFinite(dt) ? dt : 0, this.handler);
    this.stats.physicsMs += performance.now() - started;
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

  /** `none` (the model has no memory), `on` or `off`. */
  get memoryState(): MemoryState {
    return this.model.memory === null ? 'none' : this.model.memoryEnabled ? 'on' : 'off';
  }

  /**
   * The stats event when its window (about half a second) is over, else null. `now` is
   * `performance.now()` at the start of the host's update.
   */
  report(now: number): StatsEvent | null {
    const shown = this.runner.shown;
    const memory = this.model.memory;
    const scheduler = this.runner.scheduler;
    return this.stats.report(
      now,
      {
        tickHz: this.clock.tickHz,
        modelMs: shown.ms || this.model.lastStepMs,
        backend: this.model.backend,
        ticks: this.runner.tick,
        memoryState: this.memoryState,
        memoryCoverage: memory ? shown.memoryCoverage : null,
        memoryKeyframes: memory ? memory.size : null,
        speculationHitRate: (scheduler.mode !== 'off' || scheduler.governor) && scheduler.stats.ticks > 0 ? this.runner.hitRate : null,
        speculationMode: scheduler.mode,
        speculationAuto: scheduler.governor !== null,
        speculationBranches: scheduler.mode === 'multi' ? scheduler.branches : scheduler.mode === 'single' ? 1 : 0,
        speculationLookahead: scheduler.mode === 'off' ? 0 : scheduler.lookahead,
        display: this.runner.displayKind,
        displaySteppedDown: this.runner.displaySteppedDown,
        // What a screen would show: the display frame while the frame shown has one, else the model's frame.
        displayWidth: shown.display ? this.runner.displaySize!.width : this.model.width,
        displayHeight: shown.display ? this.runner.displaySize!.height : this.model.height,
      },
      this.proxyDepth.lastMs,
      shown.memoryMs,
    );
  }

  /**
   * Record mode: from now on every tick's ground-truth view, proxy depth, pose and action are kept
   * as an episode in the dataset format, starting with the current view. Costs one ground-truth
   * render per tick.
   */
  startRecording(options: { seed?: number; maxTicks?: number; policy?: string } = {}): EpisodeCapture {
    this.assertLive('startRecording');
    const m = this.model.manifest;
    const { width, height } = m.resolution;
    const capture = new EpisodeCapture({ width, height, tickHz: m.tickHz, eyeHeight: this.eyeHeight, camera: m.camera, scene: this.world ?? { id: 'scene' }, ...options });
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

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Stop the runner and free the character (the physics world, model and input stay the caller's). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.runner.dispose();
    if (!this.physics.isDisposed) this.character.dispose();
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
    // With a display upsampler one render gives the start view at both sizes.
    const size = this.runner.displaySize;
    const display = size && this.renderDisplayTruth && this.runner.wantsDisplayTruth ? (this.truthDisplay ??= new Uint8Array(3 * size.width * size.height)) : null;
    if (display) this.renderDisplayTruth!(pose, this.truthFrame, display);
    else this.renderTruth(pose, this.truthFrame);
    const frames = Array.from({ length: this.model.contextFrames }, () => this.truthFrame);
    this.clock.reset();
    this.limiter.clear();
    this.buttons.jump = this.buttons.interact = false;
    this.runner.reset(frames, pose, this.depth, display ?? undefined, this.survey(pose, display !== null));
  }

  /** The survey's real views around `pose` (the start view left out: reset remembers it), or undefined. */
  private survey(pose: Readonly<Pose>, withDisplay: boolean): Survey | undefined {
    if (this.surveyHeadings === 0 || !this.model.memory || !this.model.memoryEnabled) return undefined;
    const size = withDisplay ? this.runner.displaySize : null;
    const n = this.model.width * this.model.height;
    const survey: Survey = { frames: [], views: [] };
    if (size) survey.displays = [];
    for (const at of surveyHeadings(pose, this.surveyHeadings)) {
      const frame = new Float32Array(3 * n);
      if (size) {
        const display = new Uint8Array(3 * size.width * size.height);
        this.renderDisplayTruth!(at, frame, display);
        survey.displays!.push(display);
      } else {
        this.renderTruth(at, frame);
      }
      survey.frames.push(frame);
      survey.views.push({ pose: at, depth: this.proxyDepth.render(at) });
    }
    return survey;
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
    toModelAction(this.action7, this.slots, this.modelAction);
    const t0 = performance.now();
    this.proxyDepth.render(pose, this.depth);
    this.stats.depthMs += performance.now() - t0;
    this.runner.keepMemory = this.keepMemory;
    this.runner.submit(this.modelAction, pose, this.depth);
    if (this.capture && !this.capture.full) this.capture.add(this.renderTruth(pose, this.captureFrame!), this.depth, pose, this.action7);
    copyPose(pose, this.tickStart);
    this.buttons.jump = this.buttons.interact = false;
  }

  private assertLive(method: string): void {
    if (this.disposed) throw new NextframeError('disposed', `PlayerLoop: ${method}() called after dispose(); create a new one.`);
  }
}
