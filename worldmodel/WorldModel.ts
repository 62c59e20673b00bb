import { ActionCodec, type ActionInput } from './ActionCodec.ts';
import { assertModelIO } from './checkModelIO.ts';
import { DiffusionSampler } from './DiffusionSampler.ts';
import { describeValue, NextframeError } from './errors.ts';
import { FrameHistory } from './FrameHistory.ts';
import { assertFrame } from './frames.ts';
import { assertOnnxBytes, loadBytes, resolveLocation, type ProgressCallback } from './loadBytes.ts';
import type { ModelManifest, SamplerDefaults } from './manifestSchema.ts';
import { OrtSession, type Backend, type Feed, type OrtSessionOptions } from './OrtSession.ts';
import { parseManifest } from './parseManifest.ts';
import { SeededRandom } from './SeededRandom.ts';
import { SpatialMemory, type CameraPose, type SpatialMemoryOptions } from './SpatialMemory.ts';

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

/** Where the camera is for a frame, as the host's physics knows it. */
export interface View {
  /** Camera pose of the frame. */
  pose: CameraPose;
  /** Proxy view-space depth for that pose, H·W metres, row 0 at the top (sky: ≥ far). */
  depth: Float32Array;
}

/**
 * Extra input streams for one step, when the model declares them. Usually just `view`: the
 * model then makes its own streams (normalised depth, and its spatial memory rendered into the
 * view) and remembers the frame it paints. `memory` and `depth` give raw streams instead.
 */
export interface Conditioning {
  /** The camera pose and proxy depth of the frame to paint. */
  view?: View;
  /** Reprojected memory: RGB in [−1, 1] then coverage in [0, 1], 4·H·W values. Default: empty (coverage 0). */
  memory?: Float32Array;
  /** Proxy depth normalised as clamp(d/far, 0, 1)·2 − 1, H·W values. Required when declared. */
  depth?: Float32Array;
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
  private baseBuffer: Float32Array | null = null;
  private readonly session: OrtSession;
  private readonly history: FrameHistory;
  private readonly rng: SeededRandom;
  private readonly seed: number;
  private readonly feeds: Record<string, Feed>;
  private readonly sigmaFeed = new Float32Array(1);
  private readonly encodedAction: Float32Array;
  private disposed = false;

