import { DiffusionSampler, type Denoise, type DiffusionSamplerOptions } from './DiffusionSampler.ts';
import { NextframeError } from './errors.ts';
import type { ModelManifest } from './manifestSchema.ts';
import type { ModelSession } from './ModelSession.ts';
import type { Feed } from './OrtSession.ts';
import type { SeededRandom } from './SeededRandom.ts';
import { warpFrame } from './warpFrame.ts';

/** Item b's slices of a `ModelBatch`: views made once, written by the caller before `sample`. */
export interface BatchItem {
  /** (K·3, H, W): the context frames, oldest first. */
  readonly context: Float32Array;
  /** (K, A): the actions that led into the newest K−1 context frames, then the one taken now. */
  readonly actions: Float32Array;
  /** (4, H, W): memory RGB then coverage, for models with a memory stream. */
  readonly memory: Float32Array | undefined;
  /** (1, H, W): normalised proxy depth, for models with a depth stream. */
  readonly depth: Float32Array | undefined;
  /** (3, H, W): the painted frame, once `sample` has resolved. */
  readonly frame: Float32Array;
}

/**
 * The buffers of one batched model run of B items, allocated once and reused for every run of
 * that size: the model's inputs in the layout the manifest declares, the sampler's scratch, the
 * start images of `start: "base"` models and the output. `sample` runs the few-step sampler with
 * one ONNX `run()` of the whole batch per denoising evaluation. A batch serves one run at a time.
 */
export class ModelBatch {
  /** B. */
  readonly size: number;
  readonly items: readonly BatchItem[];
  /** The session the batch runs on (a batch of a replaced session is not reused). */
  readonly session: ModelSession;
  private readonly output: string;
  private readonly sampler: DiffusionSampler;
  private readonly feeds: Record<string, Feed> & { sigma: Feed; noisy: Feed };
  private readonly out: Float32Array;
  /** (B, 3, H, W) start images, for `start: "base"` models; otherwise null. */
  private readonly base: Float32Array | null;

  constructor(session: ModelSession, manifest: ModelManifest, sampler: DiffusionSamplerOptions, size: number) {
    if (!Number.isInteger(size) || size < 1) throw new NextframeError('bad-branches', `ModelBatch: the batch size must be a positive integer, found ${size}.`);
    const { width: W, height: H } = manifest.resolution;
    const K = manifest.contextFrames;
    const A = manifest.actions.length;
    const HW = W * H;
    const B = size;
    const declares = (stream: 'memory' | 'depth'): boolean => manifest.conditioning.includes(stream);
    this.size = size;
    this.session = session;
    this.output = manifest.outputs[0]!.name;
    this.sampler = new DiffusionSampler(sampler);
    this.out = new Float32Array(B * 3 * HW);
    this.base = manifest.sampler.start === 'base' ? new Float32Array(B * 3 * HW) : null;
    const feed = (channels: number): Feed => ({ data: new Float32Array(B * channels * HW), dims: [B, channels, H, W] });
    this.feeds = {
      sigma: { data: new Float32Array(B), dims: [B] },
      context: feed(K * 3),
      actions: { data: new Float32Array(B * K * A), dims: [B, K, A] },
      ...(declares('memory') ? { memory: feed(4) } : {}),
      ...(declares('depth') ? { depth: feed(1) } : {}),
      // `data` is the sampler's current iterate, set at each evaluation.
      noisy: { data: this.out, dims: [B, 3, H, W] },
    };
    const slice = (data: Float32Array | undefined, n: number, b: number): Float32Array | undefined => data?.subarray(b * n, (b + 1) * n);
    this.items = Array.from({ length: B }, (_, b) => ({
      context: slice(this.feeds.context!.data, K * 3 * HW, b)!,
      actions: slice(this.feeds.actions!.data, K * A, b)!,
      memory: slice(this.feeds.memory?.data, 4 * HW, b),
      depth: slice(this.feeds.depth?.data, HW, b),
      frame: slice(this.out, 3 * HW, b)!,
    }));
  }

  /**
   * Paint every item from the inputs written into `items`: item b's starting noise is drawn from
   * `noise[b]`, so it does not depend on which other items share the run. Resolves once each
   * item's `frame` holds its painted frame.
   */
  async sample(noise: readonly SeededRandom[]): Promise<void> {
    if (noise.length !== this.size) throw new NextframeError('bad-branches', `ModelBatch: expected one noise generator per item (${this.size}), found ${noise.length}.`);
    if (this.base) this.items.forEach((item, b) => writeStartImage(item, this.base!.subarray(b * item.frame.length, (b + 1) * item.frame.length)));
    await this.sampler.sample(this.denoise, this.out, noise, this.base ?? undefined);
  }

  /** One denoiser evaluation of the whole batch: one ONNX `run()` (queued on the session's promise chain). */
  private readonly denoise: Denoise = async (noisy, sigma) => {
    this.feeds.sigma.data.fill(sigma);
    this.feeds.noisy.data = noisy;
    const fetched = await this.session.run(this.feeds);
    return fetched[this.output]!.data;
  };
}

/**
 * The base image a residual (`start: "base"`) denoiser works around, exactly as the graph
 * computes it (models/denoiser.py `base`): the geometry-only re-render of the view (memory colour
 * × coverage + newest context frame × (1 − coverage)), or the newest frame for models without memory.
 */
function writeStartImage(item: BatchItem, out: Float32Array): void {
  const newest = item.context.subarray(item.context.length - out.length); // (3, H, W)
  if (item.memory) warpFrame(item.memory, newest, out);
  else out.set(newest);
}
