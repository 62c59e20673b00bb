import { ActionCodec, type ActionInput } from './ActionCodec.ts';
import { branchChain, markCommitted, NO_CHAIN } from './branchChain.ts';
import { assertModelIO } from './checkModelIO.ts';
import type { Conditioning, Survey, View } from './Conditioning.ts';
import { DiffusionSampler } from './DiffusionSampler.ts';
import { assertResetDisplays, DisplayPainter } from './DisplayPainter.ts';
import type { DisplayUpsampler } from './DisplayUpsampler.ts';
import { describeValue, NextframeError } from './errors.ts';
import { FrameHistory } from './FrameHistory.ts';
import { assertFrame } from './frames.ts';
import { assertOnnxBytes, loadBytes } from './loadBytes.ts';
import { loadManifest } from './loadManifest.ts';
import { assertModelDigest } from './modelDigest.ts';
import type { ModelManifest } from './manifestSchema.ts';
import { noiseSeed } from './noiseSeed.ts';
import type { SessionFactory } from './ModelSession.ts';
import { OrtSession, type Backend } from './OrtSession.ts';
import { copyFrame, paintBatch, type PaintItem } from './paintBatch.ts';
import { parseManifest } from './parseManifest.ts';
import { SeededRandom } from './SeededRandom.ts';
import { SharedSession } from './SharedSession.ts';
import { SpatialMemory } from './SpatialMemory.ts';
import type { BranchRequest, SpeculatedFrame } from './SpeculatedFrame.ts';
import type { BranchStep } from './writeBranchContext.ts';
import type { WorldModelOptions } from './WorldModelOptions.ts';

export type { Conditioning, Survey, View } from './Conditioning.ts';
export type { BranchRequest, SpeculatedFrame } from './SpeculatedFrame.ts';
export type { WorldModelOptions } from './WorldModelOptions.ts';

/**
 * The world model: a manifest, an ONNX denoiser, a few-step sampler and the frame history.
 * `reset` with K initial frames, then `step(action)` paints each next frame.
 *
 * ```ts
 * const model = await WorldModel.load('/models/arena/');
 * model.reset(initialFrames);
 * const frame = await model.step({ forward: 0.2, yaw: 0.05 });
 * ```
 */
export class WorldModel {
  readonly manifest: ModelManifest;
  readonly codec: ActionCodec;
  /** The sampler settings (method, σ schedule) every run of this model and its forks uses. */
  readonly sampler: DiffusionSampler;
  readonly width: number;
  readonly height: number;
  /** Time the last `step` took, in milliseconds. */
  lastStepMs = 0;
  /**
   * The spatial memory of the frames painted (and given to `reset`) with a `view`, for models
   * with a `memory` stream; otherwise null.
   */
  readonly memory: SpatialMemory | null;
  /** Off: the model gets an empty memory stream (as at the very start), and nothing is remembered. */
  memoryEnabled = true;
  /**
   * Off (a host stepping down to bicubic on a slow device): no display frame is painted, painted
   * frames enter memory without one, and `lastDisplay` is null.
   */
  displayEnabled = true;
  private ticks = 0;
  /** The committed state: a fresh token after reset and step, the frame itself after commit. */
  private head: object = {};
  private readonly shared: SharedSession;
  private readonly options: WorldModelOptions;
  private readonly history: FrameHistory;
  private readonly rng: SeededRandom;
  private seed: number;
  private readonly encodedAction: Float32Array;
  /** Paints the display frames (null without `options.display`). */
  private readonly painter: DisplayPainter | null;
  private disposed = false;

  private constructor(shared: SharedSession, options: WorldModelOptions) {
    const manifest = shared.manifest;
    this.manifest = manifest;
    this.options = options;
    this.shared = shared;
    shared.join();
    this.width = manifest.resolution.width;
    this.height = manifest.resolution.height;
    this.codec = new ActionCodec(manifest.actions);
    this.encodedAction = new Float32Array(this.codec.size);
    this.sampler = new DiffusionSampler(this.shared.sampler);
    this.seed = options.seed ?? 0;
    this.rng = new SeededRandom(this.seed);
    this.history = new FrameHistory({ frames: manifest.contextFrames, frameSize: 3 * this.width * this.height, actionSize: this.codec.size });
    this.painter = options.display ? new DisplayPainter(options.display, manifest, options.memory) : null;
    this.memory = manifest.conditioning.includes('memory')
      ? new SpatialMemory({ width: this.width, height: this.height, ...manifest.camera }, options.display ? { ...options.memory, displayScale: options.display.scale } : options.memory)
      : null;
  }

