import { ActionCodec, type ActionInput } from './ActionCodec.ts';
import { assertModelIO } from './checkModelIO.ts';
import { assertView, checkStream, normaliseDepth, type Conditioning, type View } from './Conditioning.ts';
import { DiffusionSampler } from './DiffusionSampler.ts';
import { describeValue, NextframeError } from './errors.ts';
import { FrameHistory } from './FrameHistory.ts';
import { assertFrame } from './frames.ts';
import { assertOnnxBytes, loadBytes, resolveLocation, type ProgressCallback } from './loadBytes.ts';
import type { ModelManifest, SamplerDefaults } from './manifestSchema.ts';
import { OrtSession, type Backend, type Feed, type OrtSessionOptions } from './OrtSession.ts';
import { parseManifest } from './parseManifest.ts';
import { SeededRandom } from './SeededRandom.ts';
import { SpatialMemory, type SpatialMemoryOptions } from './SpatialMemory.ts';
import type { BranchRequest, SpeculatedFrame } from './SpeculatedFrame.ts';
import { warpFrame } from './warpFrame.ts';
import { writeBranchContext } from './writeBranchContext.ts';

export type { Conditioning, View } from './Conditioning.ts';
export type { BranchRequest, SpeculatedFrame } from './SpeculatedFrame.ts';

export interface WorldModelOptions extends OrtSessionOptions {
  /** Seed of the sampling noise; the same seed and inputs give the same frames. Default 0. */
  seed?: number;
  /** Override the manifest's sampler defaults (e.g. fewer steps on a slow device). */
  sampler?: Partial<Pick<SamplerDefaults, 'method' | 'steps'>>;
  /** Download progress of the manifest and model bytes. */
  onProgress?: ProgressCallback;
  /** Settings of the spatial memory kept for models with a `memory` stream. */
  memory?: Partial<SpatialMemoryOptions>;
}

/** What forks of one model share: the ORT session (released with its last user) and batched-run buffers for `stepMany`. */
interface SharedSession {
  session: OrtSession;
  users: number;
  /** `stepMany` buffers by batch size. */
  batches: Map<number, StepManyBatch>;
}

