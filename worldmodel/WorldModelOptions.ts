import type { DisplayUpsampler } from './DisplayUpsampler.ts';
import type { ProgressCallback } from './loadBytes.ts';
import type { SamplerDefaults } from './manifestSchema.ts';
import type { SessionFactory } from './ModelSession.ts';
import type { OrtSessionOptions } from './OrtSession.ts';
import type { SpatialMemoryOptions } from './SpatialMemory.ts';

/** What `WorldModel.load` and `WorldModel.fromBytes` take, besides the model: the ORT session's options and these. */
export interface WorldModelOptions extends OrtSessionOptions {
  /** Seed of the sampling noise; the same seed and inputs give the same frames. Default 0. */
  seed?: number;
  /** Override the manifest's sampler defaults (e.g. fewer steps on a slow device). */
  sampler?: Partial<Pick<SamplerDefaults, 'method' | 'steps'>>;
  /** Download progress of the manifest and model bytes. */
  onProgress?: ProgressCallback;
  /** Settings of the spatial memory kept for models with a `memory` stream. */
  memory?: Partial<SpatialMemoryOptions>;
  /**
   * Where the model runs: default `OrtSession.create` (this thread, or onnxruntime's proxy worker
   * with `proxy`). The engine's `WorkerSession.create` runs it in a worker of its own, which the
   * plug-in replaces if it dies; `switchToWasm` makes sessions with it too.
   */
  createSession?: SessionFactory;
  /**
   * Paint a display frame `display.scale` times the model's size per side after every frame
   * (`model.lastDisplay`): a `BicubicUpsampler`, or a `LearnedUpsampler` that also sees the memory
   * of the view at display resolution. The spatial memory then keeps display frames
   * (`memory.displayScale` = `display.scale`). A model without a memory stream upsamples with the
   * memory input all uncovered. The upsampler stays the caller's: forks share it, and
   * `model.dispose()` leaves it alone; dispose it after the last model using it.
   */
  display?: DisplayUpsampler;
}