  /**
   * Load from a model folder (`…/models/arena/`) or its `manifest.json`, by URL or, in Node,
   * by path. The ONNX file named by the manifest is fetched beside it.
   */
  static async load(location: string | URL, options: WorldModelOptions = {}): Promise<WorldModel> {
    const { manifest, url } = await loadManifest(location);
    const modelBytes = await loadBytes(new URL(manifest.modelFile, url), `model file "${manifest.modelFile}"`, options.onProgress);
    // An HTML error page is `not-onnx` (what to fix is the URL), not a damaged download.
    assertOnnxBytes(modelBytes, `model file "${manifest.modelFile}"`);
    await assertModelDigest(manifest, modelBytes, `model file "${manifest.modelFile}"`);
    return WorldModel.fromBytes(manifest, modelBytes, options);
  }

  /** Create from an already-parsed (or raw) manifest and the ONNX bytes. */
  static async fromBytes(manifest: unknown, model: Uint8Array, options: WorldModelOptions = {}): Promise<WorldModel> {
    const parsed = parseManifest(manifest);
    assertOnnxBytes(model, `model file "${parsed.modelFile}"`);
    const session = await (options.createSession ?? OrtSession.create)(model, options);
    try {
      assertModelIO(parsed, session.inputs, session.outputs);
    } catch (error) {
      await session.dispose();
      throw error;
    }
    // Kept (unless onnxruntime's proxy worker took them) so a lost device's session can be made again.
    return new WorldModel(new SharedSession(session, parsed, { ...parsed.sampler, ...options.sampler }, session.proxied ? null : model), options);
  }

  /**
   * Another model on the same ONNX session and manifest (nothing is loaded again), with its own
   * history, spatial memory and noise: for N independent rollouts, e.g. a vector of policy
   * environments, stepped together with `WorldModel.stepMany`. The session is released when the
   * last model sharing it is disposed. The display upsampler is shared too (and stays the caller's).
   */
  fork(options: Pick<WorldModelOptions, 'seed' | 'memory'> = {}): WorldModel {
    this.assertLive();
    // The sampler settings are the shared session's: forks differ only in seed and memory.
    return new WorldModel(this.shared, { ...this.options, ...options });
  }

  /**
   * Paint the next frame of several models that share one session (`fork`), each with its own
   * history, action and conditioning, in one batched model run per denoising step, and commit
   * each to its model: the same as calling `step` on each (same frames, same noise, same memory
   * updates), at the cost of one run. Returns the frames in model order (into `outs` when given).
   */
  static async stepMany(models: readonly WorldModel[], actions: readonly ActionInput[], conditionings: readonly Conditioning[] = [], outs?: readonly Float32Array[]): Promise<Float32Array[]> {
    if (!Array.isArray(models) || models.length === 0) throw new NextframeError('bad-branches', `WorldModel.stepMany: expected a non-empty array of models, found ${describeValue(models)}.`);
    if (actions.length !== models.length || conditionings.length > models.length) {
      throw new NextframeError('bad-branches', `WorldModel.stepMany: expected one action (and at most one conditioning) per model: ${models.length} models, ${actions.length} actions, ${conditionings.length} conditionings.`);
    }
    const first = models[0]!;
    if (new Set(models).size !== models.length) throw new NextframeError('bad-branches', 'WorldModel.stepMany: a model appears twice; each model paints one frame per call.');
    const F = 3 * first.width * first.height;
    models.forEach((m, b) => {
      m.assertLive();
      if (m.shared !== first.shared) throw new NextframeError('bad-branches', 'WorldModel.stepMany: the models must share one session; make them with model.fork().');
      if (!m.history.ready) throw new NextframeError('not-reset', 'WorldModel: call reset(initialFrames) before stepMany().');
      const out = outs?.[b];
      if (out && out.length !== F) throw new NextframeError('bad-frame', `WorldModel.stepMany: output buffer ${b} must hold ${F} values, found ${out.length}.`);
    });
    const started = performance.now();
    const items = models.map((m, b) => m.paintItem(m.codec.encode(actions[b]!, m.encodedAction), conditionings[b] ?? {}, NO_CHAIN, m.rng));
    const frames = await paintBatch(first.shared, items, (item, b) => copyFrame(item.frame, outs?.[b]));
    // Every display first, so a failed one commits nothing.
    for (const [b, m] of models.entries()) await m.paintDisplay(frames[b]!, conditionings[b] ?? {});
    const ms = performance.now() - started;
    models.forEach((m, b) => {
      const conditioning = conditionings[b];
      m.pushPainted(frames[b]!, m.encodedAction, conditioning?.memory ? null : conditioning?.view, m.lastDisplay);
      m.head = {};
      m.lastStepMs = ms;
    });
    return frames;
  }

