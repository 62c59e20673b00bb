import type { DiffusionSamplerOptions } from './DiffusionSampler.ts';
import type { ModelManifest } from './manifestSchema.ts';
import { ModelBatch } from './ModelBatch.ts';
import type { OrtSession } from './OrtSession.ts';

/**
 * What a world model and its forks share: the ORT session, released when the last of them
 * leaves; the manifest and sampler settings; and the buffers of their batched runs, by batch
 * size. The few sizes used (1 for `step`, the scheduler's batches, a vector of environments) are
 * each allocated once. A run takes its batch for itself until it gives it back, so two runs of
 * one size at once (a tick while speculation runs) never write into each other's buffers.
 */
export class SharedSession {
  readonly session: OrtSession;
  readonly manifest: ModelManifest;
  readonly sampler: DiffusionSamplerOptions;
  private users = 0;
  /** Batches not in a run, by size. */
  private readonly idle = new Map<number, ModelBatch[]>();

  constructor(session: OrtSession, manifest: ModelManifest, sampler: DiffusionSamplerOptions) {
    this.session = session;
    this.manifest = manifest;
    this.sampler = sampler;
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
    const idle = this.idle.get(batch.size);
    if (idle) idle.push(batch);
    else this.idle.set(batch.size, [batch]);
  }
}
