import { NextframeError, SpeculativeScheduler, type Conditioning, type SpeculationConditioning, type SpeculativeSchedulerOptions, type WorldModel } from '../../../worldmodel/index.ts';
import { copyPose, type Pose } from '../../../worldmodel/geometry/Pose.ts';
import { poseAfterAction } from '../../../worldmodel/geometry/poseAfterAction.ts';

/** A world frame and what it was made from. */
export interface RunnerFrame {
  /** 0: the ground-truth start view; n: the model's n-th frame since the last reset. */
  tick: number;
  /** CHW float32 in [−1, 1] at the model's size. */
  frame: Float32Array;
  /** The camera pose the frame shows. */
  pose: Pose;
  /** Proxy depth for that pose: metres, row 0 at the top. */
  depth: Float32Array;
  /** The raw action (model slot order) that led to it. */
  action: Float32Array;
  /** Milliseconds the model took to paint it (0 for ground truth). */
  ms: number;
  /**
   * The spatial-memory stream the model was given for this frame (4·H·W: RGB in [−1, 1], then
   * coverage in {0, 1}; all 0 while memory was off), when the runner kept it (`keepMemory`);
   * null otherwise, for the start view and for models without memory.
   */
  memory: Float32Array | null;
  /**
   * Share of this frame's memory stream that memory covered, in [0, 1] (0 while memory was off);
   * null for the start view and for models without memory.
   */
  memoryCoverage: number | null;
  /** Milliseconds memory took for this frame: rendering it into the view, remembering the result. */
  memoryMs: number;
}

export interface ModelRunnerOptions {
  model: WorldModel;
  /** A new frame is ready (called after `shown` has moved on to it). */
  onFrame?: (frame: Readonly<RunnerFrame>) => void;
  /** The model threw during a step; the runner stops taking ticks. */
  onError?: (error: Error) => void;
  /**
   * Speculative sampling; `{ mode: 'off' }` paints each frame when asked. Default `'auto'` on
   * every backend: the scheduler times the model's runs and chooses off, single- or multi-branch,
   * the candidates, lookahead and budget that fit in the tick (`SpeculationGovernor`), and less
   * while the host reports dropped frames (`reportHostFrame`). A batch costs little more than one
   * frame on WebGPU, so it goes multi-branch there; on WASM a speculated frame costs a whole frame
   * of the CPU the page draws with, so it keeps to what the tick leaves.
   */
  speculation?: SpeculativeSchedulerOptions | 'auto';
  /**
   * Proxy depth at any pose (the host's ray caster). Given, the likeliest speculated frames are
   * painted for the view their assumed actions lead to (pose from `poseAfterAction`, depth from
   * this) instead of the last tick's, so a hit shows, and memory keeps, a frame of the right
   * geometry. Without it every speculated frame is painted for the last tick's view.
   */
  depthAt?: (pose: Readonly<Pose>, out: Float32Array) => Float32Array;
  /**
   * Speculated frames per tick painted for a predicted view, likeliest first; each costs one
   * `depthAt` on the main thread (a 64 × 64 arena ray cast took ~7 ms in Node on the 2-core test
   * machine). Default 3.
   */
  predictedViews?: number;
}

/**
 * The asynchronous pipeline around `WorldModel.step`: at most one step in flight, double
 * buffered, so the caller's loop never waits for the model. `submit` starts a step and returns
 * at once; `shown` is always the newest finished frame with the pose and depth that belong to
 * it. The model itself is the caller's (not disposed here).
 */
