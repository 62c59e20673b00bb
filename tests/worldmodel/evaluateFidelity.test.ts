import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readEpisode } from '../../engine/capture/dataset/episodeFiles.ts';
import { fromFloat16Array } from '../../worldmodel/dataset/npy.ts';
import { evaluateFidelity, type EvalEpisode } from '../../worldmodel/evaluateFidelity.ts';
import { rgbToFrame } from '../../worldmodel/frames.ts';
import { gradientEnergy, psnr, PSNR_CAP_DB } from '../../worldmodel/metrics.ts';
import { SeededRandom } from '../../worldmodel/SeededRandom.ts';
import { SpatialMemory } from '../../worldmodel/SpatialMemory.ts';
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
    // No depth and poses: nothing to render memory with, so no warp and no uncovered pixels.
    expect(report).toMatchObject({ warpPsnr1: null, warpPsnr1Moving: null, warpPsnr16: null, warpPsnr64: null, warpDetailRatio64: null, psnrUncovered1: null, warpPsnrUncovered1: null, uncoveredSamples1: 0 });
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

/**
 * A camera sliding right along a flat wall 5 m away, one pixel's width of the wall per tick, so
 * frame t shows wall columns t..t+31 (random colours): the warp of frame t−1 is exact but for the
 * column entering on the right. `wall(k, row, channel)` gives the wall's colours.
 */
