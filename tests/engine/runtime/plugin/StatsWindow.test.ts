import { describe, expect, it } from 'vitest';
import { StatsWindow } from '../../../../engine/runtime/plugin/StatsWindow.ts';

const fixed = { tickHz: 20, modelMs: 30, backend: 'wasm' as const, ticks: 7 };

describe('StatsWindow', () => {
  it('turns half a second of counts into rates and per-update means, then starts over', () => {
    const w = new StatsWindow();
    expect(w.report(1000, fixed, 2)).toBeNull(); // opens the window
    w.updates = 30;
    w.draws = 12;
    w.frames = 10;
    w.physicsMs = 60;
    w.updateMs = 90;
    w.depthMs = 40;
    expect(w.report(1400, fixed, 2)).toBeNull(); // not half a second yet
    const e = w.report(1500, fixed, 2)!;
    expect(e.displayFps).toBeCloseTo(60);
    expect(e.drawFps).toBeCloseTo(24);
    expect(e.worldFps).toBeCloseTo(20);
    expect(e.physicsMs).toBeCloseTo(2);
    expect(e.updateMs).toBeCloseTo(3);
    expect(e.depthMs).toBeCloseTo(4); // per world frame
    expect(e).toMatchObject({ ...fixed, speculationHitRate: null, memoryState: 'none', memoryCoverage: null, memoryMs: null, memoryKeyframes: null });
    expect(w.updates).toBe(0);
    w.updates = 1;
    expect(w.report(2000, fixed, 2)!.depthMs).toBe(2); // no frames: the last ray-cast time
  });

  it('reports spatial memory: coverage and keyframes as given, milliseconds per world frame', () => {
    const w = new StatsWindow();
    const memory = { ...fixed, memoryState: 'on' as const, memoryCoverage: 0.87, memoryKeyframes: 12 };
    w.report(1000, memory, 2, 0.5);
    w.frames = 4;
    w.memoryMs = 6;
    const e = w.report(1500, memory, 2, 0.5)!;
    expect(e).toMatchObject({ memoryState: 'on', memoryCoverage: 0.87, memoryKeyframes: 12 });
    expect(e.memoryMs).toBeCloseTo(1.5); // per world frame
    expect(w.memoryMs).toBe(0);
    expect(w.report(2000, { ...memory, memoryState: 'off', memoryCoverage: 0 }, 2, 0.5)).toMatchObject({ memoryState: 'off', memoryCoverage: 0, memoryMs: 0.5 }); // no frames: the last
  });
});