  /** What paints the display frames (`WorldModelOptions.display`), or null. The caller's: never disposed here. */
  get display(): DisplayUpsampler | null {
    return this.painter?.upsampler ?? null;
  }

  /**
   * The display frame of the last frame painted (`step`, `stepMany`, `commit`): 3·sH·sW, CHW in
   * [−1, 1] (s = `display.scale`); the same buffer every time, overwritten by the next. Null after
   * `reset`, without a display upsampler, or with `displayEnabled` off.
   */
  get lastDisplay(): Float32Array | null {
    return this.painter?.last ?? null;
  }

  /** Milliseconds the last display frame took: memory's display render and the upsampling. */
  get lastDisplayMs(): number {
    return this.painter?.lastMs ?? 0;
  }

  /** Backend the model runs on. */
  get backend(): Backend {
    return this.shared.session.backend;
  }

  /**
   * Make the ONNX session again on WASM, from the bytes it was made from, and go on: history,
   * spatial memory, noise and tick are kept, and every fork moves with it. `createSession` makes
   * the new session (default: the model's own factory, else `OrtSession.create`). For a lost WebGPU
   * device (a run failed with `device-lost`); a step in flight on the old session fails. A display
   * upsampler on WebGPU or on a lost device moves to WASM with it (`createSession` makes its session
   * too when given). Throws `device-lost` when the bytes are gone (onnxruntime's proxy worker took
   * them): load the model again then.
   */
  async switchToWasm(createSession?: SessionFactory): Promise<void> {
    this.assertLive();
    const bytes = this.shared.modelBytes;
    if (!bytes) {
      throw new NextframeError('device-lost', 'WorldModel.switchToWasm: the model bytes were handed to onnxruntime\'s worker, so the session cannot be made again here; load the model again (WorldModel.load).');
    }
    const session = await (createSession ?? this.options.createSession ?? OrtSession.create)(bytes, { ...this.options, device: 'wasm' });
    try {
      assertModelIO(this.manifest, session.inputs, session.outputs);
    } catch (error) {
      await session.dispose();
      throw error;
    }
    this.shared.replace(session);
    // A display upsampler on the lost device (a step fails when it does) moves too, once for every model sharing it.
    const display = this.display;
    if (display?.switchToWasm && (display.deviceLost || display.backend === 'webgpu')) await display.switchToWasm(createSession);
  }

  /** Why the session's device was lost, or null (see `switchToWasm`). */
  get deviceLost(): string | null {
    return this.shared.session.deviceLost;
  }

  /**
   * Test hook: the next runs fail with `device-lost` as after a real WebGPU device loss, so a
   * machine without WebGPU can exercise the recovery (`switchToWasm`, the plug-in's fallback).
   */
  loseDevice(reason?: string): void {
    this.shared.session.loseDevice(reason);
  }

  /** Why the requested device was not used, or `null`. */
  get fallbackReason(): string | null {
    return this.shared.session.fallbackReason;
  }

  /** The model is painted for a view (it declares a memory or depth stream): give `step` `{ view }`. */
  get takesView(): boolean {
    return this.manifest.conditioning.some((c) => c === 'memory' || c === 'depth');
  }

  get contextFrames(): number {
    return this.manifest.contextFrames;
  }

