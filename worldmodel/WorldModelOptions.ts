import type { ProgressCallback } from './loadBytes.ts';
import type { SamplerDefaults } from './manifestSchema.ts';
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
}
