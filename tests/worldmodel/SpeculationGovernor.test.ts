import { describe, expect, it } from 'vitest';
import { SpeculationGovernor, type SpeculationSetting } from '../../worldmodel/SpeculationGovernor.ts';

// A fake device on a fake clock: a run of B frames takes `factor · costOf(B)` virtual ms. Each
// tick the governor's setting is "run" as the scheduler would at steady state (off: the tick's
// on-demand frame; single: one frame, two after a miss two ahead; multi: its whole batch), the
// times are reported, and the governor decides.
// tickMs 50, share 0.6: a tick's speculation may take 30 ms; a costlier rung is taken only
// when it fits in 0.75 · 30 = 22.5 ms.
const TICK = { tickMs: 50, share: 0.6, upMargin: 0.25, upTicks: 8, downTicks: 2, maxBranches: 16, maxLookahead: 2 };
const linear = (b: number) => 2 + 2 * b; // 4 ms for one frame, 2 ms per further frame

function tick(governor: SpeculationGovernor, ms: (batch: number) => number): Readonly<SpeculationSetting> {
  const s = governor.setting;
  const batch = s.mode === 'multi' ? s.maxBatch : 1;
  governor.observeRun(batch, ms(batch));
  return governor.decide();
}

function play(governor: SpeculationGovernor, ticks: number, ms: (batch: number) => number): SpeculationSetting[] {
  return Array.from({ length: ticks }, () => ({ ...tick(governor, ms) }));
}

/** A rung's place on the ladder, for "lower" and "higher": off < single 1 < single 2 < multi by branches. */
const order = (s: SpeculationSetting) => (s.mode === 'off' ? 0 : s.mode === 'single' ? s.lookahead : 2 + s.branches);

