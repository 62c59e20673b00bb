import { describe, expect, it } from 'vitest';
import { branchChain, markCommitted, NO_CHAIN } from '../../worldmodel/branchChain.ts';
import { NextframeError } from '../../worldmodel/errors.ts';
import type { SpeculatedFrame } from '../../worldmodel/SpeculatedFrame.ts';

/** A speculated frame painted after `after` (its parent, or a token of the committed state then). */
function speculated(key: string, parent: SpeculatedFrame | null, after: object): SpeculatedFrame {
  return { frame: new Float32Array(3), encoded: new Float32Array(1), key, depth: 1, parent, view: null, memory: null, after };
}

function errorOf(run: () => unknown): NextframeError {
  try {
    run();
  } catch (error) {
    if (error instanceof NextframeError) return error;
    throw error;
  }
  throw new Error('expected a NextframeError');
}

describe('branchChain', () => {
  it('is empty for a branch on the committed state; NO_CHAIN is an empty, frozen chain', () => {
    expect(branchChain(null, {})).toEqual([]);
    expect(NO_CHAIN).toHaveLength(0);
    expect(Object.isFrozen(NO_CHAIN)).toBe(true);
  });

  it('lists the uncommitted frames from the committed state to the parent, oldest first', () => {
    const head = {};
    const a = speculated('a', null, head);
    const b = speculated('b', a, a);
    const c = speculated('c', b, b);
    expect(branchChain(a, head)).toEqual([a]);
    expect(branchChain(c, head)).toEqual([a, b, c]);
    // Once `a` is the committed state, the chain to `c` starts after it.
    expect(branchChain(c, a)).toEqual([b, c]);
  });

  it('refuses a parent whose chain starts on a state that is no longer the committed one', () => {
    const before = {};
    const a = speculated('forward', null, before);
    const b = speculated('yaw-left', a, a);
    const error = errorOf(() => branchChain(b, {}));
    expect(error.code).toBe('stale-branch');
    expect(error.message).toContain('"yaw-left"');
    expect(error.message).toMatch(/^WorldModel\.sampleBranches:/);
  });
});

describe('markCommitted', () => {
  it('cuts the links of a committed frame: no parent, and a branch can no longer start on what it followed', () => {
    const head = {};
    const a = speculated('a', null, head);
    const b = speculated('b', a, a);
    markCommitted(b);
    expect(b.parent).toBeNull();
    expect(b.after).not.toBe(a);
    expect(b.after).not.toBe(head);
    expect(Object.isFrozen(b.after)).toBe(true);
    // Its children continue it while it is the committed state…
    const c = speculated('c', b, b);
    expect(branchChain(c, b)).toEqual([c]);
    // …but it is not a branch any more: under any other state, a chain through it is stale.
    expect(errorOf(() => branchChain(c, head)).code).toBe('stale-branch');
    expect(errorOf(() => branchChain(b, a)).code).toBe('stale-branch');
  });
});
