import { NextframeError } from './errors.ts';
import { rgbToFrame } from './frames.ts';
import { gradientEnergy, psnr, PSNR_CAP_DB, ssim } from './metrics.ts';
import type { WorldModel } from './WorldModel.ts';

/** One recorded episode as the evaluator needs it (layouts of the dataset contract). */
export interface EvalEpisode {
  name: string;
  /** uint8 [T, H, W, 3], row 0 at the top. */
  frames: Uint8Array;
  /** float32 [T, A] raw actions; row t led from frame t−1 to frame t. */
  actions: Float32Array;
  ticks: number;
}

export interface FidelityOptions {
  /** Teacher-forced one-step samples per episode (spread evenly). Default 24. */
  oneStepPerEpisode?: number;
  /** Autoregressive rollouts per episode (spread evenly). Default 2. */
  rolloutsPerEpisode?: number;
  /** Rollout length in ticks; PSNR is reported at 16 and at this tick. Default 64. */
  rolloutTicks?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface FidelityReport {
  psnr1: number;
  psnr1Baseline: number;
  /** One-step PSNR over the samples where the view changed (the player moved or turned). */
  psnr1Moving: number;
  psnr1MovingBaseline: number;
  ssim1: number;
  ssim1Baseline: number;
  psnr16: number;
  psnr16Baseline: number;
  psnr64: number;
  psnr64Baseline: number;
  detailRatio64: number;
  episodes: number;
  oneStepSamples: number;
  rollouts: number;
  msPerFrame: number;
}

/**
 * How faithfully a model predicts recorded episodes, through the runtime users get.
 *
 * - one step (teacher forced): reset on K real frames, step with the real action, compare
 *   with the real next frame; baseline: the last real frame (copy-last-frame). `psnr1Moving`
 *   repeats it over the samples where the view changed, where copying cannot be exact.
 * - rollout: reset on K real frames, then feed the model its own frames for `rolloutTicks`
 *   under the real actions; psnr16/psnr64 are the PSNR of the frame at rollout tick 16/64,
 *   averaged over rollouts; baseline: the last real context frame held still.
 * - detailRatio64: mean gradient energy of rolled-out frames at the last tick over the real
 *   frames' (1 = same detail; ≪ 1 = collapsed to blur).
 */
export async function evaluateFidelity(model: WorldModel, episodes: readonly EvalEpisode[], options: FidelityOptions = {}): Promise<FidelityReport> {
  const K = model.contextFrames;
  const { width: W, height: H } = model;
  const A = model.codec.size;
  const oneStepPer = options.oneStepPerEpisode ?? 24;
  const rolloutsPer = options.rolloutsPerEpisode ?? 2;
  const L = options.rolloutTicks ?? 64;
  const frameSize = 3 * W * H;

  for (const e of episodes) {
    if (e.frames.length !== e.ticks * H * W * 3 || e.actions.length !== e.ticks * A) {
      throw new NextframeError('bad-episode', `evaluateFidelity: episode ${e.name} does not fit the model (${W}×${H}, ${A} action slots); record it at the model's resolution.`);
    }
    if (e.ticks < K + L + 1) throw new NextframeError('bad-episode', `evaluateFidelity: episode ${e.name} has ${e.ticks} ticks; a ${L}-tick rollout needs at least ${K + L + 1}.`);
  }
  const frameAt = (e: EvalEpisode, t: number): Float32Array => rgbToFrame(e.frames.subarray(t * frameSize, (t + 1) * frameSize), W, H);
  const actionAt = (e: EvalEpisode, t: number): Float32Array => e.actions.subarray(t * A, (t + 1) * A);
  const resetAt = (e: EvalEpisode, t: number): void => {
    const ts = Array.from({ length: K }, (_, k) => t - K + k);
    model.reset(ts.map((s) => frameAt(e, s)), ts.map((s) => actionAt(e, s)));
  };

  const total = episodes.length * (oneStepPer + rolloutsPer * L);
  let done = 0;
  const tick = (): void => options.onProgress?.(++done, total);
  const acc = { p1: [] as number[], p1b: [] as number[], m1: [] as number[], m1b: [] as number[], s1: [] as number[], s1b: [] as number[], p16: [] as number[], p16b: [] as number[], pL: [] as number[], pLb: [] as number[], gL: 0, gTruth: 0 };
  const out = new Float32Array(frameSize);
  let stepMs = 0;
  let steps = 0;

  for (const e of episodes) {
    for (const t of spread(K, e.ticks - 1, oneStepPer)) {
      resetAt(e, t);
      await model.step(actionAt(e, t), {}, out);
      stepMs += model.lastStepMs;
      steps++;
      const truth = frameAt(e, t);
      const last = frameAt(e, t - 1);
      const p = cap(psnr(out, truth));
      const pb = cap(psnr(last, truth));
      acc.p1.push(p);
      acc.p1b.push(pb);
      if (pb < PSNR_CAP_DB) {
        acc.m1.push(p);
        acc.m1b.push(pb);
      }
      acc.s1.push(ssim(out, truth, W, H));
      acc.s1b.push(ssim(last, truth, W, H));
      tick();
    }
    for (const t0 of spread(K, e.ticks - L, rolloutsPer)) {
      resetAt(e, t0);
      const held = frameAt(e, t0 - 1);
      for (let i = 1; i <= L; i++) {
        const t = t0 + i - 1;
        await model.step(actionAt(e, t), {}, out);
        stepMs += model.lastStepMs;
        steps++;
        tick();
        if (i !== 16 && i !== L) continue;
        const truth = frameAt(e, t);
        if (i === 16) {
          acc.p16.push(cap(psnr(out, truth)));
          acc.p16b.push(cap(psnr(held, truth)));
        }
        if (i === L) {
          acc.pL.push(cap(psnr(out, truth)));
          acc.pLb.push(cap(psnr(held, truth)));
          acc.gL += gradientEnergy(out, W, H);
          acc.gTruth += gradientEnergy(truth, W, H);
        }
      }
    }
  }
  return {
    psnr1: mean(acc.p1),
    psnr1Baseline: mean(acc.p1b),
    psnr1Moving: mean(acc.m1),
    psnr1MovingBaseline: mean(acc.m1b),
    ssim1: mean(acc.s1),
    ssim1Baseline: mean(acc.s1b),
    psnr16: mean(acc.p16),
    psnr16Baseline: mean(acc.p16b),
    psnr64: mean(acc.pL),
    psnr64Baseline: mean(acc.pLb),
    detailRatio64: acc.gTruth > 0 ? acc.gL / acc.gTruth : Number.NaN,
    episodes: episodes.length,
    oneStepSamples: acc.p1.length,
    rollouts: acc.pL.length,
    msPerFrame: steps > 0 ? stepMs / steps : Number.NaN,
  };
}

/** `count` integers spread evenly over [lo, hi]. */
function spread(lo: number, hi: number, count: number): number[] {
  if (count <= 1 || hi <= lo) return [lo];
  return Array.from({ length: count }, (_, i) => Math.round(lo + (i * (hi - lo)) / (count - 1)));
}

function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Identical frames give +∞ dB; see PSNR_CAP_DB. */
function cap(db: number): number {
  return Math.min(db, PSNR_CAP_DB);
}