  /**
   * Start from K initial frames (CHW float32 in [−1, 1], oldest first) and, optionally, the
   * actions that led into them and their views (aligned to the newest frames: one view is the
   * newest frame's), which start the spatial memory. Clears the memory and restarts the noise
   * sequence from the seed (`seed`, when given, replaces the model's seed from now on: e.g. one
   * noise sequence per evaluation episode). `displays`: the same frames at display resolution
   * (uint8 RGB HWC as display.npy holds them, or CHW in [−1, 1]), aligned to the newest frames as
   * `views` are; memory keeps them with the frames it remembers (those with a view). For a model
   * with a display upsampler (or `memory.displayScale` > 1); a model without memory ignores them,
   * as it ignores views. `survey`: real views of the scene from before play (e.g. the start turned
   * through evenly spaced headings), remembered as real keyframes older than `views`, so where
   * they overlap the start view wins; with `displays` when the memory keeps display frames.
   */
  reset(
    frames: readonly Float32Array[],
    actions?: readonly ActionInput[],
    views?: readonly View[],
    seed?: number,
    displays?: readonly (Uint8Array | Float32Array)[],
    survey?: Survey,
  ): void {
    this.assertLive();
    if (seed !== undefined) {
      if (!Number.isInteger(seed)) throw new NextframeError('bad-frames', `WorldModel.reset: seed must be an integer, found ${describeValue(seed)}.`);
      this.seed = seed;
    }
    if (!Array.isArray(frames)) throw new NextframeError('bad-frames', `WorldModel: reset expected an array of ${this.contextFrames} frames, found ${describeValue(frames)}.`);
    frames.forEach((frame, i) => assertFrame(frame, this.width, this.height, `WorldModel.reset: frame ${i}`));
    if (views !== undefined && (!Array.isArray(views) || views.length > frames.length)) {
      throw new NextframeError('bad-conditioning', `WorldModel.reset: views must be an array of at most ${frames.length} { pose, depth } (one per frame, aligned to the newest), found ${describeValue(views)}.`);
    }
    if (displays !== undefined) assertResetDisplays(displays, frames.length, this.memory, this.manifest.id);
    this.history.reset(frames, actions?.map((a) => this.codec.encode(a)));
    this.rng.reseed(this.seed);
    this.ticks = 0;
    this.head = {};
    if (this.painter) this.painter.last = null;
    this.memory?.clear();
    if (this.memory && survey && this.memoryEnabled) {
      const n = survey.frames.length;
      if (survey.views.length !== n || (survey.displays && survey.displays.length !== n)) {
        throw new NextframeError('bad-conditioning', `WorldModel.reset: a survey needs one view${survey.displays ? ' and one display frame' : ''} per frame, found ${n} frames, ${survey.views.length} views${survey.displays ? `, ${survey.displays.length} display frames` : ''}.`);
      }
      const newer = views?.length ?? 0;
      survey.frames.forEach((frame, k) => {
        const display = survey.displays?.[k];
        this.memory!.insert(frame, survey.views[k]!.depth, survey.views[k]!.pose, k - n - newer + 1, display ? { display } : {});
      });
    }
    if (this.memory && views && this.memoryEnabled) {
      const first = frames.length - views.length;
      const firstDisplay = frames.length - (displays?.length ?? 0);
      views.forEach((view, i) => {
        const display = displays?.[first + i - firstDisplay];
        this.memory!.insert(frames[first + i]!, view.depth, view.pose, i - views.length + 1, display ? { display } : {});
      });
    }
  }

  /**
   * Paint the next frame for `action` and commit it to the history. Returns the frame
   * (CHW float32 in [−1, 1]) in `out` when given, otherwise in a new array.
   */
  async step(action: ActionInput, conditioning: Conditioning = {}, out?: Float32Array): Promise<Float32Array> {
    this.assertLive();
    if (!this.history.ready) throw new NextframeError('not-reset', 'WorldModel: call reset(initialFrames) before step().');
    const started = performance.now();
    const F = 3 * this.width * this.height;
    if (out && out.length !== F) throw new NextframeError('bad-frame', `WorldModel: the output buffer must hold ${F} values, found ${out.length}.`);
    const encoded = this.codec.encode(action, this.encodedAction);
    const [frame] = await paintBatch(this.shared, [this.paintItem(encoded, conditioning, NO_CHAIN, this.rng)], (item) => copyFrame(item.frame, out));
    await this.paintDisplay(frame!, conditioning);
    this.pushPainted(frame!, encoded, conditioning.memory ? null : conditioning.view, this.lastDisplay);
    this.head = {};
    this.lastStepMs = performance.now() - started;
    return frame!;
  }

  /** Frames committed (by `step` or `commit`) since the last reset. */
  get tick(): number {
    return this.ticks;
  }