function slidingEpisode(ticks: number, seed: number): EvalEpisode & { wall: (k: number, j: number, c: number) => number } {
  const rng = new SeededRandom(seed);
  const texture = Uint8Array.from({ length: (ticks + 32) * 32 * 3 }, () => Math.floor(rng.nextFloat() * 256));
  const wall = (k: number, j: number, c: number) => texture[(k * 32 + j) * 3 + c]!;
  const frames = new Uint8Array(ticks * 3072);
  for (let t = 0; t < ticks; t++) for (let j = 0; j < 32; j++) for (let i = 0; i < 32; i++) for (let c = 0; c < 3; c++) frames[t * 3072 + (j * 32 + i) * 3 + c] = wall(t + i, j, c);
  const pixel = (2 * Math.tan((35 * Math.PI) / 180) * 5) / 32; // metres one pixel spans at 5 m (70° field of view)
  const poses = new Float32Array(ticks * 5);
  for (let t = 0; t < ticks; t++) poses.set([1 + pixel * t, 1.6, 2, 0, 0], t * 5);
  return { name: 'sliding', frames, actions: new Float32Array(ticks * 7), ticks, depth: new Float32Array(ticks * 1024).fill(5), poses, wall };
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
    // The warp re-renders real frame t−1 everywhere (one step) and, in the rollout from tick 2,
    // real frame 1 (it outranks every frame the warp paints): the truth of a still camera.
    const p = (a: number, b: number) => Math.min(psnr(frameAt(a), frameAt(b)), PSNR_CAP_DB);
    expect(report.warpPsnr1).toBeCloseTo((p(1, 2) + p(22, 23)) / 2, 6);
    expect(report.warpPsnr1Moving).toBeCloseTo((p(1, 2) + p(22, 23)) / 2, 6); // new noise every tick: both samples count
    expect(report.warpPsnr16).toBeCloseTo(p(1, 17), 6);
    expect(report.warpPsnr64).toBeCloseTo(p(1, 17), 6); // rolloutTicks 16: the same frame
    expect(report.warpDetailRatio64).toBeCloseTo(gradientEnergy(frameAt(1), 32, 32) / gradientEnergy(frameAt(17), 32, 32), 6);
    expect([report.psnrUncovered1, report.warpPsnrUncovered1, report.uncoveredSamples1]).toEqual([null, null, 0]);

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
    // The warp does not depend on what the model was fed.
    for (const key of ['warpPsnr1', 'warpPsnr16', 'warpPsnr64', 'warpDetailRatio64'] as const) expect(off[key], key).toBe(report[key]);
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

    // The warp by hand, straight from SpatialMemory: one step at the sample ticks spread(2, 39, 4),
    // each from a fresh memory of the real frames before it; the rollout from tick 2.
    const frameAt = (t: number) => rgbToFrame(ep.frames.subarray(t * 3072, (t + 1) * 3072), 32, 32);
    const viewAt = (t: number) => {
      const q = ep.poses!.subarray(5 * t, 5 * t + 5);
      return { pose: { x: q[0]!, y: q[1]!, z: q[2]!, yaw: q[3]!, pitch: q[4]! }, depth: ep.depth!.subarray(t * 1024, (t + 1) * 1024) };
    };
    const camera = { width: 32, height: 32, fovYDegrees: 70, near: 0.05, far: 60 };
    /** Memory colour where covered, else `fallback`; and the PSNR over all and over uncovered pixels. */
    const warpOf = (memory: SpatialMemory, t: number, fallback: Float32Array) => {
      const v = viewAt(t);
      const stream = memory.render(v.pose, v.depth);
      const warp = new Float32Array(3072);
      let uncoveredError = 0;
      let uncovered = 0;
      for (let q = 0; q < 1024; q++) {
        const covered = stream[3072 + q] === 1;
        if (!covered) uncovered++;
        for (let c = 0; c < 3; c++) {
          warp[c * 1024 + q] = covered ? stream[c * 1024 + q]! : fallback[c * 1024 + q]!;
          if (!covered) uncoveredError += ((warp[c * 1024 + q]! - frameAt(t)[c * 1024 + q]!) / 2) ** 2;
        }
      }
      return { warp, uncovered, uncoveredPsnr: uncovered > 0 ? Math.min(10 * Math.log10((3 * uncovered) / uncoveredError), PSNR_CAP_DB) : null };
    };
    const oneStep = [2, 14, 27, 39].map((t) => {
      const memory = new SpatialMemory(camera);
      for (let s = 0; s < t; s++) memory.insert(frameAt(s), viewAt(s).depth, viewAt(s).pose, s);
      const w = warpOf(memory, t, frameAt(t - 1));
      return { p: Math.min(psnr(w.warp, frameAt(t)), PSNR_CAP_DB), u: w.uncoveredPsnr };
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(on.warpPsnr1).toBeCloseTo(mean(oneStep.map((x) => x.p)), 6);
    const uncoveredScores = oneStep.flatMap((x) => (x.u === null ? [] : [x.u]));
    expect(on.uncoveredSamples1).toBe(uncoveredScores.length);
    expect(on.uncoveredSamples1).toBeGreaterThan(0); // the recorded views turn into what was not seen
    expect(on.warpPsnrUncovered1).toBeCloseTo(mean(uncoveredScores), 6);
    expect(Number.isFinite(on.psnrUncovered1)).toBe(true);

    const rollout = new SpatialMemory(camera);
    rollout.insert(frameAt(0), viewAt(0).depth, viewAt(0).pose, -1);
    rollout.insert(frameAt(1), viewAt(1).depth, viewAt(1).pose, 0);
    let last = frameAt(1);
    for (let i = 1; i <= 16; i++) {
      last = warpOf(rollout, 1 + i, last).warp;
      rollout.insert(last, viewAt(1 + i).depth, viewAt(1 + i).pose, i, { painted: true });
    }
    expect(on.warpPsnr16).toBeCloseTo(Math.min(psnr(last, frameAt(17)), PSNR_CAP_DB), 6);
    expect(on.warpDetailRatio64).toBeCloseTo(gradientEnergy(last, 32, 32) / gradientEnergy(frameAt(17), 32, 32), 6);
  });

  it('scores the warp and the uncovered pixels where the camera slides along a wall', async () => {
    const model = await WorldModel.load(streamsFixture);
    const ep = slidingEpisode(24, 5);
    const report = await evaluateFidelity(model, [ep], { oneStepPerEpisode: 2, rolloutsPerEpisode: 1, rolloutTicks: 16 });
    const frameAt = (t: number) => rgbToFrame(ep.frames.subarray(t * 3072, (t + 1) * 3072), 32, 32);
    const column = (t: number, i: number, from: (k: number) => number) => {
      // A frame whose column i shows the wall column from(t + i) (the truth: from = identity).
      const rgb = new Uint8Array(3072);
      for (let j = 0; j < 32; j++) for (let x = 0; x < 32; x++) for (let c = 0; c < 3; c++) rgb[(j * 32 + x) * 3 + c] = ep.wall(x === i || i < 0 ? from(t + x) : t + x, j, c);
      return rgbToFrame(rgb, 32, 32);
    };
    // One step at t: memory shows frame t−1 moved one column, exact but for the column entering
    // on the right (wall column t + 31, never seen), where it shows frame t−1's: wall column t + 30.
    const oneStep = (t: number) => column(t, 31, (k) => k - 1);
    const onColumn31 = (a: Float32Array, b: Float32Array) => {
      let sum = 0;
      for (let c = 0; c < 3; c++) for (let j = 0; j < 32; j++) sum += ((a[c * 1024 + j * 32 + 31]! - b[c * 1024 + j * 32 + 31]!) / 2) ** 2;
      return 10 * Math.log10(96 / sum);
    };
    const p = (a: Float32Array, b: Float32Array) => Math.min(psnr(a, b), PSNR_CAP_DB);
    expect(report.memoryCoverage1).toBeCloseTo(31 / 32, 12);
    expect(report.warpPsnr1).toBeCloseTo((p(oneStep(2), frameAt(2)) + p(oneStep(23), frameAt(23))) / 2, 4);
    expect(report.warpPsnr1).toBeGreaterThan(report.psnr1Baseline + 10); // it beats copying the last frame by far
    expect(report.warpPsnr1Moving).toBeCloseTo(report.warpPsnr1!, 12); // the view moves at every sample
    expect(report.uncoveredSamples1).toBe(2);
    expect(report.warpPsnrUncovered1).toBeCloseTo((onColumn31(frameAt(1), frameAt(2)) + onColumn31(frameAt(22), frameAt(23))) / 2, 4);
    // The model on column 31, painted by hand from the memory stream the evaluator must feed it.
    const byHand = async (t: number) => {
      model.reset([frameAt(t - 2), frameAt(t - 1)], [ep.actions.subarray((t - 2) * 7, (t - 1) * 7), ep.actions.subarray((t - 1) * 7, t * 7)]);
      const stream = new Float32Array(4 * 1024);
      stream.set(frameAt(t));
      for (let q = 0; q < 1024; q++) {
        const covered = q % 32 !== 31;
        stream[3072 + q] = covered ? 1 : 0;
        if (!covered) for (let c = 0; c < 3; c++) stream[c * 1024 + q] = 0;
      }
      const pose = ep.poses!.subarray(5 * t, 5 * t + 5);
      const view = { pose: { x: pose[0]!, y: pose[1]!, z: pose[2]!, yaw: pose[3]!, pitch: pose[4]! }, depth: ep.depth!.subarray(t * 1024, (t + 1) * 1024) };
      return onColumn31(await model.step(ep.actions.subarray(t * 7, (t + 1) * 7), { view, memory: stream }), frameAt(t));
    };
    expect(report.psnrUncovered1).toBeCloseTo(((await byHand(2)) + (await byHand(23))) / 2, 3);
    // Rollout from tick 2 (real frames 0 and 1 remembered, wall columns 0..32): at tick 16 (frame
    // 17) the columns up to wall column 32 are exact, and every later one repeats wall column 32,
    // carried across from the warp's own last frame tick after tick.
    const smeared = column(17, -1, (k) => Math.min(k, 32));
    expect(report.warpPsnr16).toBeCloseTo(p(smeared, frameAt(17)), 4);
    expect(report.warpDetailRatio64).toBeCloseTo(gradientEnergy(smeared, 32, 32) / gradientEnergy(frameAt(17), 32, 32), 4);
    await model.dispose();
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
