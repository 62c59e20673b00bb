import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchMemory, framePhases, poseDistance, type BenchEpisode } from '../../../../engine/tools/bench/benchMemory.ts';
import type { Phase } from '../../../../engine/tools/bench/parseTrajectories.ts';
import { psnr, PSNR_CAP_DB } from '../../../../worldmodel/metrics.ts';
import { rgbToFrame } from '../../../../worldmodel/frames.ts';
import { SeededRandom } from '../../../../worldmodel/SeededRandom.ts';
import { WorldModel } from '../../../../worldmodel/WorldModel.ts';

const streams = fileURLToPath(new URL('../../../fixtures/tiny-streams/', import.meta.url));
const plain = fileURLToPath(new URL('../../../fixtures/tiny/', import.meta.url));

/**
 * A camera 5 m from a noise wall: it looks for 8 frames, turns its back for 10 (the place out
 * of view), then looks again for 6 from where it stood, at 32×32 like the fixtures.
 */
function revisit(name: string, { turnedAtFirst = 0 } = {}): BenchEpisode {
  const ticks = 24;
  const phases: Phase[] = Array.from({ length: ticks }, (_, f) => (f < 8 ? 'look' : f < 18 ? 'away' : 'return'));
  const rng = new SeededRandom(3);
  const wall = Uint8Array.from({ length: 32 * 32 * 3 }, () => Math.floor(rng.nextFloat() * 256));
  const behind = Uint8Array.from({ length: 32 * 32 * 3 }, () => Math.floor(rng.nextFloat() * 256));
  const frames = new Uint8Array(ticks * wall.length);
  const poses = new Float32Array(ticks * 5);
  for (let f = 0; f < ticks; f++) {
    const away = phases[f] === 'away' || f < turnedAtFirst; // the first look frames face away too
    frames.set(away ? behind : wall, f * wall.length);
    poses.set([1, 1.6, 2, away ? 0.3 + Math.PI : 0.3, 0], f * 5);
  }
  const actions = new Float32Array(ticks * 7);
  actions[8 * 7 + 3] = 0.25; // the turns (clamped to the yaw slot's scale)
  actions[18 * 7 + 3] = -0.25;
  // Intents' phases: phases[t] is frame t + 1's.
  return { name, ticks, frames, depth: new Float32Array(ticks * 32 * 32).fill(5), poses, actions, phases: framePhases(phases.slice(1), poses, ticks, 2) };
}

describe('benchMemory', () => {
  it('scores return frames with memory on and off, with the same noise, and times the memory', async () => {
    const model = await WorldModel.load(streams);
    const progress: number[] = [];
    const { report, strip } = await benchMemory(model, [revisit('a'), revisit('b')], { stripFrames: 3, onProgress: (done) => progress.push(done) });
    expect(progress.at(-1)).toBe(2 * 2 * (24 - 2));
    expect(report.returnFrames).toBe(12);
    expect(report.trajectories.map((t) => [t.name, t.returnFrames, t.awayTicks])).toEqual([['a', 6, 10], ['b', 6, 10]]);
    for (const key of ['revisitPsnrOn', 'revisitPsnrOff', 'firstVisitConsistencyOn', 'firstVisitConsistencyOff', 'revisitPsnrCopyLast', 'revisitPsnrWarp', 'memoryCoverageReturn', 'msPerTickMemory', 'msRenderMemory', 'msInsertMemory', 'msPerFrame'] as const) {
      expect(Number.isFinite(report[key]), key).toBe(true);
    }
    // The random-weights fixture reads its memory weakly, but it does read it: the runs differ.
    expect(report.revisitPsnrOn).not.toBe(report.revisitPsnrOff);
    expect(report.firstVisitConsistencyOn).not.toBe(report.firstVisitConsistencyOff);
    expect(report.revisitGainDb).toBeCloseTo(report.revisitPsnrOn - report.revisitPsnrOff, 12);
    // Back where it looked: the memory of the first visit covers the whole view.
    expect(report.memoryCoverageReturn).toBe(1);
    // The copy-last baseline holds frame K − 1, the wall: exact on return.
    expect(report.revisitPsnrCopyLast).toBeCloseTo(48.13, 1);
    // And the warp re-renders the remembered first visit at the same pose: exact too.
    expect(report.revisitPsnrWarp).toBeCloseTo(PSNR_CAP_DB, 6);
    expect(report.shortAway).toEqual([]); // 10 ≥ 3·K = 6
    expect([strip.truth.length, strip.on.length, strip.off.length]).toEqual([3, 3, 3]);
    expect(strip.on[0]).not.toEqual(strip.off[0]);
    expect(model.memoryEnabled).toBe(true);
    await model.dispose();
  });

  it('scores the geometry-only re-render of the real first visit beside copy-last', async () => {
    // The first 4 look frames face away (so the model's K = 2 real frames hold none of the
    // wall), the next 4 look at it: the warp remembers those and re-renders the return exactly.
    const e = revisit('turned', { turnedAtFirst: 4 });
    const model = await WorldModel.load(streams);
    const { report } = await benchMemory(model, [e]);
    await model.dispose();
    const frameAt = (t: number) => rgbToFrame(e.frames.subarray(t * 3072, (t + 1) * 3072), 32, 32);
    expect(report.revisitPsnrWarp).toBeCloseTo(PSNR_CAP_DB, 6);
    expect(report.trajectories[0]!.revisitPsnrWarp).toBe(report.revisitPsnrWarp);
    // Copy-last holds frame K − 1, which faced away.
    expect(report.revisitPsnrCopyLast).toBeCloseTo(psnr(frameAt(1), frameAt(18)), 6);
    expect(report.revisitPsnrCopyLast).toBeLessThan(20);
  });

  it('infers phases from poses when a trajectory has none', () => {
    const e = revisit('a');
    expect(framePhases(undefined, e.poses, e.ticks, 2)).toEqual(e.phases);
    // Within 3·K ticks of the first visit a frame is never a return (K = 4: frames 8–18 here).
    expect(framePhases(undefined, e.poses, e.ticks, 4).slice(8, 20)).toEqual([...Array(11).fill('away'), 'return']);
    expect(poseDistance([0, 0, 0, 0, 0], [1, 0, 0, Math.PI / 9, 0])).toBeCloseTo(1 + Math.PI / 3, 12);
  });

  it('refuses a model without a memory stream, and trajectories with nothing to score', async () => {
    const model = await WorldModel.load(plain);
    await expect(benchMemory(model, [revisit('a')])).rejects.toThrow(/model "tiny" has no memory stream \(it is conditioned on context, actions\)/);
    await expect(benchMemory(model, [revisit('a')])).rejects.toThrow(expect.objectContaining({ code: 'no-memory' }));
    await model.dispose();
    const withMemory = await WorldModel.load(streams);
    const noReturn = { ...revisit('a'), phases: revisit('a').phases.map((p) => (p === 'return' ? 'away' : p)) };
    await expect(benchMemory(withMemory, [noReturn])).rejects.toThrow(/trajectory a has no return frame/);
    await expect(benchMemory(withMemory, [{ ...revisit('a'), ticks: 23 }])).rejects.toThrow(/does not fit the model/);
    await withMemory.dispose();
  });
});
