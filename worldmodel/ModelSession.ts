import type { Backend, Feed, Fetched, OrtSessionOptions, TensorInfo } from './OrtSession.ts';

/**
 * What a world model runs its denoiser on: an `OrtSession` on this thread (or onnxruntime's proxy
 * worker), or a session the host keeps elsewhere (the engine's `WorkerSession`, in a worker of its
 * own) with the same contract: runs queued, inputs checked, `device-lost` once it is gone.
 */
export interface ModelSession {
  readonly backend: Backend;
  /** Why the requested device was not used, or null. */
  readonly fallbackReason: string | null;
  /** Runs go through onnxruntime's proxy worker, which took the model bytes. */
  readonly proxied: boolean;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** Why the session's device (or worker) is gone, or null; once gone every run fails. */
  readonly deviceLost: string | null;
  run(feeds: Record<string, Feed>): Promise<Fetched>;
  /** Test hook: the device (or worker) goes away now. */
  loseDevice(reason?: string): void;
  dispose(): Promise<void>;
}

/** Makes a session from ONNX bytes: `OrtSession.create` by default (`WorldModelOptions.createSession`). */
export type SessionFactory = (model: Uint8Array, options: OrtSessionOptions) => Promise<ModelSession>;
