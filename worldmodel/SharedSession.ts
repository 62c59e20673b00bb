import type { DiffusionSamplerOptions } from './DiffusionSampler.ts';
import type { ModelManifest } from './manifestSchema.ts';
import { ModelBatch } from './ModelBatch.ts';
import type { ModelSession } from './ModelSession.ts';

/**
 * What a world model and its forks share: the ORT session, released when the last of them
 * leaves; the manifest and sampler settings; and the buffers of their batched runs, by batch
 * size. The few sizes used (1 for `step`, the scheduler's batches, a vector of environments) are
 * each allocated once. A run takes its batch for itself until it gives it back, so two runs of
 * one size at once (a tick while speculation runs) never write into each other's buffers.
 */
export class SharedSession {
  readonly manifest: ModelManifest;
  readonly sampler: DiffusionSamplerOptions;
  /**
   * The ONNX bytes the session was made from, kept while they are still ours (onnxruntime's proxy
   * worker takes them): a lost device's session can be made again on another (`replace`).
   */
  readonly modelBytes: Uint8Array | null;
  private current: ModelSession;
  private users = 0;
  /** Batches not in a run, by size. */
  private readonly idle = new Map<number, ModelBatch[]>();

  constructor(session: ModelSession, manifest: ModelManifest, sampler: DiffusionSamplerOptions, modelBytes: Uint8Array | null = null) {
    this.current = session;
    this.manifest = manifest;
    this.sampler = sampler;
    this.modelBytes = modelBytes && modelBytes.byteLength > 0 ? modelBytes : null;
  }

  /** The ONNX session every run of the models sharing it goes to. */
  get session(): ModelSession {
    return this.current;
  }

  /**
   * Every model sharing this moves to `session` (the same model on another device); the old one is
   * released. Batches of the old session are dropped; what the models hold (history, memory) stays.
   */
  replace(session: ModelSession): void {
    const old = this.current;
    this.current = session;
    this.idle.clear();
    // Not awaited: on a lost device the release (and the run it waits for) may never finish.
    void old.dispose().catch(() => undefined);
  }

  /** One more model uses the session. */
  join(): void {
    this.users++;
  }

  /** A model is done with the session; the last one to leave releases it. */
  async leave(): Promise<void> {
    if (--this.users > 0) return;
    this.idle.clear();
    await this.session.dispose();
  }

  /** Buffers for a run of `size` items, this run's alone until `giveBack`. */
  takeBatch(size: number): ModelBatch {
    return this.idle.get(size)?.pop() ?? new ModelBatch(this.session, this.manifest, this.sampler, size);
  }

  /** The run is over: its batch serves the next run of that size. */
  giveBack(batch: ModelBatch): void {
    if (batch.session !== this.current) return; // its session was replaced mid-run
    const idle = this.idle.get(batch.size);
    if (idle) idle.push(batch);
    else this.idle.set(batch.size, [batch]);
  }
}
