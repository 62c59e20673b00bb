import { describe, expect, it } from 'vitest';
import { DisplayGovernor } from '../../../../engine/runtime/plugin/DisplayGovernor.ts';

// A 20 Hz tick (50 ms): the model's frame and the display frame may take 40 ms together. Judged
// from the first tick on (warmupTicks 0), but where warm-up is the point.
const TICK = 50;
const NOW = { tickMs: TICK, warmupTicks: 0 };

describe('DisplayGovernor', () => {
  it('keeps the display frame while the model and display fit in the budget', () => {
    const g = new DisplayGovernor(NOW);
    expect(g.budgetMs).toBe(40);
    for (let t = 0; t < 50; t++) expect(g.observe(12, 10)).toBe(true);
    expect(g.steppedDown).toBe(false);
    expect(g.changes).toBe(0);
    expect(g.costMs).toBe(22);
  });

  it('steps down after downTicks ticks over the budget, not after one', () => {
    const g = new DisplayGovernor(NOW);
    expect(g.observe(30, 15)).toBe(true); // one slow tick: 45 > 40, kept
    expect(g.observe(12, 10)).toBe(true); // and the count starts again
    expect(g.observe(30, 15)).toBe(true);
    expect(g.observe(30, 15)).toBe(false); // two in a row
    expect(g.steppedDown).toBe(true);
    expect(g.changes).toBe(1);
  });

  it('while stepped down, estimates the display frame from the model frame and steps back up when the device speeds up', () => {
    const g = new DisplayGovernor({ ...NOW, upTicks: 4 });
    for (let t = 0; t < 5; t++) g.observe(10, 5); // a display frame costs half a model frame
    g.observe(40, 20);
    expect(g.observe(40, 20)).toBe(false); // the device slowed down 4×: 60 ms
    // Still slow: no display frame is made, its cost is estimated at half the model's.
    for (let t = 0; t < 50; t++) expect(g.observe(40, null)).toBe(false);
    expect(g.costMs).toBeCloseTo(60, 0);
    expect(g.estimateDisplayMs(40)).toBeCloseTo(20, 0);
    // Fast again: 10 + 5 estimated is under 0.75 × 40, after upTicks ticks in a row.
    expect(g.observe(10, null)).toBe(false);
    expect(g.observe(10, null)).toBe(false);
    expect(g.observe(10, null)).toBe(false);
    expect(g.observe(10, null)).toBe(true);
    expect(g.changes).toBe(2);
  });

  it('does not step up into a setting that would only just fit (no flapping at the threshold)', () => {
    const g = new DisplayGovernor({ ...NOW, upTicks: 3 });
    g.observe(25, 20);
    g.observe(25, 20); // 45 > 40: down
    expect(g.steppedDown).toBe(true);
    // 20 + 16 = 36: under the budget but over 0.75 × 40 = 30, so it stays down.
    for (let t = 0; t < 30; t++) expect(g.observe(20, null)).toBe(false);
    expect(g.changes).toBe(1);
  });

  it('a hiccup does not keep it down: the estimate is the median of the last display frames', () => {
    const g = new DisplayGovernor({ ...NOW, upTicks: 3 });
    for (let t = 0; t < 6; t++) g.observe(10, 10);
    g.observe(10, 60);
    expect(g.observe(10, 60)).toBe(false); // two slow display frames (a pause): down
    expect(g.estimateDisplayMs(10)).toBeCloseTo(10); // the median of 10, 10, 10, 10, 10, 10, 60, 60
    for (let t = 0; t < 2; t++) expect(g.observe(10, null)).toBe(false);
    expect(g.observe(10, null)).toBe(true);
  });

  it('tries display frames again after retryTicks down when the model alone leaves room', () => {
    const g = new DisplayGovernor({ ...NOW, retryTicks: 5 });
    g.observe(30, 100);
    g.observe(30, 100); // the first runs of a session: slow
    expect(g.steppedDown).toBe(true);
    for (let t = 0; t < 4; t++) expect(g.observe(10, null)).toBe(false); // estimated 10 + 33: no room
    expect(g.observe(10, null)).toBe(true); // retried: the next display frames are measured anew
    // Where the model alone is over the room, no retry.
    const h = new DisplayGovernor({ ...NOW, retryTicks: 5 });
    h.observe(35, 10);
    h.observe(35, 10);
    for (let t = 0; t < 20; t++) expect(h.observe(35, null)).toBe(false);
  });

  it('does not judge the first warmupTicks ticks: the first runs of a session are slow', () => {
    const g = new DisplayGovernor({ tickMs: TICK }); // 8 by default
    for (let t = 0; t < 8; t++) expect(g.observe(200, 150)).toBe(true);
    expect(g.estimateDisplayMs(10)).toBe(0); // nor learn from them
    expect(g.observe(30, 15)).toBe(true);
    expect(g.observe(30, 15)).toBe(false);
  });

  it('ignores measurements that are not numbers, and refuses options out of range', () => {
    const g = new DisplayGovernor(NOW);
    expect(g.observe(Number.NaN, 5)).toBe(true);
    expect(g.observe(-1, 5)).toBe(true);
    expect(g.changes).toBe(0);
    expect(() => new DisplayGovernor({ tickMs: 0 })).toThrow(/tickMs is out of range/);
    expect(() => new DisplayGovernor({ ...NOW, share: 1.5 })).toThrow(/share/);
    expect(() => new DisplayGovernor({ ...NOW, upTicks: 0 })).toThrow(/upTicks/);
    expect(() => new DisplayGovernor({ ...NOW, warmupTicks: -1 })).toThrow(/warmupTicks/);
  });
});
