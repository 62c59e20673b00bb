import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EvalEpisode } from '../../worldmodel/evaluateFidelity.ts';
import { evaluateLongRollout } from '../../worldmodel/evaluateLongRollout.ts';
import { rgbToFrame } from '../../worldmodel/frames.ts';
import { gradientEnergy, psnr, PSNR_CAP_DB } from '../../worldmodel/metrics.ts';
import { SeededRandom } from '../../worldmodel/SeededRandom.ts';
import { WorldModel } from '../../worldmodel/WorldModel.ts';

const streamsFixture = fileURLToPath(new URL('../fixtures/tiny-streams/', import.meta.url));

/** A camera standing still 5 m from a wall with one fixed picture: the truth never changes. */
function stillEpisode(name: string, ticks: number, seed: number): EvalEpisode {
  const rng = new SeededRandom(seed);
  const picture = Uint8Array.from({ length: 32 * 32 * 3 }, () => Math.floor(rng.nextFloat() * 256));
  const frames = new Uint8Array(ticks * picture.length);
  for (let t = 0; t < ticks; t++) frames.set(picture, t * picture.length);
  const poses = new Float32Array(ticks * 5);
  for (let t = 0; t < ticks; t++) poses.set([1, 1.6, 2, 0.3, 0], t * 5);
  const actions = new Float32Array(ticks * 7);
  for (let t = 0; t < ticks; t++) actions[t * 7 + 3] = ((t % 5) - 2) * 0.01; // some yaw, so actions differ tick to tick
  return { name, frames, actions, ticks, depth: new Float32Array(ticks * 32 * 32).fill(5), poses };
}

describe('evaluateLongRollout', () => {
  it('rolls each episode out to its end and averages per window over the rollouts that reached it', async () => {
    const model = await WorldModel.load(streamsFixture);
    // Two context frames, then 25 and 18 rollout ticks: windows 1–10, 11–20, 21–25.
    const a = stillEpisode('a', 27, 1);
    const b = stillEpisode('b', 20, 2);
    const progress: number[] = [];
    const report = await evaluateLongRollout(model, [a, b], { window: 10, onProgress: (done) => progress.push(done) });
    expect(progress.at(-1)).toBe(25 + 18);
    expect(report).toMatchObject({ rollouts: 2, ticks: 25, window: 10, memoryCapacity: model.memory!.options.capacity });
    expect(report.windows.map((w) => [w.from, w.to, w.rollouts])).toEqual([[1, 10, 2], [11, 20, 2], [21, 25, 1]]);
    for (const w of report.windows) {
      // The truth never changes: memory of the real frames re-renders it exactly (the real frames
      // outrank every frame the warp paints) and copy-last is exact too.
      expect(w.warpPsnr).toBeCloseTo(PSNR_CAP_DB, 6);
      expect(w.copyLastPsnr).toBeCloseTo(PSNR_CAP_DB, 6);
      expect(w.warpDetailRatio).toBeCloseTo(1, 6);
      // A still camera: the memory covers the whole view at every tick.
      expect(w.memoryCoverage).toBe(1);
      expect(w.keyframes).toBeGreaterThan(0);
      expect(w.keyframes).toBeLessThanOrEqual(model.memory!.options.capacity);
      // A random-weights model paints nothing like the wall.
      expect(w.psnr).toBeLessThan(30);
    }
    expect(report.worstMarginOverWarp).toBeCloseTo(Math.min(...report.windows.map((w) => w.psnr)) - PSNR_CAP_DB, 6);
    expect(report.detailRatioRange[0]).toBeLessThanOrEqual(report.detailRatioRange[1]);

    // Episode b's first window by hand: reset on its two real frames, memory holding them
    // (numbered −1 and 0), then the model's own frames under the recorded actions and views.
    const frameAt = (t: number) => rgbToFrame(b.frames.subarray(t * 3072, (t + 1) * 3072), 32, 32);
    const actionAt = (t: number) => b.actions.subarray(t * 7, (t + 1) * 7);
    const view = (t: number) => ({ pose: { x: 1, y: 1.6, z: 2, yaw: 0.3, pitch: 0 }, depth: b.depth!.subarray(t * 1024, (t + 1) * 1024) });
    model.reset([frameAt(0), frameAt(1)], [actionAt(0), actionAt(1)]);
    model.memory!.insert(frameAt(0), view(0).depth, view(0).pose, -1);
    model.memory!.insert(frameAt(1), view(1).depth, view(1).pose, 0);
    let sum = 0;
    let energy = 0;
    for (let i = 1; i <= 18; i++) {
      const out = await model.step(actionAt(i + 1), { view: view(i + 1) });
      sum += Math.min(psnr(out, frameAt(i + 1)), PSNR_CAP_DB);
      energy += gradientEnergy(out, 32, 32);
    }
    await model.dispose();
    const alone = await WorldModel.load(streamsFixture);
    const onlyB = await evaluateLongRollout(alone, [b], { window: 18 });
    await alone.dispose();
    expect(onlyB.windows).toHaveLength(1);
    expect(onlyB.windows[0]!.psnr).toBeCloseTo(sum / 18, 4);
    expect(onlyB.windows[0]!.detailRatio).toBeCloseTo(energy / (18 * gradientEnergy(frameAt(0), 32, 32)), 4);
  });

  it('stops each rollout at maxTicks', async () => {
    const model = await WorldModel.load(streamsFixture);
    const report = await evaluateLongRollout(model, [stillEpisode('a', 40, 3)], { window: 5, maxTicks: 12 });
    await model.dispose();
    expect(report.ticks).toBe(12);
    expect(report.windows.map((w) => [w.from, w.to])).toEqual([[1, 5], [6, 10], [11, 12]]);
  });

  it('refuses episodes without views, or shorter than one window', async () => {
    const model = await WorldModel.load(streamsFixture);
    const bare: EvalEpisode = stillEpisode('bare', 30, 1);
    delete bare.depth;
    await expect(evaluateLongRollout(model, [bare], { window: 10 })).rejects.toThrow(/bare must fit the model .* and carry depth and poses/);
    await expect(evaluateLongRollout(model, [stillEpisode('short', 8, 1)], { window: 10 })).rejects.toThrow(/short has 8 ticks, under one 10-tick window after 2 context frames/);
    await expect(evaluateLongRollout(model, [], {})).rejects.toThrow(/no episodes/);
    await expect(evaluateLongRollout(model, [stillEpisode('a', 30, 1)], { window: 0 })).rejects.toThrow(/window must be a positive integer/);
    await model.dispose();
  });
});
