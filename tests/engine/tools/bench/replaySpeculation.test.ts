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
    const actions = [{ forward: 0.2 }, { forward: 0.2 }, { yaw: 0.1 }, { yaw: 0.1 }];
    const device = { kind: 'simulated' as const, evalMs: 1, branchMs: 0.25 };
    const report = await replaySpeculation(model, actions, initial, { mode: 'multi', lookahead: 1, branches: 4, budget: 4, coverage: 1, tickMs: 50, device });
    // Each tick: one run of 4 candidates (the last tick's are painted after the replay ends: none).
    // Misses are painted on demand, one frame each.
    const misses = actions.length - Math.round(report.hitRate * actions.length);
    expect(report.evaluationsPerFrame).toBeCloseTo((3 + misses) / 4, 9);
    expect(report.framesPaintedPerFrame).toBeCloseTo((3 * 4 + misses) / 4, 9);
    expect(report.discarded).toBe(3 * 4 - (actions.length - misses)); // every speculated frame not shown
    await model.dispose();
  });
});