export class ModelRunner {
  readonly model: WorldModel;
  /** The newest finished frame. */
  shown: RunnerFrame;
  /** The error the model threw, after which no step is taken. */
  failed: Error | null = null;
  /**
   * Keep a copy of the memory stream each frame was painted with (`RunnerFrame.memory`), for
   * models with spatial memory: one 4·H·W copy per frame, so it is off by default.
   */
  keepMemory = false;
  private pending: RunnerFrame;
  /** Each frame buffer's own memory-stream buffer (models with memory). */
  private readonly memoryBuffers = new Map<RunnerFrame, Float32Array>();
  private inFlight: Promise<void> | null = null;
  /** The speculation run going on while no tick is in flight (a tick waits for it: runs are not interrupted). */
  private speculating: Promise<unknown> = Promise.resolve();
  /**
   * Paints likely next frames between ticks and serves the tick whose action it guessed; only
   * committed frames enter the model's history and memory.
   */
  readonly scheduler: SpeculativeScheduler;
  private generation = 0;
  private ticks = 0;
  private readonly depthAt: ((pose: Readonly<Pose>, out: Float32Array) => Float32Array) | null;
  private readonly predictedViews: number;
  private readonly onFrame: ((frame: Readonly<RunnerFrame>) => void) | undefined;
  private readonly onError: ((error: Error) => void) | undefined;
  private disposed = false;

  constructor(options: ModelRunnerOptions) {
    const { model } = options;
    this.model = model;
    this.onFrame = options.onFrame;
    this.onError = options.onError;
    this.depthAt = options.depthAt ?? null;
    this.predictedViews = options.predictedViews ?? 3;
    if (!Number.isInteger(this.predictedViews) || this.predictedViews < 0) throw new NextframeError('bad-options', `ModelRunner: predictedViews must be a whole number ≥ 0, found ${this.predictedViews}.`);
    const speculation = options.speculation ?? 'auto';
    this.scheduler = new SpeculativeScheduler(model, speculation === 'auto' ? { mode: 'auto' } : speculation);
    this.shown = blankFrame(model);
    this.pending = blankFrame(model);
    if (model.memory) {
      for (const frame of [this.shown, this.pending]) this.memoryBuffers.set(frame, new Float32Array(4 * model.width * model.height));
    }
  }

  /** A step is in flight. */
  get busy(): boolean {
    return this.inFlight !== null;
  }

  /** Frames the model has painted since the last reset. */
  get tick(): number {
    return this.ticks;
  }

  /**
   * Start from K context frames (oldest first) that end at `pose`; the newest becomes the frame
   * shown. Only while no step is in flight (await `idle()` first).
   */
  reset(frames: readonly Float32Array[], pose: Readonly<Pose>, depth: Float32Array): void {
    this.assertLive('reset');
    if (this.busy) throw new NextframeError('not-ready', 'ModelRunner: reset() while a step is in flight; await idle() first.');
    // The newest start frame is the view at `pose`: it seeds the model's spatial memory.
    this.model.reset(frames, undefined, [{ pose: copyPose(pose, { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 }), depth: Float32Array.from(depth) }]);
    this.scheduler.reset();
    this.failed = null;
    this.generation++;
    this.ticks = 0;
    const shown = this.shown;
    shown.tick = 0;
    shown.frame.set(frames[frames.length - 1]!);
    copyPose(pose, shown.pose);
    shown.depth.set(depth);
    shown.action.fill(0);
    shown.ms = 0;
    shown.memory = null;
    shown.memoryCoverage = null;
    shown.memoryMs = 0;
    this.onFrame?.(shown);
  }

  /**
   * Paint the next frame for `action` (raw values, model slot order), taken at `pose` with proxy
   * depth `depth`. Returns false, doing nothing, while a step is in flight or after a failure.
   */
  submit(action: ArrayLike<number>, pose: Readonly<Pose>, depth: Float32Array): boolean {
    this.assertLive('submit');
    if (this.busy || this.failed) return false;
    const next = this.pending;
    next.action.set(action);
    copyPose(pose, next.pose);
    next.depth.set(depth);
    const memory = this.model.memory;
    // Read now: the model decides at the start of the step whether it uses its memory.
    const remembering = memory !== null && this.model.memoryEnabled;
    const generation = this.generation;
    const started = performance.now();
    this.inFlight = this.speculating
      // The model normalises the depth stream and renders its spatial memory for this view.
      .then(() => this.scheduler.advance(next.action, { view: next }))
      .then(
        (result) => {
          if (this.disposed || generation !== this.generation) return;
          next.frame.set(result.frame);
          next.tick = ++this.ticks;
          // A hit took no model time after the action came.
          next.ms = result.hit ? performance.now() - started : this.model.lastStepMs;
          // What the model was given (on a hit, the stream rendered when the frame was speculated).
          next.memoryCoverage = result.memory ? coverageOf(result.memory) : null;
          next.memory = null;
          if (result.memory && this.keepMemory) {
            next.memory = this.memoryBuffers.get(next)!;
            next.memory.set(result.memory);
          }
          next.memoryMs = memory && remembering ? memory.lastRenderMs + memory.lastInsertMs : 0;
          this.pending = this.shown;
          this.shown = next;
          this.onFrame?.(next);
        },
        (error: unknown) => {
          if (this.disposed) return;
          this.failed = error instanceof Error ? error : new NextframeError('step-failed', String(error));
          this.onError?.(this.failed);
        },
      )
      .finally(() => {
        this.inFlight = null;
        if (!this.failed && !this.disposed && generation === this.generation) this.speculate(generation);
      });
    return true;
  }

