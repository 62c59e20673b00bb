import type { FrameHistory } from './FrameHistory.ts';

/** One uncommitted step a branch continues from: the frame painted and the encoded action that led into it. */
export interface BranchStep {
  frame: Float32Array;
  encoded: Float32Array;
}

/**
 * The model inputs for a frame that follows the committed history and then `chain` (uncommitted
 * frames, oldest first), taken with the encoded action `next`: `context` gets the newest K frames
 * of history + chain (K·3·H·W), `actions` the actions that led into the newest K−1 of them and
 * then `next` (K·A), the same convention as `FrameHistory`. The history itself is not touched, so
 * a speculated branch can be painted without anything uncommitted entering it.
 */
export function writeBranchContext(history: FrameHistory, chain: readonly BranchStep[], next: Float32Array, context: Float32Array, actions: Float32Array): void {
  const K = history.frames;
  const F = history.frameSize;
  const A = history.actionSize;
  history.writeContext(context);
  history.writeActions(next, actions);
  const d = Math.min(chain.length, K);
  if (d === 0) return;
  const tail = chain.slice(chain.length - d);
  // Frames: drop the d oldest history frames, append the chain's newest d.
  context.copyWithin(0, d * F, K * F);
  tail.forEach((step, i) => context.set(step.frame, (K - d + i) * F));
  // Action rows before `next`: the history's K−1 rows then the chain's, keeping the newest K−1.
  const rows = K === 1 ? [] : [...Array.from({ length: K - 1 }, (_, k) => actions.slice(k * A, (k + 1) * A)), ...chain.map((s) => s.encoded)].slice(-(K - 1));
  rows.forEach((row, k) => actions.set(row, k * A));
  actions.set(next.subarray(0, A), (K - 1) * A);
}
