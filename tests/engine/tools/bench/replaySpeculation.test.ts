import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replaySpeculation } from '../../../../engine/tools/bench/replaySpeculation.ts';
import { WorldModel } from '../../../../worldmodel/WorldModel.ts';

const tiny = fileURLToPath(new URL('../../../fixtures/tiny/', import.meta.url));

describe('replaySpeculation', () => {
  it('makes a tick wait for the speculation run in flight, as ModelRunner does', async () => {
    const model = await WorldModel.load(tiny);
    const initial = Array.from({ length: model.contextFrames }, () => new Float32Array(3 * model.width * model.height));
    const actions = Array.from({ length: 6 }, () => ({ forward: 0.2 }));
    // 3 evaluations of 20/3 ms: a frame costs 20 ms, a tick is 50 ms.
    const device = { kind: 'simulated' as const, evalMs: 20 / 3, branchMs: 0 };
    const report = await replaySpeculation(model, actions, initial, { mode: 'single', lookahead: 2, tickMs: 50, device });
    // Tick 0 is painted on demand (20 ms). Before tick 1 (at 50 ms) its frame is speculated
    // (20–40 ms), then the frame after it (40–60 ms): tick 1 was guessed right but waits for that
    // run, 10 ms. From then on one run a tick keeps two ticks ahead, finished before each tick.
    expect(report.hitRate).toBeCloseTo(4 / 6, 9);
    expect(report.latencyMs.mean).toBeCloseTo((20 + 10) / 6, 9);
    expect(report.latencyMs.p95).toBeCloseTo(20, 9);
    expect(report.evaluationsPerFrame).toBeCloseTo((1 + 2 + 4) / 6, 9); // on demand, 2 runs before tick 1, 1 a tick after
    await model.dispose();
  });

  it('counts a batched run once and its frames each', async () => {
    const model = await WorldModel.load(tiny);
    const initial = Array.from({ length: model.contextFrames }, () => new Float32Array(3 * model.width * model.height));
    // Bins (9 per axis, 4 = still): forward 0.2 m is forward bin 6; yaw 0.25 rad is yaw bin 8, a
    // jump of four bins from still, which the human-play prior (moves of at most two bins) and
    // this player's history give no probability at all.
    const forward = { forward: 0.2 };
    const hardLeft = { yaw: 0.25 };
    const actions = [forward, forward, hardLeft, hardLeft];
    const device = { kind: 'simulated' as const, evalMs: 1, branchMs: 0.25 };
    const report = await replaySpeculation(model, actions, initial, { mode: 'multi', lookahead: 1, branches: 4, budget: 4, coverage: 1, tickMs: 50, device });
    // Counted by hand. Tick 0: nothing observed yet, nothing speculated: a miss, painted on
    // demand (a run of 1). Before each later tick, one run of 4 candidates (the budget; every
    // one for the next tick, so nothing deeper): 4 frames in one run. Tick 1 repeats tick 0,
    // the likeliest candidate: a hit, 3 discarded. Tick 2's turn is no candidate: a miss,
    // 4 discarded, painted on demand. Tick 3 repeats tick 2: a hit, 3 discarded. After the last
    // tick the replay speculates no more, so nothing is left pending.
    expect(report.ticks).toBe(4);
    expect(report.hitRate).toBe(2 / 4);
    expect(report.evaluationsPerFrame).toBe((3 + 2) / 4); // 3 speculation runs + 2 on demand
    expect(report.framesPaintedPerFrame).toBe((3 * 4 + 2) / 4);
    expect(report.discarded).toBe(3 + 4 + 3);
    // A miss waits for one frame of 3 evaluations (1 ms each); a hit not at all. Ticks come
    // every 50 ms and the runs before them fit (4 frames: 3 · (1 + 3 · 0.25) ms), so the last
    // tick is shown at 150 ms.
    expect(report.latencyMs.mean).toBeCloseTo((3 + 0 + 3 + 0) / 4, 9);
    expect(report.latencyMs.p95).toBeCloseTo(3, 9);
    expect(report.seconds).toBeCloseTo(0.15, 9);
    await model.dispose();
  });

  it('auto chooses from the simulated device\'s clock and reports what it chose', async () => {
    const model = await WorldModel.load(tiny);
    const initial = Array.from({ length: model.contextFrames }, () => new Float32Array(3 * model.width * model.height));
    const actions = Array.from({ length: 40 }, (_, t) => (t % 8 < 6 ? { forward: 0.2 } : { yaw: 0.1 }));
    // A frame is 3 evaluations. Slow device: 20 ms each, 60 ms a frame, more than the 35 ms of a
    // 50 ms tick that speculation may take: auto never speculates, every tick is painted on demand.
    const slow = await replaySpeculation(model, actions, initial, { mode: 'auto', tickMs: 50, device: { kind: 'simulated', evalMs: 20, branchMs: 20 } });
    expect(slow.auto).toEqual({ chose: { off: 1 }, final: 'off', changes: 0 });
    expect(slow.hitRate).toBe(0);
    expect(slow.framesPaintedPerFrame).toBe(1);
    expect(slow.latencyMs.mean).toBeCloseTo(60, 9);
    // Fast device: 1 ms an evaluation, 0.25 ms per further batch frame: multi-branch.
    const fast = await replaySpeculation(model, actions, initial, { mode: 'auto', tickMs: 50, device: { kind: 'simulated', evalMs: 1, branchMs: 0.25 } });
    expect(fast.auto!.final).toMatch(/^multi·\d+·2$/);
    expect(Object.values(fast.auto!.chose).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(fast.hitRate).toBeGreaterThan(0.5);
    expect(fast.latencyMs.mean).toBeLessThan(3); // below a whole on-demand frame (3 ms) on average
    await model.dispose();
  });
});
