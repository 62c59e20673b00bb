import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readEpisode } from '../../engine/dataset/episodeFiles.ts';
import { fromFloat16Array } from '../../worldmodel/dataset/npy.ts';
import { evaluateFidelity, type EvalEpisode } from '../../worldmodel/evaluateFidelity.ts';
import { rgbToFrame } from '../../worldmodel/frames.ts';
import { psnr } from '../../worldmodel/metrics.ts';
import { SeededRandom } from '../../worldmodel/SeededRandom.ts';
import { WorldModel } from '../../worldmodel/WorldModel.ts';

const fixture = fileURLToPath(new URL('../fixtures/tiny/', import.meta.url));
const streamsFixture = fileURLToPath(new URL('../fixtures/tiny-streams/', import.meta.url));
const recorded = fileURLToPath(new URL('../../public/models/arena/heldout/episode-900000/', import.meta.url));

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

/**
 * A camera standing still 5 m from a wall whose picture is new noise every tick, so the memory
 * of frame t−1, of frame t or of a painted frame are far apart.
 */
function staticEpisode(name: string, ticks: number, seed: number): EvalEpisode {
  const rng = new SeededRandom(seed);
  const frames = Uint8Array.from({ length: ticks * 32 * 32 * 3 }, () => Math.floor(rng.nextFloat() * 256));
  const poses = new Float32Array(ticks * 5);
  for (let t = 0; t < ticks; t++) poses.set([1, 1.6, 2, 0.3, 0], t * 5);
  return { name, frames, actions: new Float32Array(ticks * 7), ticks, depth: new Float32Array(ticks * 32 * 32).fill(5), poses };
}

/** A recorded arena episode, its first `ticks` ticks cut down to 32×32 (2×2 means) for the fixture. */
function recordedEpisode(ticks: number): EvalEpisode {
  const e = readEpisode(recorded);
  const { width: W0, height: H0 } = e.meta.resolution;
  const f = W0 / 32;
  expect(H0 / f).toBe(32);
  const depth0 = fromFloat16Array(e.depth);
  const frames = new Uint8Array(ticks * 32 * 32 * 3);
  const depth = new Float32Array(ticks * 32 * 32);
  for (let t = 0; t < ticks; t++) {
    for (let j = 0; j < 32; j++) {
      for (let i = 0; i < 32; i++) {
        const rgb = [0, 0, 0];
        let d = 0;
        for (let b = 0; b < f; b++) {
          for (let a = 0; a < f; a++) {
            const p = (t * H0 + j * f + b) * W0 + i * f + a;
            for (let c = 0; c < 3; c++) rgb[c]! += e.frames[3 * p + c]!;
            d += depth0[p]!;
          }
        }
        const q = (t * 32 + j) * 32 + i;
        for (let c = 0; c < 3; c++) frames[3 * q + c] = Math.round(rgb[c]! / (f * f));
        depth[q] = d / (f * f);
      }
    }
  }
  const A = e.meta.actions.length;
  return { name: 'episode-900000 at 32×32', frames, actions: e.actions.slice(0, ticks * A), ticks, depth, poses: e.poses.slice(0, ticks * 5) };
}

