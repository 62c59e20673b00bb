import { bicubicUpsample } from './bicubicUpsample.ts';
import { tensorMismatches } from './checkModelIO.ts';
import { assertDisplayInputs, type DisplayInputs, type DisplayUpsampler } from './DisplayUpsampler.ts';
import { NextframeError } from './errors.ts';
import { assertOnnxBytes, loadBytes, type ProgressCallback } from './loadBytes.ts';
import { loadManifest } from './loadManifest.ts';
import { assertModelDigest } from './modelDigest.ts';
import type { ModelSession, SessionFactory } from './ModelSession.ts';
import { OrtSession, type Backend, type Feed, type OrtSessionOptions } from './OrtSession.ts';
import { parseUpsamplerManifest, upsamplerTensors, type UpsamplerManifest } from './parseUpsamplerManifest.ts';
import type { MemoryChannel } from './SpatialMemory.ts';

/** What `LearnedUpsampler.load` and `fromBytes` take: the ORT session's options and these. */
export interface LearnedUpsamplerOptions extends OrtSessionOptions {
  /** Where the network runs: default `OrtSession.create` (as `WorldModelOptions.createSession`). */
  createSession?: SessionFactory;
  /** Download progress of the model bytes. */
  onProgress?: ProgressCallback;
}

/** The ONNX file beside an upsampler's manifest. */
const MODEL_FILE = 'model.onnx';

/**
 * The display frame from a network (models/upsampler.py): it sees the model's frame enlarged
 * bicubically (`base`, made here so the graph needs no cubic Resize), the memory of the view at
 * display resolution, the frame itself and its proxy depth, and paints `display` [1, 3, sH, sW]
 * (clamped to [−1, 1] here). Runs are queued, so models sharing one upsampler (forks) may call it
 * at once; its input buffers are its own and reused.
 *
 * ```ts
 * const display = await LearnedUpsampler.load('/models/arena-upsampler/');
 * const model = await WorldModel.load('/models/arena/', { display });
 * // … model.lastDisplay after every step; display.dispose() after the model's.
 * ```
 */
export class LearnedUpsampler implements DisplayUpsampler {
  readonly kind = 'learned';
  readonly manifest: UpsamplerManifest;
  readonly scale: number;
  readonly width: number;
  readonly height: number;
  lastMs = 0;
  private session: ModelSession;
  /** The ONNX bytes, kept (unless onnxruntime's proxy worker took them) so `switchToWasm` can make the session again. */
  private readonly modelBytes: Uint8Array | null;
  private readonly options: LearnedUpsamplerOptions;
  /** The frame enlarged bicubically: the graph's `base` input (3·sH·sW). */
  private readonly base: Float32Array;
  /** The graph's inputs, made once: each call points memory, frame and depth at its own arrays. */
  private readonly feeds: Record<'base' | 'memory' | 'frame' | 'depth', Feed>;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(session: ModelSession, manifest: UpsamplerManifest, modelBytes: Uint8Array | null, options: LearnedUpsamplerOptions) {
    this.session = session;
    this.modelBytes = modelBytes;
    this.options = options;
    this.manifest = manifest;
    this.scale = manifest.scale;
    this.width = manifest.resolution.width;
    this.height = manifest.resolution.height;
    const { inputs } = upsamplerTensors(this.width, this.height, this.scale);
    this.base = new Float32Array(3 * this.width * this.height * this.scale * this.scale);
    const empty = new Float32Array(0);
    this.feeds = {
      base: { data: this.base, dims: inputs.base! },
      memory: { data: empty, dims: inputs.memory! },
      frame: { data: empty, dims: inputs.frame! },
      depth: { data: empty, dims: inputs.depth! },
    };
  }

  /**
   * Load from an upsampler's folder (`…/models/arena-upsampler/`, holding `manifest.json` and
   * `model.onnx`) or its `manifest.json`, by URL or, in Node, by path. A model file that does not
   * hash to the manifest's `modelSha256` is refused (`model-corrupt`).
   */
  static async load(location: string | URL, options: LearnedUpsamplerOptions = {}): Promise<LearnedUpsampler> {
    const { manifest, url } = await loadManifest(location, parseUpsamplerManifest);
    const what = `upsampler model file "${MODEL_FILE}"`;
    const bytes = await loadBytes(new URL(MODEL_FILE, url), what, options.onProgress);
    assertOnnxBytes(bytes, what);
    await assertModelDigest(manifest, bytes, what);
    return LearnedUpsampler.fromBytes(manifest, bytes, options);
  }

  /** Create from an already-parsed (or raw) manifest and the ONNX bytes. */
  static async fromBytes(manifest: unknown, model: Uint8Array, options: LearnedUpsamplerOptions = {}): Promise<LearnedUpsampler> {
    const parsed = parseUpsamplerManifest(manifest);
    assertOnnxBytes(model, `upsampler model file "${MODEL_FILE}"`);
    const session = await (options.createSession ?? OrtSession.create)(model, options);
    await assertUpsamplerIO(parsed, session);
    return new LearnedUpsampler(session, parsed, session.proxied ? null : model, options);
  }