  /**
   * Paint several possible next frames in one batched model run (the model's batch dimension),
   * without committing any: speculative sampling. Each branch is an action taken after the
   * committed state or after an uncommitted `parent` (whose chain must lead back to the committed
   * state). Spatial memory is rendered from committed frames only, for the branch's own `view`;
   * nothing enters the history or the memory until `commit`. A branch's starting noise depends
   * only on the seed and the tick it paints, so the same context and action give the same frame
   * whichever branches share the run and whenever it runs.
   */
  async sampleBranches(branches: readonly BranchRequest[]): Promise<SpeculatedFrame[]> {
    this.assertLive();
    if (!this.history.ready) throw new NextframeError('not-reset', 'WorldModel: call reset(initialFrames) before sampleBranches().');
    if (!Array.isArray(branches) || branches.length === 0) throw new NextframeError('bad-branches', `WorldModel.sampleBranches: expected a non-empty array of { action, parent?, conditioning? }, found ${describeValue(branches)}.`);
    const started = performance.now();
    const items: PaintItem[] = [];
    const made = branches.map((branch) => {
      const chain = branchChain(branch.parent ?? null, this.head);
      const encoded = this.codec.encode(branch.action);
      const conditioning = branch.conditioning ?? {};
      const depth = chain.length + 1;
      items.push(this.paintItem(encoded, conditioning, chain, new SeededRandom(noiseSeed(this.seed, this.ticks + depth))));
      // Copied now: the caller may reuse its view buffers while the run is in flight.
      const view = conditioning.view && !conditioning.memory ? { pose: { ...conditioning.view.pose }, depth: Float32Array.from(conditioning.view.depth) } : null;
      return { encoded, key: this.codec.key(branch.action), depth, parent: branch.parent ?? null, view, after: branch.parent ?? this.head };
    });
    const painted = await paintBatch(this.shared, items, (item) => ({ memory: item.memory?.slice() ?? null, frame: item.frame.slice() }));
    this.lastStepMs = performance.now() - started;
    return made.map((m, b) => ({ ...m, ...painted[b]! }));
  }

  /**
   * Make a speculated frame the next frame: it enters the history and (with a view, for models
   * with memory) spatial memory, remembered at `view` when given (the view the player really
   * reached), else at the view it was painted for. Only a frame painted on the current committed
   * state (or whose parent was the last frame committed) fits; any other is refused. With a display
   * upsampler its display frame is painted now (`lastDisplay`), from memory of that view before the
   * frame enters it, as `step` does: speculated frames never shown cost no upsampling.
   */
  async commit(speculated: SpeculatedFrame, view?: View): Promise<void> {
    this.assertCommittable(speculated);
    const at = view ?? speculated.view;
    await this.paintDisplay(speculated.frame, at ? { view: at } : {});
    // A reset, step or other commit may have come while the display frame was painted.
    this.assertCommittable(speculated);
    this.pushPainted(speculated.frame, speculated.encoded, at, this.lastDisplay);
    this.head = speculated;
    markCommitted(speculated);
  }

  /**
   * Free the ORT session (once no fork uses it any more). The model cannot be used afterwards.
   * The display upsampler is not disposed: whoever made it disposes it, after every model using it.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.shared.leave();
  }

  /** This model's item of a batched run (`paintBatch`): its history, and its memory only while memory is on. */
  private paintItem(encoded: Float32Array, conditioning: Conditioning, chain: readonly BranchStep[], noise: SeededRandom): PaintItem {
    return { history: this.history, memory: this.memoryEnabled ? this.memory : null, encoded, conditioning, chain, noise };
  }

  /**
   * A painted frame becomes the newest one: into the history and, seen from `view`, into spatial
   * memory as painted (it ranks below what it was painted over), with its display frame when one
   * was painted. `step`, `stepMany` and `commit` all end here, so they cannot drift apart.
   */
  private pushPainted(frame: Float32Array, encoded: Float32Array, view: View | null | undefined, display: Float32Array | null): void {
    this.history.push(frame, encoded);
    this.ticks++;
    if (this.memory && this.memoryEnabled && view) {
      this.memory.insert(frame, view.depth, view.pose, this.ticks, display && this.memory.options.displayScale > 1 ? { painted: true, display } : { painted: true });
    }
  }

  /**
   * The display frame of a just-painted frame (`lastDisplay`), before the frame is remembered, from
   * the memory that made its memory stream (see `DisplayPainter.paint`). Nothing runs without an
   * upsampler or with it off.
   */
  private async paintDisplay(frame: Float32Array, conditioning: Conditioning): Promise<void> {
    if (!this.painter) return;
    this.painter.last = null;
    if (this.displayEnabled) await this.painter.paint(frame, conditioning, this.memoryEnabled ? this.memory : null);
  }

  /** `commit`'s checks: a live, reset model whose committed state `speculated` continues. */
  private assertCommittable(speculated: SpeculatedFrame): void {
    this.assertLive();
    if (!this.history.ready) throw new NextframeError('not-reset', 'WorldModel: call reset(initialFrames) before commit().');
    if (speculated.after !== this.head) {
      throw new NextframeError('stale-branch', `WorldModel.commit: frame "${speculated.key}" (depth ${speculated.depth}) was painted on a state that is not the committed one; only frames that continue the last committed frame can be committed.`);
    }
  }

  private assertLive(): void {
    if (this.disposed) throw new NextframeError('disposed', 'WorldModel: used after dispose(). Load the model again.');
  }
}