/** Feeds, sampler scratch and output of one `stepMany` batch size. */
interface StepManyBatch {
  feeds: Record<string, Feed>;
  sampler: DiffusionSampler;
  out: Float32Array;
  base: Float32Array | null;
}

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
  private ticks = 0;
  /** The committed state: a fresh token after reset and step, the frame itself after commit. */
  private head: object = {};
  private readonly batchFeeds = new Map<number, Record<string, Feed>>();
  private baseBuffer: Float32Array | null = null;
  private readonly session: OrtSession;
  private readonly shared: SharedSession;
  private readonly options: WorldModelOptions;
  private readonly history: FrameHistory;
  private readonly rng: SeededRandom;
  private seed: number;
  private readonly feeds: Record<string, Feed>;
  private readonly sigmaFeed = new Float32Array(1);
  private readonly encodedAction: Float32Array;
  private disposed = false;

  private constructor(manifest: ModelManifest, session: OrtSession, options: WorldModelOptions, shared?: SharedSession) {
    this.manifest = manifest;
    this.session = session;
    this.options = options;
    this.shared = shared ?? { session, users: 0, batches: new Map() };
    this.shared.users++;
    this.width = manifest.resolution.width;
    this.height = manifest.resolution.height;
    this.codec = new ActionCodec(manifest.actions);
    this.encodedAction = new Float32Array(this.codec.size);
    this.sampler = new DiffusionSampler({ ...manifest.sampler, ...options.sampler });
    this.seed = options.seed ?? 0;
    this.rng = new SeededRandom(this.seed);
    const K = manifest.contextFrames;
    const HW = this.width * this.height;
    this.history = new FrameHistory({ frames: K, frameSize: 3 * HW, actionSize: this.codec.size });
    // Feed buffers are allocated once; each step writes into them.
    const dims = (c: number): number[] => [1, c, this.height, this.width];
    this.feeds = {
      sigma: { data: this.sigmaFeed, dims: [1] },
      context: { data: new Float32Array(K * 3 * HW), dims: dims(K * 3) },
      actions: { data: new Float32Array(K * this.codec.size), dims: [1, K, this.codec.size] },
    };
    if (manifest.conditioning.includes('memory')) this.feeds.memory = { data: new Float32Array(4 * HW), dims: dims(4) };
    this.memory = manifest.conditioning.includes('memory')
      ? new SpatialMemory({ width: this.width, height: this.height, ...manifest.camera }, options.memory)
      : null;
    if (manifest.conditioning.includes('depth')) this.feeds.depth = { data: new Float32Array(HW), dims: dims(1) };
  }

  /**
   * Load from a model folder (`…/models/arena/`) or its `manifest.json`, by URL or, in Node,
   * by path. The ONNX file named by the manifest is fetched beside it.
   */
  static async load(location: string | URL, options: WorldModelOptions = {}): Promise<WorldModel> {
    let url = await resolveLocation(location);
    if (!url.pathname.endsWith('.json')) url = new URL(url.pathname.endsWith('/') ? 'manifest.json' : `${url.pathname.split('/').pop()}/manifest.json`, url);
    const manifestBytes = await loadBytes(url, 'manifest.json');
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder().decode(manifestBytes));
    } catch (error) {
      throw new NextframeError('manifest-invalid', `WorldModel: ${url.href} is not JSON (${String(error)}). Expected a manifest.json written by \`npx nextframe export\`.`, { cause: error });
    }
    const manifest = parseManifest(raw, url.href);
    const modelBytes = await loadBytes(new URL(manifest.modelFile, url), `model file "${manifest.modelFile}"`, options.onProgress);
    return WorldModel.fromBytes(manifest, modelBytes, options);
  }

  /** Create from an already-parsed (or raw) manifest and the ONNX bytes. */
  static async fromBytes(manifest: unknown, model: Uint8Array, options: WorldModelOptions = {}): Promise<WorldModel> {
    const parsed = parseManifest(manifest);
    assertOnnxBytes(model, `model file "${parsed.modelFile}"`);
    const session = await OrtSession.create(model, options);
    try {
      assertModelIO(parsed, session.inputs, session.outputs);
    } catch (error) {
      await session.dispose();
      throw error;
    }
    return new WorldModel(parsed, session, options);
  }

  /**
   * Another model on the same ONNX session and manifest (nothing is loaded again), with its own
   * history, spatial memory and noise: for N independent rollouts, e.g. a vector of policy
   * environments, stepped together with `WorldModel.stepMany`. The session is released when the
   * last model sharing it is disposed.
   */
  fork(options: Pick<WorldModelOptions, 'seed' | 'memory'> = {}): WorldModel {
    this.assertLive();
    return new WorldModel(this.manifest, this.session, { ...this.options, ...options }, this.shared);
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
    for (const m of models) {
      m.assertLive();
      if (m.shared !== first.shared) throw new NextframeError('bad-branches', 'WorldModel.stepMany: the models must share one session; make them with model.fork().');
      if (!m.history.ready) throw new NextframeError('not-reset', 'WorldModel: call reset(initialFrames) before stepMany().');
      if (m.sampler.method !== first.sampler.method || m.sampler.sigmas.join() !== first.sampler.sigmas.join()) {
        throw new NextframeError('bad-branches', 'WorldModel.stepMany: the models must use the same sampler settings (method and steps).');
      }
    }
    const started = performance.now();
    const B = models.length;
    const { width: W, height: H } = first;
    const HW = W * H;
    const F = 3 * HW;
    const K = first.contextFrames;
    const A = first.codec.size;
    const batch = first.batchForStepMany(B);
    const { feeds, out, base } = batch;
    models.forEach((m, b) => {
      const encoded = m.codec.encode(actions[b]!, m.encodedAction);
      const context = feeds.context!.data.subarray(b * K * F, (b + 1) * K * F); // (K·3, H, W) of item b
      const memory = feeds.memory?.data.subarray(b * 4 * HW, (b + 1) * 4 * HW);
      m.writeConditioning(conditionings[b] ?? {}, memory, feeds.depth?.data.subarray(b * HW, (b + 1) * HW));
      m.history.writeContext(context);
      m.history.writeActions(encoded, feeds.actions!.data.subarray(b * K * A, (b + 1) * K * A));
      if (base) m.writeStartImage(context, memory, base.subarray(b * F, (b + 1) * F));
    });
    const sigmas = feeds.sigma!.data;
    const denoise = async (noisy: Float32Array, sigma: number): Promise<Float32Array> => {
      sigmas.fill(sigma);
      const result = await first.session.run({ ...feeds, noisy: { data: noisy, dims: [B, 3, H, W] } });
      return result[first.manifest.outputs[0]!.name]!.data;
    };
    // Each item draws its starting noise from its own model's generator, as its `step` would.
    await batch.sampler.sample(denoise, out, models.map((m) => m.rng), base ?? undefined);
    const ms = performance.now() - started;
    return models.map((m, b) => {
      const frame = outs?.[b] ?? new Float32Array(F);
      if (frame.length !== F) throw new NextframeError('bad-frame', `WorldModel.stepMany: output buffer ${b} must hold ${F} values, found ${frame.length}.`);
      frame.set(out.subarray(b * F, (b + 1) * F));
      const conditioning = conditionings[b];
      m.pushPainted(frame, m.encodedAction, conditioning?.memory ? null : conditioning?.view);
      m.head = {};
      m.lastStepMs = ms;
      return frame;
    });
  }

  /** Backend the model runs on. */
  get backend(): Backend {
    return this.session.backend;
  }

  /** Why the requested device was not used, or `null`. */
  get fallbackReason(): string | null {
    return this.session.fallbackReason;
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
   * noise sequence per evaluation episode).
   */
  reset(frames: readonly Float32Array[], actions?: readonly ActionInput[], views?: readonly View[], seed?: number): void {
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
    this.history.reset(frames, actions?.map((a) => this.codec.encode(a)));
    this.rng.reseed(this.seed);
    this.ticks = 0;
    this.head = {};
    this.memory?.clear();
    if (this.memory && views && this.memoryEnabled) {
      const first = frames.length - views.length;
      views.forEach((view, i) => this.memory!.insert(frames[first + i]!, view.depth, view.pose, i - views.length + 1));
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
    const encoded = this.codec.encode(action, this.encodedAction);
    this.writeConditioning(conditioning, this.feeds.memory?.data, this.feeds.depth?.data);
    this.history.writeContext(this.feeds.context!.data);
    this.history.writeActions(encoded, this.feeds.actions!.data);
    const frame = out ?? new Float32Array(3 * this.width * this.height);
    if (frame.length !== 3 * this.width * this.height) {
      throw new NextframeError('bad-frame', `WorldModel: the output buffer must hold ${3 * this.width * this.height} values, found ${frame.length}.`);
    }
    const base = this.manifest.sampler.start === 'base' ? (this.baseBuffer ??= new Float32Array(frame.length)) : null;
    if (base) this.writeStartImage(this.feeds.context!.data, this.feeds.memory?.data, base);
    await this.sampler.sample(this.denoise, frame, this.rng, base ?? undefined);
    this.pushPainted(frame, encoded, conditioning.memory ? null : conditioning.view);
    this.head = {};
    this.lastStepMs = performance.now() - started;
    return frame;
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
    const B = branches.length;
    const HW = this.width * this.height;
    const F = 3 * HW;
    const feeds = this.feedsForBatch(B);
    const base = this.manifest.sampler.start === 'base' ? new Float32Array(B * F) : null;
    const rngs: SeededRandom[] = [];
    const made = branches.map((branch, b) => {
      const chain = this.chainTo(branch.parent ?? null);
      const encoded = this.codec.encode(branch.action);
      const conditioning = branch.conditioning ?? {};
      const K = this.contextFrames;
      const context = feeds.context!.data.subarray(b * K * F, (b + 1) * K * F);
      const memory = feeds.memory?.data.subarray(b * 4 * HW, (b + 1) * 4 * HW);
      this.writeConditioning(conditioning, memory, feeds.depth?.data.subarray(b * HW, (b + 1) * HW));
      writeBranchContext(this.history, chain, encoded, context, feeds.actions!.data.subarray(b * K * this.codec.size, (b + 1) * K * this.codec.size));
      if (base) this.writeStartImage(context, memory, base.subarray(b * F, (b + 1) * F));
      const depth = chain.length + 1;
      rngs.push(new SeededRandom(noiseSeed(this.seed, this.ticks + depth)));
      const view = conditioning.view && !conditioning.memory ? { pose: { ...conditioning.view.pose }, depth: Float32Array.from(conditioning.view.depth) } : null;
      return { encoded, key: this.codec.key(branch.action), depth, parent: branch.parent ?? null, view, memory: memory?.slice() ?? null, after: branch.parent ?? this.head };
    });
    const out = new Float32Array(B * F);
    const sigmas = feeds.sigma!.data;
    const denoise = async (noisy: Float32Array, sigma: number): Promise<Float32Array> => {
      sigmas.fill(sigma);
      const result = await this.session.run({ ...feeds, noisy: { data: noisy, dims: [B, 3, this.height, this.width] } });
      return result[this.manifest.outputs[0]!.name]!.data;
    };
    await this.sampler.sample(denoise, out, rngs, base ?? undefined);
    this.lastStepMs = performance.now() - started;
    return made.map((m, b) => ({ ...m, frame: out.slice(b * F, (b + 1) * F) }));
  }

  /**
   * Make a speculated frame the next frame: it enters the history and (with a view, for models
   * with memory) spatial memory, remembered at `view` when given (the view the player really
   * reached), else at the view it was painted for. Only a frame painted on the current committed
   * state (or whose parent was the last frame committed) fits; any other is refused.
   */
  commit(speculated: SpeculatedFrame, view?: View): void {
    this.assertLive();
    if (!this.history.ready) throw new NextframeError('not-reset', 'WorldModel: call reset(initialFrames) before commit().');
    if (speculated.after !== this.head) {
      throw new NextframeError('stale-branch', `WorldModel.commit: frame "${speculated.key}" (depth ${speculated.depth}) was painted on a state that is not the committed one; only frames that continue the last committed frame can be committed.`);
    }
    this.pushPainted(speculated.frame, speculated.encoded, view ?? speculated.view);
    this.head = speculated;
    // Committed: it is the state now, not a branch. Cutting its links lets the frames before it be freed.
    const committed = speculated as { parent: SpeculatedFrame | null; after: object };
    committed.parent = null;
    committed.after = COMMITTED;
  }

  /** Free the ORT session (once no fork uses it any more). The model cannot be used afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (--this.shared.users === 0) await this.session.dispose();
  }

  private readonly denoise = async (noisy: Float32Array, sigma: number): Promise<Float32Array> => {
    this.sigmaFeed[0] = sigma;
    const feeds = { ...this.feeds, noisy: { data: noisy, dims: [1, 3, this.height, this.width] } };
    const out = await this.session.run(feeds);
    return out[this.manifest.outputs[0]!.name]!.data;
  };

  /**
   * For `start: "base"` models: the base image the residual denoiser works around, exactly as
   * the graph computes it (models/denoiser.py `base`): the geometry-only re-render of the view
   * (memory colour × coverage + last context frame × (1 − coverage)), written into `out` (3·H·W).
   */
  private writeStartImage(context: Float32Array, memory: Float32Array | undefined, out: Float32Array): void {
    const last = context.subarray(context.length - 3 * this.width * this.height); // (3, H, W): the newest frame
    if (memory) warpFrame(memory, last, out);
    else out.set(last);
  }

  /** The uncommitted frames from the committed state to `parent`, oldest first; refuses a chain that does not start there. */
  private chainTo(parent: SpeculatedFrame | null): SpeculatedFrame[] {
    const chain: SpeculatedFrame[] = [];
    for (let f = parent; f && f !== this.head; f = f.parent) chain.unshift(f);
    if (chain.length > 0 && chain[0]!.after !== this.head) {
      throw new NextframeError('stale-branch', `WorldModel.sampleBranches: the parent branch "${parent!.key}" no longer continues the committed state (something else was committed since).`);
    }
    return chain;
  }

  /** Feeds, sampler and output for a `stepMany` batch of B, shared by the forks (kept per B). */
  private batchForStepMany(B: number): StepManyBatch {
    let batch = this.shared.batches.get(B);
    if (batch) return batch;
    const HW = this.width * this.height;
    const feeds = this.newBatchFeeds(B);
    const sampler = new DiffusionSampler({ ...this.manifest.sampler, ...this.options.sampler });
    batch = { feeds, sampler, out: new Float32Array(B * 3 * HW), base: this.manifest.sampler.start === 'base' ? new Float32Array(B * 3 * HW) : null };
    this.shared.batches.set(B, batch);
    return batch;
  }

  /** Feed buffers for a batch of B branches (kept per B: the scheduler uses a few sizes over and over). */
  private feedsForBatch(B: number): Record<string, Feed> {
    let feeds = this.batchFeeds.get(B);
    if (feeds) return feeds;
    feeds = this.newBatchFeeds(B);
    this.batchFeeds.set(B, feeds);
    return feeds;
  }

  /** Fresh input buffers for a batch of B (all but `noisy`), in the layout the model declares. */
  private newBatchFeeds(B: number): Record<string, Feed> {
    const K = this.contextFrames;
    const dims = (c: number): number[] => [B, c, this.height, this.width];
    const HW = this.width * this.height;
    const feeds: Record<string, Feed> = {
      sigma: { data: new Float32Array(B), dims: [B] },
      context: { data: new Float32Array(B * K * 3 * HW), dims: dims(K * 3) },
      actions: { data: new Float32Array(B * K * this.codec.size), dims: [B, K, this.codec.size] },
    };
    if (this.feeds.memory) feeds.memory = { data: new Float32Array(B * 4 * HW), dims: dims(4) };
    if (this.feeds.depth) feeds.depth = { data: new Float32Array(B * HW), dims: dims(1) };
    return feeds;
  }

  /**
   * A painted frame becomes the newest one: into the history and, seen from `view`, into spatial
   * memory as painted (it ranks below what it was painted over). `step`, `stepMany` and `commit`
   * all end here, so they cannot drift apart.
   */
  private pushPainted(frame: Float32Array, encoded: Float32Array, view: View | null | undefined): void {
    this.history.push(frame, encoded);
    this.ticks++;
    if (this.memory && this.memoryEnabled && view) this.memory.insert(frame, view.depth, view.pose, this.ticks, { painted: true });
  }

  /** Check `conditioning` and write the model's memory and depth streams into `memory` / `depth` (the ones it declares). */
  private writeConditioning(conditioning: Conditioning, memory: Float32Array | undefined, depth: Float32Array | undefined): void {
    const HW = this.width * this.height;
    for (const key of Object.keys(conditioning)) {
      if (key === 'view') continue;
      if (key !== 'memory' && key !== 'depth') throw new NextframeError('bad-conditioning', `WorldModel: unknown conditioning stream "${key}"; expected view, memory or depth.`);
      if (!this.feeds[key]) {
        throw new NextframeError('bad-conditioning', `WorldModel: model "${this.manifest.id}" takes no "${key}" stream (it is conditioned on ${this.manifest.conditioning.join(', ')}).`);
      }
    }
    const view = conditioning.view;
    if (view) assertView(view, HW);
    if (memory) {
      if (conditioning.memory) memory.set(checkStream(conditioning.memory, 4 * HW, 'memory', '4·H·W: RGB in [−1, 1] then coverage in [0, 1]'));
      else if (view && this.memory && this.memoryEnabled) this.memory.render(view.pose, view.depth, memory);
      else memory.fill(0); // empty memory: coverage 0 everywhere
    }
    if (depth) {
      if (conditioning.depth) depth.set(checkStream(conditioning.depth, HW, 'depth', 'H·W normalised depth'));
      else if (view) normaliseDepth(view.depth, this.manifest.camera.far, depth);
      else {
        throw new NextframeError('bad-conditioning', `WorldModel: model "${this.manifest.id}" needs proxy depth each step: pass { view: { pose, depth } } with ${HW} metres of depth (or a normalised { depth }).`);
      }
    }
  }

  private assertLive(): void {
    if (this.disposed) throw new NextframeError('disposed', 'WorldModel: used after dispose(). Load the model again.');
  }
}

/** What a committed frame was painted after: nothing a branch can continue from. */
const COMMITTED: object = Object.freeze({});

/** A branch's noise seed: the model's seed and the tick it paints, mixed (splitmix-style) so nearby ticks get unrelated noise. */
function noiseSeed(seed: number, tick: number): number {
  let z = (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(tick, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x2c1b3c6d) >>> 0;
  return (z ^ (z >>> 12)) >>> 0;
}
