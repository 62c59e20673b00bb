/**
 * The ORT boundary: the only module in the project that imports onnxruntime-web. It owns
 * the device → execution-provider choice (WebGPU, falling back to WASM with the reason
 * reported), session options tuned for a per-step loop, input checking, and a promise chain
 * that serialises runs (onnxruntime-web throws on concurrent `run()` of one session).
 * Every other file speaks in plain typed arrays.
 */
import * as ort from 'onnxruntime-web';
import { NextframeError } from './errors.ts';

export type Device = 'auto' | 'webgpu' | 'wasm';
export type Backend = 'webgpu' | 'wasm';

export interface OrtSessionOptions {
  /** `auto` tries WebGPU in a browser and uses WASM elsewhere. Default `auto`. */
  device?: Device;
  /** WASM threads; default: up to 4, limited by the cores and by cross-origin isolation. */
  threads?: number;
  /**
   * Browser, WASM only: run onnxruntime in its own worker (`ort.env.wasm.proxy`) so a run never
   * blocks the page's main thread. Default false. It takes effect only when set on the page's
   * first session (onnxruntime reads it once); WebGPU sessions are never proxied.
   * `OrtSession.proxied` says whether it did.
   */
  proxy?: boolean;
}

/** A tensor as declared by the ONNX graph; symbolic dimensions are strings. */
export interface TensorInfo {
  name: string;
  dtype: string;
  shape: (number | string)[];
}

export interface Feed {
  data: Float32Array;
  dims: readonly number[];
}

export type Fetched = Record<string, { data: Float32Array; dims: readonly number[] }>;

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
let wasmConfigured = false;
/** onnxruntime initialises its WASM runtime (and reads `env.wasm.proxy`) at the first session. */
let runtimeStarted = false;

