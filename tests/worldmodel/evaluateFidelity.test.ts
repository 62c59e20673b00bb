import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateFidelity, type EvalEpisode } from '../../worldmodel/evaluateFidelity.ts';
import { SeededRandom } from '../../worldmodel/SeededRandom.ts';
import { WorldModel } from '../../worldmodel/WorldModel.ts';

const fixture = fileURLToPath(new URL('../fixtures/tiny/', import.meta.url));

/** An episode whose frames drift slowly, so copy-last-frame is a strong baseline. */
function episode(name: string, ticks: number, seed: number): EvalEpisode {
  const rng = new SeededRandom(seed);
  const frames = new Uint8Array(ticks * 32 * 32 * 3);
  const base = Array.from({ length: 32 * 32 * 3 }, () => 64 + Math.floor(rng.nextFloat() * 128));
  for (let t = 0; t < ticks; t++) for (let i = 0; i < base.length; i++) frames[t * base.length + i] = base[i]! + t;
  return { name, frames, actions: new Float32Array(ticks * 7), ticks };
}

describe('evaluateFidelity', () => {
  it('reports every metric beside its copy-last-frame baseline', async () => {
    const model = await WorldModel.load(fixture);
    const progress: number[] = [];
    const report = await evaluateFidelity(model, [episode('a', 24, 1), episode('b', 24, 2)], {
      oneStepPerEpisode: 3,
      rolloutsPerEpisode: 1,
      rolloutTicks: 16,
      onProgress: (done) => progress.push(done),
    });
    await model.dispose();
    expect(report.episodes).toBe(2);
    expect(report.oneStepSamples).toBe(6);
    expect(report.rollouts).toBe(2);
    expect(progress.at(-1)).toBe(2 * (3 + 16));
    for (const key of ['psnr1', 'psnr1Baseline', 'ssim1', 'ssim1Baseline', 'psnr16', 'psnr16Baseline', 'psnr64', 'psnr64Baseline', 'detailRatio64', 'msPerFrame'] as const) {
      expect(Number.isFinite(report[key]), key).toBe(true);
    }
    // Frames change by 1/255 per tick: copying the last frame is nearly perfect, and a
    // random-weights model is far worse. The evaluator must see that.
    expect(report.psnr1Baseline).toBeGreaterThan(45); // near the 48.13 dB cap
    expect(report.psnr1).toBeLessThan(report.psnr1Baseline - 10);
    expect(report.ssim1Baseline).toBeGreaterThan(report.ssim1);
  });

  it('refuses episodes too short for the rollout or of the wrong size', async () => {
    const model = await WorldModel.load(fixture);
    await expect(evaluateFidelity(model, [episode('short', 10, 1)], { rolloutTicks: 16 })).rejects.toThrow(/short has 10 ticks; a 16-tick rollout needs at least 19/);
    const wrong = { ...episode('wrong', 24, 1), actions: new Float32Array(24 * 3) };
    await expect(evaluateFidelity(model, [wrong], { rolloutTicks: 16 })).rejects.toThrow(/does not fit the model/);
    await model.dispose();
  });
});