describe('evaluateFidelity with memory and depth streams', () => {
  it('feeds one-step samples the memory of the real frames before them, and the recorded depth', async () => {
    const model = await WorldModel.load(streamsFixture);
    const ep = staticEpisode('still', 24, 3);
    const report = await evaluateFidelity(model, [ep], { oneStepPerEpisode: 2, rolloutsPerEpisode: 1, rolloutTicks: 16 });
    expect(report.memory).toBe('on');
    // The camera stands still: frame t−1 (the newest remembered) covers every pixel of view t.
    expect(report.memoryCoverage1).toBe(1);
    // The rollout (from tick 2) remembered real frames 0 and 1, numbered −1 and 0 as reset
    // numbers its frames, then the 16 frames it painted.
    expect(model.memory!.ticks).toEqual(Array.from({ length: 18 }, (_, i) => i - 1));

    // The samples are at ticks 2 and 23. Paint them by hand with the memory stream they must
    // get: real frame t−1 everywhere (not frame t, not a painted frame), coverage 1.
    const frameAt = (t: number) => rgbToFrame(ep.frames.subarray(t * 3072, (t + 1) * 3072), 32, 32);
    const view = (t: number) => ({ pose: { x: 1, y: 1.6, z: 2, yaw: 0.3, pitch: 0 }, depth: ep.depth!.subarray(t * 1024, (t + 1) * 1024) });
    const byHand = async (t: number, memory: 'real' | 'empty') => {
      model.reset([frameAt(t - 2), frameAt(t - 1)], [ep.actions.subarray((t - 2) * 7, (t - 1) * 7), ep.actions.subarray((t - 1) * 7, t * 7)]);
      const stream = new Float32Array(4 * 1024);
      if (memory === 'real') {
        stream.set(frameAt(t - 1));
        stream.fill(1, 3 * 1024);
      }
      return psnr(await model.step(ep.actions.subarray(t * 7, (t + 1) * 7), { view: view(t), memory: stream }), frameAt(t));
    };
    const expected = ((await byHand(2, 'real')) + (await byHand(23, 'real'))) / 2;
    const withoutMemory = ((await byHand(2, 'empty')) + (await byHand(23, 'empty'))) / 2;
    // The random-weights fixture reads its memory weakly (≈ 0.01 dB here), so compare tightly.
    expect(Math.abs(report.psnr1 - expected)).toBeLessThan(1e-4);
    expect(Math.abs(expected - withoutMemory)).toBeGreaterThan(1e-3);

    const off = await evaluateFidelity(model, [ep], { oneStepPerEpisode: 2, rolloutsPerEpisode: 1, rolloutTicks: 16, memory: 'off' });
    expect(off.memory).toBe('off');
    expect(off.memoryCoverage1).toBeUndefined();
    expect(Math.abs(off.psnr1 - withoutMemory)).toBeLessThan(1e-4);
    expect(off.psnr16).not.toBe(report.psnr16);
    expect(model.memory!.size).toBe(0); // nothing remembered with memory off
    expect(model.memoryEnabled).toBe(true); // and the model's own setting is back
    await model.dispose();
  });

  it('remembers a recorded episode through its moving views', async () => {
    const model = await WorldModel.load(streamsFixture);
    const ep = recordedEpisode(40);
    const on = await evaluateFidelity(model, [ep], { oneStepPerEpisode: 4, rolloutsPerEpisode: 1, rolloutTicks: 16 });
    // The rollout's last view was rendered from its memory (real frames, then painted ones).
    expect(model.memory!.lastCoverage).toBeGreaterThan(0.5);
    const off = await evaluateFidelity(model, [ep], { oneStepPerEpisode: 4, rolloutsPerEpisode: 1, rolloutTicks: 16, memory: 'off' });
    await model.dispose();
    expect(on.memory).toBe('on');
    expect(on.memoryCoverage1).toBeGreaterThan(0.5);
    expect(on.memoryCoverage1).toBeLessThanOrEqual(1);
    for (const key of ['psnr1', 'psnr1Baseline', 'ssim1', 'psnr16', 'psnr16Baseline', 'detailRatio64'] as const) {
      expect(Number.isFinite(on[key]), key).toBe(true);
      expect(Number.isFinite(off[key]), key).toBe(true);
    }
    expect(on.psnr1Baseline).toBe(off.psnr1Baseline);
    expect(on.psnr1).not.toBe(off.psnr1);
  });

  it('needs depth and poses for a model with streams, and refuses memory on without a memory stream', async () => {
    const streams = await WorldModel.load(streamsFixture);
    await expect(evaluateFidelity(streams, [episode('bare', 24, 1)], { rolloutTicks: 16 })).rejects.toThrow(/takes memory and depth streams, so episode bare needs depth/);
    await streams.dispose();
    const plain = await WorldModel.load(fixture);
    await expect(evaluateFidelity(plain, [episode('a', 24, 1)], { rolloutTicks: 16, memory: 'on' })).rejects.toThrow(/has no memory stream/);
    const report = await evaluateFidelity(plain, [episode('a', 24, 1)], { oneStepPerEpisode: 1, rolloutsPerEpisode: 1, rolloutTicks: 16 });
    expect(report.memory).toBe('none');
    expect(report.memoryCoverage1).toBeUndefined();
    await plain.dispose();
  });
});
