import type { PolicySimulation } from './PolicySimulation.ts';
import type { ObservationSource } from './types.ts';

/**
 * Where a vector environment's pictures come from. Both implementations read the same
 * simulations (pose, depth, objects, last action) and nothing else, so switching the source
 * changes what the policy sees and nothing of what happens.
 */
export interface ObservationRenderer {
  readonly source: ObservationSource;
  /** The first image of the episodes just reset in `sims` (slot numbers `slots`): HWC RGB bytes. */
  reset(sims: readonly PolicySimulation[], slots: readonly number[]): Promise<Uint8Array[]>;
  /** The image after the tick each of `sims` (slots `slots`) just took, all in one batch. */
  step(sims: readonly PolicySimulation[], slots: readonly number[]): Promise<Uint8Array[]>;
  /** Milliseconds of the last `step`, split into its parts (for throughput reports). */
  readonly lastMs: Readonly<Record<string, number>>;
  close(): Promise<void>;
}