export class OrtSession {
  readonly backend: Backend;
  /** Why the requested device was not used, or `null` when it was. */
  readonly fallbackReason: string | null;
  readonly threads: number;
  /** Runs go through onnxruntime's proxy worker (see `OrtSessionOptions.proxy`). */
  readonly proxied: boolean;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  private session: ort.InferenceSession | null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Why the device went away (the WebGPU device's `lost` reason, or `loseDevice`), or null. */
  private lost: string | null = null;
  /**
   * Rejects when the WebGPU device is lost: a run in flight then never finishes (measured on
   * SwiftShader: onnxruntime waits on the destroyed device for good), so runs race it.
   */
  private lostSignal: Promise<never> | null = null;

  private constructor(session: ort.InferenceSession, backend: Backend, fallbackReason: string | null, threads: number) {
    this.session = session;
    this.backend = backend;
    this.fallbackReason = fallbackReason;
    this.threads = threads;
    this.proxied = backend === 'wasm' && !isNode && ort.env.wasm.proxy === true;
    this.inputs = session.inputMetadata.map(toTensorInfo);
    this.outputs = session.outputMetadata.map(toTensorInfo);
  }

  /** Create a session from ONNX bytes on the best available device. */
  static async create(model: Uint8Array, options: OrtSessionOptions = {}): Promise<OrtSession> {
    const device = options.device ?? 'auto';
    const threads = configureWasm(options.threads);
    let fallbackReason: string | null = null;

    if (device === 'webgpu' || (device === 'auto' && !isNode)) {
      const unavailable = await webgpuUnavailableReason();
      if (unavailable === null) {
        try {
          runtimeStarted = true;
          const session = new OrtSession(await ort.InferenceSession.create(model, sessionOptions('webgpu')), 'webgpu', null, threads);
          session.watchDevice();
          return session;
        } catch (error) {
          fallbackReason = `WebGPU session failed: ${errorMessage(error)}`;
        }
      } else {
        fallbackReason = unavailable;
      }
    }
    if (options.proxy && !isNode && !runtimeStarted) ort.env.wasm.proxy = true;
    try {
      runtimeStarted = true;
      const session = await ort.InferenceSession.create(model, sessionOptions('wasm'));
      return new OrtSession(session, 'wasm', fallbackReason, threads);
    } catch (error) {
      throw new NextframeError(
        'model-load-failed',
        `OrtSession: onnxruntime could not load the model (${errorMessage(error)}). ` +
          'Expected a valid ONNX file (opset ≤ 17, float32) as written by `npx nextframe export`.',
        { cause: error },
      );
    }
  }

  /**
   * Run the model once. Runs are queued, so callers may fire several without awaiting.
   * Feed names and shapes are checked first; one error lists every mismatch.
   */
  run(feeds: Record<string, Feed>): Promise<Fetched> {
    const result = this.queue.then(() => this.runNow(feeds));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Why the session's device was lost (the WebGPU device's `lost` reason), or null while it has
   * not been. Once lost, every run fails with `device-lost`: create the session again.
   */
  get deviceLost(): string | null {
    return this.lost;
  }

  /**
   * Test hook. On WebGPU: destroy the device for real (`GPUDevice.destroy()`), so what follows is
   * what a real loss does: the device's `lost` promise settles and runs fail with `device-lost`.
   * Elsewhere: act as if the device had been lost (`reason`), so the next runs fail the same way.
   */
  loseDevice(reason = 'device lost (simulated)'): void {
    if (this.backend === 'webgpu') {
      void Promise.resolve(ort.env.webgpu.device as unknown as Promise<{ destroy?(): void } | undefined>)
        .then((device) => device?.destroy?.())
        .catch(() => undefined);
      return;
    }
    this.lost ??= reason;
  }

  private async runNow(feeds: Record<string, Feed>): Promise<Fetched> {
    const session = this.session;
    if (!session) throw new NextframeError('disposed', 'OrtSession: run() after dispose(). Create a new session.');
    if (this.lost !== null) throw this.deviceLostError(null);
    this.checkFeeds(feeds);
    const ortFeeds: Record<string, ort.Tensor> = {};
    // The proxy worker takes ownership of input buffers (they are transferred, and detached here):
    // hand it copies so callers can keep reusing theirs.
    for (const [name, feed] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor('float32', this.proxied ? feed.data.slice() : feed.data, feed.dims);
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await (this.lostSignal ? Promise.race([session.run(ortFeeds), this.lostSignal]) : session.run(ortFeeds));
    } catch (error) {
      // A lost WebGPU device fails the run (or reports itself through `device.lost`).
      if (error instanceof NextframeError && error.code === 'device-lost') throw error;
      if (this.lost !== null || (this.backend === 'webgpu' && /\blost\b/i.test(errorMessage(error)))) {
        this.lost ??= errorMessage(error);
        throw this.deviceLostError(error);
      }
      throw error;
    }
    const fetched: Fetched = {};
    for (const [name, tensor] of Object.entries(out)) {
      if (!(tensor.data instanceof Float32Array)) {
        throw new NextframeError('bad-output', `OrtSession: output "${name}" is ${tensor.type}, expected float32.`);
      }
      fetched[name] = { data: tensor.data, dims: tensor.dims };
      tensor.dispose();
    }
    return fetched;
  }

  private deviceLostError(cause: unknown): NextframeError {
    return new NextframeError(
      'device-lost',
      `OrtSession: the ${this.backend === 'webgpu' ? 'WebGPU' : this.backend} device this session ran on was lost (${this.lost}), so the run did not finish. ` +
        'Create the session again (WorldModel.switchToWasm keeps the world), or reload the page.',
      cause === null ? undefined : { cause },
    );
  }

  /** Listen for the WebGPU device going away (driver reset, GPU process crash, the tab's GPU reclaimed). */
  private watchDevice(): void {
    let device: unknown;
    try {
      device = ort.env.webgpu.device;
    } catch {
      return; // no device to watch: a loss still shows as a failed run
    }
    let reject: (error: Error) => void = () => undefined;
    this.lostSignal = new Promise<never>((_, r) => (reject = r));
    this.lostSignal.catch(() => undefined);
    void Promise.resolve(device as Promise<{ lost?: Promise<{ message?: string; reason?: string }> } | undefined>)
      .then((device) => device?.lost)
      .then((info) => {
        if (!info) return;
        this.lost ??= info.message || `WebGPU device lost (${info.reason ?? 'unknown'})`;
        reject(this.deviceLostError(null));
      })
      .catch(() => undefined);
  }

  private checkFeeds(feeds: Record<string, Feed>): void {
    const problems: string[] = [];
    for (const info of this.inputs) {
      const feed = feeds[info.name];
      if (!feed) {
        problems.push(`missing input "${info.name}" [${info.shape.join(', ')}]`);
        continue;
      }
      const fits = feed.dims.length === info.shape.length && info.shape.every((d, i) => typeof d !== 'number' || d === feed.dims[i]);
      if (!fits) problems.push(`input "${info.name}": expected shape [${info.shape.join(', ')}], found [${feed.dims.join(', ')}]`);
      const size = feed.dims.reduce((a, b) => a * b, 1);
      if (feed.data.length !== size) problems.push(`input "${info.name}": dims [${feed.dims.join(', ')}] need ${size} values, found ${feed.data.length}`);
    }
    for (const name of Object.keys(feeds)) {
      if (!this.inputs.some((i) => i.name === name)) problems.push(`unexpected input "${name}" (the model takes ${this.inputs.map((i) => i.name).join(', ')})`);
    }
    if (problems.length > 0) {
      throw new NextframeError('bad-feeds', `OrtSession: the inputs do not fit the model:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
  }

  /** Release the ORT session and its device buffers. Safe to call twice. */
  async dispose(): Promise<void> {
    const session = this.session;
    this.session = null;
    if (session) {
      await this.queue;
      await session.release();
    }
  }

  get disposed(): boolean {
    return this.session === null;
  }
}

function configureWasm(requested: number | undefined): number {
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 2;
  // Browsers only allow WASM threads on cross-origin-isolated pages (SharedArrayBuffer).
  const isolated = isNode || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const threads = isolated ? Math.max(1, Math.min(requested ?? Math.min(cores, 4), 16)) : 1;
  if (!wasmConfigured) {
    // ORT reads these once, at its first session; later sessions share the same WASM instance.
    ort.env.wasm.numThreads = threads;
    ort.env.logLevel = 'error';
    wasmConfigured = true;
  }
  return ort.env.wasm.numThreads ?? threads;
}

function sessionOptions(backend: Backend): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [backend],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    // Same shapes every step: let ORT reuse its arena and memory plan between runs.
    enableCpuMemArena: true,
    enableMemPattern: true,
    // Errors only: ORT's warnings (e.g. shape ops placed on the CPU) are expected and noisy.
    logSeverityLevel: 3,
  };
}

async function webgpuUnavailableReason(): Promise<string | null> {
  if (isNode) return 'WebGPU is not available in Node; onnxruntime-web runs on WASM there';
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
  if (!gpu) return 'this browser has no WebGPU (navigator.gpu is missing)';
  try {
    const adapter = await gpu.requestAdapter();
    return adapter ? null : 'navigator.gpu.requestAdapter() returned no adapter';
  } catch (error) {
    return `navigator.gpu.requestAdapter() failed: ${errorMessage(error)}`;
  }
}

function toTensorInfo(meta: ort.InferenceSession.ValueMetadata): TensorInfo {
  if (!meta.isTensor) return { name: meta.name, dtype: 'non-tensor', shape: [] };
  return { name: meta.name, dtype: meta.type, shape: [...meta.shape] };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