  private constructor(manifest: ModelManifest, session: OrtSession, options: WorldModelOptions) {
    this.manifest = manifest;
    this.session = session;
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

  /** Backend the model runs on. */
  get backend(): Backend {
    return this.session.backend;
  }

  /** Why the requested device was not used, or `null`. */
  get fallbackReason(): string | null {
    return this.session.fallbackReason;
  }

  get contextFrames(): number {
    return this.manifest.contextFrames;
  }

  /**
   * Start from K initial frames (CHW float32 in [−1, 1], oldest first) and, optionally, the
   * actions that led into them and their views (aligned to the newest frames: one view is the
   * newest frame's), which start the spatial memory. Clears the memory and restarts the noise
   * sequence from the seed.
   */
  reset(frames: readonly Float32Array[], actions?: readonly ActionInput[], views?: readonly View[]): void {
    this.assertLive();
    if (!Array.isArray(frames)) throw new NextframeError('bad-frames', `WorldModel: reset expected an array of ${this.contextFrames} frames, found ${describeValue(frames)}.`);
    frames.forEach((frame, i) => assertFrame(frame, this.width, this.height, `WorldModel.reset: frame ${i}`));
    if (views !== undefined && (!Array.isArray(views) || views.length > frames.length)) {
      throw new NextframeError('bad-conditioning', `WorldModel.reset: views must be an array of at most ${frames.length} { pose, depth } (one per frame, aligned to the newest), found ${describeValue(views)}.`);
    }
    this.history.reset(frames, actions?.map((a) => this.codec.encode(a)));
    this.rng.reseed(this.seed);
    this.ticks = 0;
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
    this.writeConditioning(conditioning);
    this.history.writeContext(this.feeds.context!.data);
    this.history.writeActions(encoded, this.feeds.actions!.data);
    const frame = out ?? new Float32Array(3 * this.width * this.height);
    if (frame.length !== 3 * this.width * this.height) {
      throw new NextframeError('bad-frame', `WorldModel: the output buffer must hold ${3 * this.width * this.height} values, found ${frame.length}.`);
    }
    await this.sampler.sample(this.denoise, frame, this.rng, this.startImage() ?? undefined);
    this.history.push(frame, encoded);
    this.ticks++;
    if (this.memory && this.memoryEnabled && conditioning.view && !conditioning.memory) {
      this.memory.insert(frame, conditioning.view.depth, conditioning.view.pose, this.ticks);
    }
    this.lastStepMs = performance.now() - started;
    return frame;
  }

  /** Free the ORT session. The model cannot be used afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.session.dispose();
  }

  private readonly denoise = async (noisy: Float32Array, sigma: number): Promise<Float32Array> => {
    this.sigmaFeed[0] = sigma;
    const feeds = { ...this.feeds, noisy: { data: noisy, dims: [1, 3, this.height, this.width] } };
    const out = await this.session.run(feeds);
    return out[this.manifest.outputs[0]!.name]!.data;
  };

  /**
   * For `start: "base"` models: the base image the residual denoiser works around, exactly as
   * the graph computes it (models/denoiser.py `base`): memory colour × coverage + last context
   * frame × (1 − coverage). Null for models that start from pure noise.
   */
  private startImage(): Float32Array | null {
    if (this.manifest.sampler.start !== 'base') return null;
    const HW = this.width * this.height;
    const base = (this.baseBuffer ??= new Float32Array(3 * HW));
    const context = this.feeds.context!.data;
    const last = context.length - 3 * HW;
    const memory = this.feeds.memory?.data;
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < HW; p++) {
        const frame = context[last + c * HW + p]!;
        const cover = memory ? memory[3 * HW + p]! : 0;
        base[c * HW + p] = memory ? memory[c * HW + p]! * cover + frame * (1 - cover) : frame;
      }
    }
    return base;
  }

  private writeConditioning(conditioning: Conditioning): void {
    const HW = this.width * this.height;
    for (const key of Object.keys(conditioning)) {
      if (key === 'view') continue;
      if (key !== 'memory' && key !== 'depth') throw new NextframeError('bad-conditioning', `WorldModel: unknown conditioning stream "${key}"; expected view, memory or depth.`);
      if (!this.feeds[key]) {
        throw new NextframeError('bad-conditioning', `WorldModel: model "${this.manifest.id}" takes no "${key}" stream (it is conditioned on ${this.manifest.conditioning.join(', ')}).`);
      }
    }
    const view = conditioning.view;
    if (view) {
      if (typeof view !== 'object' || !view.pose || !(view.depth instanceof Float32Array) || view.depth.length !== HW) {
        throw new NextframeError('bad-conditioning', `WorldModel: view must be { pose: { x, y, z, yaw, pitch }, depth: Float32Array of ${HW} metres }, found ${describeValue(view)}.`);
      }
      checkStream(view.depth, HW, 'view.depth', 'H·W metres of proxy depth');
    }
    const memory = this.feeds.memory;
    if (memory) {
      if (conditioning.memory) memory.data.set(checkStream(conditioning.memory, 4 * HW, 'memory', '4·H·W: RGB in [−1, 1] then coverage in [0, 1]'));
      else if (view && this.memory && this.memoryEnabled) this.memory.render(view.pose, view.depth, memory.data);
      else memory.data.fill(0); // empty memory: coverage 0 everywhere
    }
    const depth = this.feeds.depth;
    if (depth) {
      if (conditioning.depth) depth.data.set(checkStream(conditioning.depth, HW, 'depth', 'H·W normalised depth'));
      else if (view) {
        // The depth stream is normalised as clamp(d / far, 0, 1)·2 − 1.
        const far = this.manifest.camera.far;
        for (let i = 0; i < HW; i++) depth.data[i] = Math.min(1, Math.max(0, view.depth[i]! / far)) * 2 - 1;
      } else {
        throw new NextframeError('bad-conditioning', `WorldModel: model "${this.manifest.id}" needs proxy depth each step: pass { view: { pose, depth } } with ${HW} metres of depth (or a normalised { depth }).`);
      }
    }
  }

  private assertLive(): void {
    if (this.disposed) throw new NextframeError('disposed', 'WorldModel: used after dispose(). Load the model again.');
  }
}

function checkStream(data: Float32Array<ArrayBufferLike>, size: number, name: string, layout: string): ArrayLike<number> {
  if (!(data instanceof Float32Array) || data.length !== size) {
    throw new NextframeError('bad-conditioning', `WorldModel: conditioning "${name}" must be a Float32Array of ${size} values (${layout}), found ${describeValue(data)}.`);
  }
  for (let i = 0; i < size; i++) {
    if (!Number.isFinite(data[i]!)) throw new NextframeError('bad-conditioning', `WorldModel: conditioning "${name}" has ${data[i]} at index ${i}; expected finite values.`);
  }
  return data;
}