  /**
   * Make the ONNX session again on WASM, from the bytes it was made from, and go on: for a lost
   * WebGPU device (or dead worker: a call failed with `device-lost`). `createSession` makes it
   * (default: the factory it was loaded with, else `OrtSession.create`). `WorldModel.switchToWasm`
   * calls it for its display upsampler. Throws `device-lost` when the bytes are gone
   * (onnxruntime's proxy worker took them): load the upsampler again then.
   */
  async switchToWasm(createSession?: SessionFactory): Promise<void> {
    if (this.disposed) throw new NextframeError('disposed', 'LearnedUpsampler: switchToWasm() after dispose(). Load it again.');
    if (!this.modelBytes) {
      throw new NextframeError('device-lost', 'LearnedUpsampler.switchToWasm: the model bytes were handed to onnxruntime\'s worker, so the session cannot be made again here; load the upsampler again (LearnedUpsampler.load).');
    }
    const session = await (createSession ?? this.options.createSession ?? OrtSession.create)(this.modelBytes, { ...this.options, device: 'wasm' });
    await assertUpsamplerIO(this.manifest, session);
    const old = this.session;
    this.session = session;
    // Not awaited: on a lost device the release (and the run it waits for) may never finish.
    void old.dispose().catch(() => undefined);
  }

  /** Why the session's device (or worker) was lost, or null (see `switchToWasm`). */
  get deviceLost(): string | null {
    return this.session.deviceLost;
  }

  /** Test hook: the next calls fail with `device-lost` as after a real device loss (see `OrtSession.loseDevice`). */
  loseDevice(reason?: string): void {
    this.session.loseDevice(reason);
  }

  /** What the fourth channel of its memory input holds (manifest `memoryChannel`). */
  get memoryChannel(): MemoryChannel {
    return this.manifest.memoryChannel;
  }

  /** Where memory's score is at least this, the display is memory's render (manifest `copyMemoryAt`); undefined: never. */
  get copyMemoryAt(): number | undefined {
    return this.manifest.copyMemoryAt;
  }

  /** The camera far its depth input is normalised with, as in training (manifest `camera.far`). */
  get far(): number {
    return this.manifest.camera.far;
  }

  /** Backend the network runs on. */
  get backend(): Backend {
    return this.session.backend;
  }

  /** Why the requested device was not used, or null. */
  get fallbackReason(): string | null {
    return this.session.fallbackReason;
  }

  /** The display frame (3·sH·sW, CHW in [−1, 1]), into `out` when given. Calls are queued. */
  upsample(inputs: DisplayInputs, out?: Float32Array): Promise<Float32Array> {
    // Queued whole (not only the run): `base` is written just before this call's run.
    const result = this.queue.then(() => this.upsampleNow(inputs, out));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Release the ONNX session (after the calls already queued). Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.session.dispose();
  }

  private async upsampleNow(inputs: DisplayInputs, out: Float32Array | undefined): Promise<Float32Array> {
    if (this.disposed) throw new NextframeError('disposed', 'LearnedUpsampler: upsample() after dispose(). Load it again.');
    assertDisplayInputs(this, inputs, out, 'LearnedUpsampler.upsample');
    const started = performance.now();
    const { width: w, height: h, scale: s, feeds } = this;
    bicubicUpsample(inputs.frame, w, h, s, this.base);
    feeds.memory.data = inputs.memory;
    feeds.frame.data = inputs.frame;
    feeds.depth.data = inputs.depth;
    const fetched = await this.session.run(feeds);
    const display = fetched.display?.data;
    const size = this.base.length;
    if (!display || display.length !== size) {
      throw new NextframeError('bad-output', `LearnedUpsampler: expected output "display" of ${size} values (1·3·${h * s}·${w * s}), found ${display ? `${display.length} values` : `outputs [${Object.keys(fetched).join(', ')}]`}. Re-export the upsampler with models/upsampler.py.`);
    }
    const frame = out ?? new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const v = display[i]!;
      frame[i] = v < -1 ? -1 : v > 1 ? 1 : v;
    }
    this.lastMs = performance.now() - started;
    return frame;
  }
}

/** Throw `manifest-mismatch` (listing every disagreement) unless the graph has the manifest's tensors; the session is released then. */
async function assertUpsamplerIO(manifest: UpsamplerManifest, session: ModelSession): Promise<void> {
  const spec = (tensors: Record<string, (number | 'batch')[]>) => Object.entries(tensors).map(([name, shape]) => ({ name, dtype: 'float32' as const, shape }));
  const problems = [...tensorMismatches('input', spec(manifest.inputs), session.inputs), ...tensorMismatches('output', spec(manifest.outputs), session.outputs)];
  if (problems.length === 0) return;
  await session.dispose();
  throw new NextframeError(
    'manifest-mismatch',
    `LearnedUpsampler: manifest "${manifest.id}" does not match its ONNX file "${MODEL_FILE}" (${problems.length} mismatch${problems.length === 1 ? '' : 'es'}):\n` +
      problems.map((p) => `  - ${p}`).join('\n') +
      '\nExport the upsampler and its manifest together with models/upsampler.py.',
  );
}
