import { NextframeError, rgbToFrame, SpeculativeScheduler, type Conditioning, type SpeculationConditioning, type SpeculativeSchedulerOptions, type Survey, type WorldModel } from '../../../worldmodel/index.ts';
import { copyPose, type Pose } from '../../../worldmodel/geometry/Pose.ts';
import { poseAfterAction } from '../../../worldmodel/geometry/poseAfterAction.ts';
import { DisplayGovernor, type DisplayGovernorOptions } from './DisplayGovernor.ts';
import type { DisplayEvent } from './pluginEvents.ts';

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
  /**
   * The frame at display resolution (3·sH·sW, CHW in [−1, 1], s the display upsampler's scale): the
   * model's display frame, or for the start view its ground truth at display size; null without a
   * display upsampler, while stepped down to bicubic, or when none was made.
   */
  display: Float32Array | null;
  /** Milliseconds the display frame took (memory's display render and the upsampling); 0 without one. */
  displayMs: number;
}

/**
 * What the screen shows of a model with a display upsampler (`WorldModelOptions.display`): `auto`
 * its display frames, stepping down to bicubic (no display frame made; the compositor stretches the
 * model's frame) when the model's frame and the display frame stop fitting in the tick and back up
 * when there is room (`DisplayGovernor`; `{ mode: 'auto', governor }` tunes it); `learned` always
 * its display frames; `bicubic` never.
 */
export type DisplayPolicy = 'auto' | 'learned' | 'bicubic' | { mode: 'auto'; governor?: Partial<Omit<DisplayGovernorOptions, 'tickMs'>> };

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
  /** Display frames of a model with a display upsampler. Default `auto`. */
  display?: DisplayPolicy;
  /** The display stepped down to bicubic or back up (`auto`). */
  onDisplayChange?: (event: DisplayEvent) => void;
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
  private readonly onDisplayChange: ((event: DisplayEvent) => void) | undefined;
  /** Auto display: steps the display down to bicubic when a tick would overrun; null otherwise. */
  readonly displayGovernor: DisplayGovernor | null;
  /** The display policy in use (`auto` for a tuned one); `bicubic` for a model without a display upsampler. */
  readonly displayPolicy: 'auto' | 'learned' | 'bicubic';
  /** Each frame buffer's own display-frame buffer (models with a display upsampler). */
  private readonly displayBuffers = new Map<RunnerFrame, Float32Array>();
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
    this.onDisplayChange = options.onDisplayChange;
    const display = options.display ?? 'auto';
    const policy = typeof display === 'object' ? display.mode : display;
    if (policy !== 'auto' && policy !== 'learned' && policy !== 'bicubic') {
      throw new NextframeError('bad-options', `ModelRunner: display must be 'auto', 'learned', 'bicubic' or { mode: 'auto', governor }, found ${JSON.stringify(display)}.`);
    }
    const upsampler = model.display;
    this.displayPolicy = upsampler ? policy : 'bicubic';
    this.displayGovernor = upsampler && policy === 'auto' ? new DisplayGovernor({ tickMs: 1000 / model.manifest.tickHz, ...(typeof display === 'object' ? display.governor : {}) }) : null;
    if (upsampler) {
      model.displayEnabled = policy !== 'bicubic';
      const size = 3 * model.width * model.height * upsampler.scale * upsampler.scale;
      for (const frame of [this.shown, this.pending]) this.displayBuffers.set(frame, new Float32Array(size));
    }
  }

  /**
   * The display frames of the frames painted now: `learned` (a learned upsampler's) or `bicubic`
   * (the model's frame stretched bicubically: no display upsampler, the policy says so, or auto
   * stepped down; or a `BicubicUpsampler`'s frames).
   */
  get displayKind(): 'learned' | 'bicubic' {
    const upsampler = this.model.display;
    return upsampler && this.model.displayEnabled ? upsampler.kind : 'bicubic';
  }

  /** Auto display stepped down to bicubic because the model's frame and the display frame no longer fit in a tick. */
  get displaySteppedDown(): boolean {
    return this.displayGovernor?.steppedDown ?? false;
  }

  /** The size of display frames (the model's × the upsampler's scale), or null without a display upsampler. */
  get displaySize(): { width: number; height: number } | null {
    const upsampler = this.model.display;
    return upsampler ? { width: this.model.width * upsampler.scale, height: this.model.height * upsampler.scale } : null;
  }

  /** The start view wants its ground truth at display size too (a display upsampler, not held at bicubic). */
  get wantsDisplayTruth(): boolean {
    return this.displayPolicy !== 'bicubic';
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
   * shown. `display`: the newest frame at display size (HWC RGB bytes, as `TruthCapture` reads it),
   * for a model with a display upsampler: memory keeps it, and it is shown. Only while no step is in
   * flight (await `idle()` first).
   */
  reset(frames: readonly Float32Array[], pose: Readonly<Pose>, depth: Float32Array, display?: Uint8Array, survey?: Survey): void {
    this.assertLive('reset');
    if (this.busy) throw new NextframeError('not-ready', 'ModelRunner: reset() while a step is in flight; await idle() first.');
    const size = this.displaySize;
    if (display && (!size || display.length !== 3 * size.width * size.height)) {
      throw new NextframeError('bad-frame', size
        ? `ModelRunner.reset: the display frame must be ${size.width} × ${size.height} RGB bytes (${3 * size.width * size.height}), found ${display.length}.`
        : `ModelRunner.reset: a display frame was given, but model "${this.model.manifest.id}" has no display upsampler; leave it out.`);
    }
    // The newest start frame is the view at `pose`: it seeds the model's spatial memory, after the
    // survey's real views when there is one.
    this.model.reset(frames, undefined, [{ pose: copyPose(pose, { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 }), depth: Float32Array.from(depth) }], undefined, display ? [display] : undefined, survey);
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
    shown.display = display && size ? rgbToFrame(display, size.width, size.height, this.displayBuffers.get(shown)!) : null;
    shown.displayMs = 0;
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
          // Null when none was painted (no upsampler, or display frames off): the bicubic stretch shows.
          const display = this.model.lastDisplay;
          next.display = null;
          if (display) {
            next.display = this.displayBuffers.get(next)!;
            next.display.set(display);
          }
          next.displayMs = display ? this.model.lastDisplayMs : 0;
          this.observeDisplay(next);
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

  /**
   * Auto display, once a tick: the model's frame (what one costs on the device now: the
   * speculation governor's estimate, else the last run) and this tick's display frame against the
   * tick; stepping down turns the model's display frames off from the next tick, stepping up on.
   */
  private observeDisplay(frame: RunnerFrame): void {
    const governor = this.displayGovernor;
    if (!governor) return;
    const modelMs = this.scheduler.governor?.estimateMs(1) || this.model.lastStepMs;
    const on = governor.observe(modelMs, frame.display ? frame.displayMs : null);
    if (on === this.model.displayEnabled) return;
    this.model.displayEnabled = on;
    this.onDisplayChange?.({
      display: on ? this.displayKind : 'bicubic',
      steppedDown: !on,
      modelMs,
      displayMs: frame.display ? frame.displayMs : governor.estimateDisplayMs(modelMs),
      budgetMs: governor.budgetMs,
      tick: frame.tick,
    });
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
    display: null,
    displayMs: 0,
  };
}