describe('SpeculationGovernor', () => {
  it('stays off until a run is timed, then jumps to the costliest setting that fits', () => {
    const governor = new SpeculationGovernor(TICK);
    expect(governor.decide()).toMatchObject({ mode: 'off' });
    governor.observeRun(1, 4);
    // Only batch 1 is known: a batch of B is guessed at 4·B ms (a CPU's cost). Multi with 6
    // candidates and one frame deeper is a batch of 7: 28 ms ≤ 30; with 8, 9 frames: 36 ms.
    expect(governor.estimateMs(7)).toBeCloseTo(28, 9);
    expect(governor.decide()).toEqual({ mode: 'multi', branches: 6, lookahead: 2, budget: 7, maxBatch: 7 });
  });

  it('steps down when runs get slower and back up when they get faster, without overshooting', () => {
    const governor = new SpeculationGovernor(TICK);
    // At full speed batches of 7 cost 16 ms: once timed, the line through 4 and 16 ms puts 9
    // frames (8 candidates) at 20 ms ≤ 22.5, 13 frames (12 candidates) at 28 ms > 22.5: multi-8.
    const fast = play(governor, 40, linear);
    expect(fast.at(-1)).toEqual({ mode: 'multi', branches: 8, lookahead: 2, budget: 9, maxBatch: 9 });
    // Four times slower: one frame 16 ms fits (≤ 30), two a tick 32 ms do not, nor a batch of 3.
    const slow = play(governor, 40, (b) => 4 * linear(b));
    expect(slow.at(-1)).toEqual({ mode: 'single', branches: 1, lookahead: 1, budget: 1, maxBatch: 1 });
    // On the way down it only ever went down.
    for (let t = 1; t < slow.length; t++) expect(order(slow[t]!)).toBeLessThanOrEqual(order(slow[t - 1]!));
    // Full speed again: back up one rung at a time to multi-8, and not past it.
    const changesBefore = governor.changes;
    const again = play(governor, 100, linear);
    expect(again.at(-1)).toEqual(fast.at(-1));
    for (let t = 1; t < again.length; t++) expect(order(again[t]!)).toBeGreaterThanOrEqual(order(again[t - 1]!));
    // single 1 → single 2 → multi 2, 3, 4, 6, 8: six steps, each after upTicks ticks that fit.
    expect(governor.changes - changesBefore).toBe(6);
    expect(again.findIndex((s) => s.branches === 8)).toBeGreaterThanOrEqual(6 * TICK.upTicks - 1);
  });

  it('turns speculation off when not even one frame fits, and on again', () => {
    const governor = new SpeculationGovernor(TICK);
    play(governor, 20, linear);
    // 40 ms a frame: more than the 30 ms a tick leaves.
    expect(play(governor, 30, (b) => 10 * linear(b)).at(-1)).toMatchObject({ mode: 'off' });
    expect(play(governor, 30, linear).at(-1)!.mode).not.toBe('off');
  });

  it('does not flap when a setting costs about what the tick allows', () => {
    const governor = new SpeculationGovernor(TICK);
    play(governor, 40, linear); // settled on multi-8: 9 frames
    const start = governor.changes;
    // Now 9 frames cost 30 ms ± 8 %, alternating above and below the room every few ticks.
    const wobble = (t: number) => (b: number) => 1.5 * linear(b) * (1 + 0.08 * Math.sin(t / 2));
    const settings: SpeculationSetting[] = [];
    for (let t = 0; t < 300; t++) settings.push({ ...tick(governor, wobble(t)) });
    // At most one step down (to multi-6: 7 frames at 24 ms, which fits); never back up, because
    // multi-8 at 30 ms is not under 22.5 ms.
    expect(governor.changes - start).toBeLessThanOrEqual(1);
    expect(new Set(settings.slice(50).map((s) => `${s.mode}${s.branches}`)).size).toBe(1);
  });

  it('gives the host its frame budget: slow display frames shrink the room, fast ones give it back', () => {
    const governor = new SpeculationGovernor(TICK);
    play(governor, 40, linear);
    expect(governor.roomMs).toBeCloseTo(30, 9);
    // The page draws at 20 fps (50 ms frames, over its 33 ms budget): room goes to a quarter.
    for (let i = 0; i < 10; i++) governor.observeHost(50);
    expect(governor.roomMs).toBeCloseTo(7.5, 9);
    // 7.5 ms: one frame (4 ms) fits, two a tick (8 ms) do not.
    expect(play(governor, 5, linear).at(-1)).toMatchObject({ mode: 'single', lookahead: 1 });
    for (let i = 0; i < 10; i++) governor.observeHost(16);
    expect(governor.roomMs).toBeCloseTo(30, 9);
    expect(play(governor, 100, linear).at(-1)).toMatchObject({ mode: 'multi', branches: 8 });
  });

  it('follows a device where a batch costs little more than one frame (a GPU) up to its ceiling', () => {
    const governor = new SpeculationGovernor({ ...TICK, maxBranches: 12 });
    const gpu = (b: number) => 5 + 0.25 * (b - 1);
    expect(play(governor, 80, gpu).at(-1)).toEqual({ mode: 'multi', branches: 12, lookahead: 2, budget: 13, maxBatch: 13 });
  });

  it('tries multi-branch once to learn what a batch costs, and keeps it only if it fits', () => {
    // One frame 11 ms: single two ahead (22 ms) fits; a batch of 3 guessed at 3 · 11 = 33 ms (a
    // further frame guessed to cost as much as the first) would not.
    const cheap = new SpeculationGovernor(TICK);
    const cheapBatches = (b: number) => 11 + 2 * (b - 1); // further frames 2 ms: k = 2/11
    expect(play(cheap, 2, cheapBatches).at(-1)).toMatchObject({ mode: 'single', lookahead: 2 });
    // After upTicks ticks it tries multi-2; its 15 ms run shows batches are cheap, so it stays and
    // climbs to the costliest that fits with room to spare: 5 frames 19 ms (≤ 22.5), 7 frames 23 ms.
    const after = play(cheap, 80, cheapBatches);
    expect(after.findIndex((s) => s.mode === 'multi')).toBe(TICK.upTicks - 2); // the second tick above was the first of the upTicks
    expect(after.at(-1)).toMatchObject({ mode: 'multi', branches: 4 });
    expect(cheap.batchSlope).toBeCloseTo(2 / 11, 1);
    // Where batches cost what their frames do, the try is taken back and not made again.
    const dear = new SpeculationGovernor(TICK);
    const settings = play(dear, 100, (b) => 11 * b);
    expect(settings.filter((s) => s.mode === 'multi').length).toBe(TICK.downTicks);
    expect(settings.at(-1)).toMatchObject({ mode: 'single', lookahead: 2 });
    expect(dear.changes).toBe(3); // to single-2 at the first decision, up to multi-2 once, down again
    // The arena model on the idle 2-core machine (README: 13.5 ms a frame, 25.7 ms a batch of 4):
    // single two ahead (27 ms) first, then multi-2 (3 frames: 21.6 ms) once tried; multi-3
    // (4 frames: 25.7 ms) is not under 22.5 ms.
    const cpu = new SpeculationGovernor(TICK);
    const cpuBatches = (b: number) => 13.5 + ((25.7 - 13.5) / 3) * (b - 1);
    expect(play(cpu, 1, cpuBatches).at(-1)).toMatchObject({ mode: 'single', lookahead: 2 });
    expect(play(cpu, 60, cpuBatches).at(-1)).toMatchObject({ mode: 'multi', branches: 2 });
    // With the default share (0.7 of the tick: 35 ms, 26.25 to climb) it goes one further, to
    // multi-3 (25.7 ms), not to multi-4 (5 frames: 29.8 ms).
    const roomier = new SpeculationGovernor({ tickMs: 50 });
    expect(play(roomier, 80, cpuBatches).at(-1)).toMatchObject({ mode: 'multi', branches: 3 });
  });

  it('refuses options out of range', () => {
    expect(() => new SpeculationGovernor({ tickMs: 0 })).toThrow(/SpeculationGovernor: tickMs is out of range/);
    expect(() => new SpeculationGovernor({ tickMs: 50, share: 1.5 })).toThrow(/share is out of range/);
    expect(() => new SpeculationGovernor({ tickMs: 50, upTicks: 0 })).toThrow(/upTicks/);
  });
});