  /**
   * The host's display frame time, ms (about twice a second): auto speculation gives up room while
   * frames are slower than the host's budget (30 fps), and takes it back when they are not.
   */
  reportHostFrame(frameMs: number): void {
    this.scheduler.governor?.observeHost(frameMs);
  }

  /** Share of ticks served from a frame speculated before they came. */
  get hitRate(): number {
    return this.scheduler.hitRate;
  }

  /**
   * Speculate from the frame just shown, one batched run at a time, while no tick waits. Speculated
   * frames are painted for the views `speculationViews` gives (the next poses are not known yet).
   */
  private speculate(generation: number): void {
    const view = this.speculationViews();
    const loop = async (): Promise<void> => {
      while (!this.inFlight && !this.disposed && !this.failed && generation === this.generation) {
        const frames = await this.scheduler.speculate(view);
        if (frames.length === 0) return;
      }
    };
    // A failed speculation only costs its frames; the tick paints on demand.
    this.speculating = loop().catch(() => undefined);
  }

  /**
   * The views speculation paints for, from the frame just shown: with `depthAt`, the first
   * `predictedViews` paths asked for (the scheduler asks likeliest first) get the view their
   * actions lead to; the rest, and every path without `depthAt`, the shown frame's view.
   */
  private speculationViews(): SpeculationConditioning {
    const shown = { view: { pose: { ...this.shown.pose }, depth: Float32Array.from(this.shown.depth) } };
    const depthAt = this.depthAt;
    // Only models that take a view paint differently for another one.
    if (!depthAt || this.predictedViews === 0 || !this.model.takesView) return shown;
    const { codec, width, height } = this.model;
    const predicted = new Map<string, Conditioning>();
    let left = this.predictedViews;
    return (path) => {
      const key = path.map((bins) => bins.join('.')).join('|');
      const known = predicted.get(key);
      if (known) return known;
      if (left === 0) return shown;
      left--;
      const pose = { ...shown.view.pose };
      // Each assumed action at its bin's centre.
      for (const bins of path) poseAfterAction(pose, codec.toRaw(codec.dequantise(bins)), pose);
      const conditioning = { view: { pose, depth: depthAt(pose, new Float32Array(width * height)) } };
      predicted.set(key, conditioning);
      return conditioning;
    };
  }

  /** Resolves once no step is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    await this.speculating;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Stop reporting frames. A step in flight finishes inside the model; the model stays usable. */
  dispose(): void {
    this.disposed = true;
  }

  private assertLive(method: string): void {
    if (this.disposed) throw new NextframeError('disposed', `ModelRunner: ${method}() called after dispose(); create a new runner.`);
  }
}

/** Share of a memory stream's pixels that memory covered (its coverage channel's mean). */
function coverageOf(stream: Float32Array): number {
  const n = stream.length / 4;
  let covered = 0;
  for (let p = 3 * n; p < 4 * n; p++) covered += stream[p]!;
  return covered / n;
}

function blankFrame(model: WorldModel): RunnerFrame {
  const hw = model.width * model.height;
  return {
    tick: 0,
    frame: new Float32Array(3 * hw),
    pose: { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 },
    depth: new Float32Array(hw),
    action: new Float32Array(model.codec.size),
    ms: 0,
    memory: null,
    memoryCoverage: null,
    memoryMs: 0,
  };
}
