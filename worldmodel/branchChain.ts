import { NextframeError } from './errors.ts';
import type { SpeculatedFrame } from './SpeculatedFrame.ts';
import type { BranchStep } from './writeBranchContext.ts';

/** The chain of a frame that continues the committed state: no uncommitted frames. */
export const NO_CHAIN: readonly BranchStep[] = Object.freeze([]);

/** What a committed frame was painted after: nothing a branch can continue from. */
const COMMITTED: object = Object.freeze({});

/**
 * The uncommitted frames from the committed state `head` to `parent`, oldest first (none for a
 * null parent). Refuses a chain that does not start at `head`: something else was committed
 * since its first frame was painted.
 */
export function branchChain(parent: SpeculatedFrame | null, head: object): SpeculatedFrame[] {
  const chain: SpeculatedFrame[] = [];
  for (let f = parent; f && f !== head; f = f.parent) chain.unshift(f);
  if (chain.length > 0 && chain[0]!.after !== head) {
    throw new NextframeError('stale-branch', `WorldModel.sampleBranches: the parent branch "${parent!.key}" no longer continues the committed state (something else was committed since).`);
  }
  return chain;
}

/**
 * A speculated frame was committed: it is the state now, not a branch. Cutting its links lets
 * the frames before it be freed, and it can never be committed again.
 */
export function markCommitted(frame: SpeculatedFrame): void {
  const committed = frame as { parent: SpeculatedFrame | null; after: object };
  committed.parent = null;
  committed.after = COMMITTED;
}
