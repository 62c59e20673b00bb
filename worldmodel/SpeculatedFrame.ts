import type { ActionInput } from './ActionCodec.ts';
import type { Conditioning, View } from './Conditioning.ts';
import type { BranchStep } from './writeBranchContext.ts';

/**
 * A frame painted for an assumed action but not (yet) part of the history: `sampleBranches`
 * makes them, `commit` makes one the next frame. Until then nothing of it is in the history or
 * in spatial memory.
 */
export interface SpeculatedFrame extends BranchStep {
  /** CHW float32 in [−1, 1]. */
  readonly frame: Float32Array;
  /** The action as the model saw it (quantised, then dequantised). */
  readonly encoded: Float32Array;
  /** `ActionCodec.key` of the action. */
  readonly key: string;
  /** 1: the frame after the committed state it was painted on; n: after n − 1 speculated frames. */
  readonly depth: number;
  /** The speculated frame this one continues (null: it continues the committed state). */
  readonly parent: SpeculatedFrame | null;
  /** The view it was painted for, when one was given (memory remembers it at commit). */
  readonly view: View | null;
  /** The memory stream it was painted with (4·H·W, as the model saw it); null for models without memory. */
  readonly memory: Float32Array | null;
  /** What it was painted after (its parent, or a token of the committed state then): commit checks it. */
  readonly after: object;
}

/** One branch for `sampleBranches`: an action taken after `parent` (default: after the committed state). */
export interface BranchRequest {
  action: ActionInput;
  parent?: SpeculatedFrame | null;
  conditioning?: Conditioning;
}
