import type { Conditioning } from './Conditioning.ts';
import type { FrameHistory } from './FrameHistory.ts';
import type { BatchItem } from './ModelBatch.ts';
import type { SeededRandom } from './SeededRandom.ts';
import type { SharedSession } from './SharedSession.ts';
import type { SpatialMemory } from './SpatialMemory.ts';
import { writeBranchContext, type BranchStep } from './writeBranchContext.ts';
import { writeConditioning } from './writeConditioning.ts';

/** One item of a batched run, as its model sees it: its history, memory, action, conditioning and noise. */
export interface PaintItem {
  /** The committed frames and actions the item continues. */
  history: FrameHistory;
  /** The memory its memory stream is rendered from; null: an empty stream (no memory, or memory turned off). */
  memory: SpatialMemory | null;
  /** The action taken now, encoded (A). */
  encoded: Float32Array;
  conditioning: Conditioning;
  /** The uncommitted frames it continues, oldest first (none: the committed state). */
  chain: readonly BranchStep[];
  noise: SeededRandom;
}

/**
 * The one way a world model paints frames: `step` (a batch of one), `stepMany` (one item per
 * model) and `sampleBranches` (one per branch) all run here, so they cannot drift apart. Each
 * item's inputs are written now (its context, actions and conditioning), then one batched model
 * run per denoising step paints them all; `read` takes each item's frame out before the batch
 * goes back to the session's shared buffers (its views are overwritten by the next run).
 */
export async function paintBatch<T>(shared: SharedSession, items: readonly PaintItem[], read: (item: BatchItem, b: number) => T): Promise<T[]> {
  const batch = shared.takeBatch(items.length);
  try {
    items.forEach((item, b) => {
      const inputs = batch.items[b]!;
      writeConditioning(item.conditioning, shared.manifest, item.memory, inputs);
      writeBranchContext(item.history, item.chain, item.encoded, inputs.context, inputs.actions);
    });
    await batch.sample(items.map((item) => item.noise));
    return batch.items.map(read);
  } finally {
    shared.giveBack(batch);
  }
}

/** A painted frame copied out of the batch buffers, into `out` when given (its length checked by the caller). */
export function copyFrame(frame: Float32Array, out: Float32Array | undefined): Float32Array {
  const copy = out ?? new Float32Array(frame.length);
  copy.set(frame);
  return copy;
}
