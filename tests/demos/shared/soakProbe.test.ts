import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebGLRenderer } from 'three';
import { SoakProbe } from '../../../demos/shared/soakProbe.ts';
import type { FrameEvent, StatsEvent, WorldModelPlugin } from '../../../engine/runtime/index.ts';

// The page side of the soak with a stand-in plug-in: what counts as on time, late and never.

let now = 0;

function fakePlugin() {
  const listeners: { frame: ((e: FrameEvent) => void)[]; stats: ((e: StatsEvent) => void)[] } = { frame: [], stats: [] };
  const runner = {
    busy: false,
    scheduler: { mode: 'single', stats: { ticks: 0, hits: 3, runs: 5, framesPainted: 9, discarded: 2 } },
    submit: (): boolean => !runner.busy,
  };
  const memory = { size: 12, options: { capacity: 48 } };
  const plugin = {
    clock: { tickHz: 20 },
    loop: { runner },
    model: { memory, backend: 'wasm', manifest: { modelFile: 'model.onnx' } },
    on: (type: 'frame' | 'stats', listener: never) => listeners[type].push(listener),
  };
  const renderer = { info: { memory: { geometries: 29, textures: 14 }, programs: [1, 2, 3] } };
  const frame = (tick: number, x = 0, yaw = 0, ms = 20): void => {
    for (const l of listeners.frame) l({ tick, ms, pose: { x, y: 1.6, z: 0, yaw, pitch: 0 } } as unknown as FrameEvent);
  };
  const stats = (displayFps: number, speculationMode: StatsEvent['speculationMode'] = 'off'): void => {
    for (const l of listeners.stats) l({ displayFps, speculationMode, speculationAuto: true } as unknown as StatsEvent);
  };
  const probe = new SoakProbe(plugin as unknown as WorldModelPlugin, renderer as unknown as WebGLRenderer);
  /** Hand a tick over at `at`, ms. */
  const submit = (at: number): boolean => {
    now = at;
    return (runner.submit as (...args: unknown[]) => boolean)();
  };
  return { probe, frame, stats, submit, runner };
}

describe('SoakProbe', () => {
  afterEach(() => vi.restoreAllMocks());

  it('counts a tick on time when it is shown within one tick period of its hand-over, late after, never when it does not come', () => {
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const { probe, frame, submit, runner } = fakePlugin();
    frame(0); // the ground-truth start view: not a tick
    submit(1000);
    now = 1040;
    frame(1, 1); // 40 ms: on time at 20 Hz (50 ms)
    submit(1050);
    now = 1130;
    frame(2, 2, Math.PI / 2); // 80 ms: late
    submit(1150);
    runner.busy = true; // in flight at the sample: not (yet) never
    let s = probe.sample();
    expect(s.ticks).toEqual({ handed: 3, shown: 2, onTime: 1, late: 1, skipped: 0, inFlight: true });
    expect(s.latencyMs).toEqual([40, 80]);
    expect(s.modelMs).toEqual([20, 20]);
    expect(s.moved.metres).toBeCloseTo(2, 10);
    expect(s.moved.degrees).toBeCloseTo(90, 10);
    // The rings are drained by each sample; the counts go on.
    runner.busy = false;
    now = 1200;
    frame(4, 3); // tick 3 never came
    s = probe.sample();
    expect(s.latencyMs).toEqual([50]);
    expect(s.ticks).toMatchObject({ shown: 3, onTime: 2, skipped: 1, inFlight: false });
  });

  it('reads the renderer, memory and scheduler counts, the display fps of each stats window and the modes they were in', () => {
    const { probe, stats } = fakePlugin();
    stats(58);
    stats(31, 'single');
    stats(60);
    const s = probe.sample();
    expect(s).toMatchObject({ renderer: { geometries: 29, textures: 14, programs: 3 }, keyframes: 12, keyframeCapacity: 48, frames: { painted: 9, speculated: 3, discarded: 2, mode: 'single' }, tickHz: 20, backend: 'wasm' });
    expect(s.displayFps).toEqual([58, 31, 60]);
    expect(s.speculation).toEqual({ auto: true, windows: { off: 2, single: 1 } });
    expect(probe.sample().displayFps).toEqual([]);
  });

  it('marks the first truth view and the first model frame once, and a rejected hand-over is not counted', () => {
    performance.clearMarks();
    const { probe, frame, submit, runner } = fakePlugin();
    frame(0);
    frame(1);
    frame(0); // a restart
    frame(1);
    const marks = probe.timeline().marks;
    expect(Object.keys(marks).sort()).toEqual(['first-model-frame', 'first-truth']);
    expect(performance.getEntriesByName('nextframe:first-model-frame')).toHaveLength(1);
    runner.busy = true;
    expect(submit(5000)).toBe(false);
    expect(probe.sample().ticks.handed).toBe(0);
  });
});
