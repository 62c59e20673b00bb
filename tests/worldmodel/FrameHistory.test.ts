import { describe, expect, it } from 'vitest';
import { FrameHistory } from '../../worldmodel/FrameHistory.ts';

const frame = (v: number) => new Float32Array(4).fill(v);
const action = (v: number) => new Float32Array(2).fill(v);

describe('FrameHistory', () => {
  it('writes the context oldest first and rolls over on push', () => {
    const h = new FrameHistory({ frames: 3, frameSize: 4, actionSize: 2 });
    h.reset([frame(1), frame(2), frame(3)]);
    const ctx = new Float32Array(12);
    h.writeContext(ctx);
    expect(Array.from(ctx)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    h.push(frame(4), action(0.5));
    h.writeContext(ctx);
    expect(Array.from(ctx)).toEqual([2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]);
    expect(Array.from(h.latest())).toEqual([4, 4, 4, 4]);
  });

  it('pairs each context frame with the action after it; the last row is the new action', () => {
    const h = new FrameHistory({ frames: 3, frameSize: 4, actionSize: 2 });
    h.reset([frame(1), frame(2), frame(3)], [action(-1), action(-2), action(-3)]);
    const rows = new Float32Array(6);
    h.writeActions(action(9), rows);
    // context frames 1, 2, 3: actions that led into 2 and 3, then the new one
    expect(Array.from(rows)).toEqual([-2, -2, -3, -3, 9, 9]);
    h.push(frame(4), action(9));
    h.writeActions(action(7), rows);
    expect(Array.from(rows)).toEqual([-3, -3, 9, 9, 7, 7]);
  });

  it('snapshot and restore bring back the exact state', () => {
    const h = new FrameHistory({ frames: 2, frameSize: 4, actionSize: 2 });
    h.reset([frame(1), frame(2)]);
    const saved = h.snapshot();
    h.push(frame(3), action(1));
    h.restore(saved);
    const ctx = new Float32Array(8);
    h.writeContext(ctx);
    expect(Array.from(ctx)).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
  });

  it('refuses to step before reset and rejects wrong sizes', () => {
    const h = new FrameHistory({ frames: 2, frameSize: 4, actionSize: 2 });
    expect(() => h.writeContext(new Float32Array(8))).toThrow(/reset/);
    expect(() => h.reset([frame(1)])).toThrow(/exactly 2 initial frames/);
    expect(() => h.reset([frame(1), new Float32Array(3)])).toThrow(/4 values/);
    h.reset([frame(1), frame(2)]);
    expect(() => h.push(frame(3), new Float32Array(5))).toThrow(/2 values/);
    expect(() => new FrameHistory({ frames: 0, frameSize: 4, actionSize: 2 })).toThrow(/frames must be a positive integer/);
  });
});
