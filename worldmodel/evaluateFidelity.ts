import { NextframeError } from './errors.ts';
import { rgbToFrame } from './frames.ts';
import { gradientEnergy, psnr, PSNR_CAP_DB, ssim } from './metrics.ts';
import { SpatialMemory } from './SpatialMemory.ts';
import type { Conditioning, View, WorldModel } from './WorldModel.ts';

/** One recorded episode as the evaluator needs it (layouts of the dataset contract). */
export interface EvalEpisode {
  name: string;
  /** uint8 [T, H, W, 3], row 0 at the top. */
  frames: Uint8Array;
  /** float32 [T, A] raw actions; row t led from frame t−1 to frame t. */
  actions: Float32Array;
  ticks: number;
  /**
   * float32 [T, H, W] proxy view-space depth in metres (depth.npy decoded from float16), row 0
   * at the top. Needed, with `poses`, by models with a `memory` or `depth` stream.
   */
  depth?: Float32Array;
  /** float32 [T, 5] camera x, y, z, yaw, pitch of each frame (poses.npy). */
  poses?: Float32Array;
}

/** How the model's memory stream was fed: `none` when the model has no memory stream. */
/** Frame t of an episode as the model takes it: CHW float32 in [−1, 1] (a new array). */
export function episodeFrame(e: EvalEpisode, t: number, width: number, height: number): Float32Array {
  const size = 3 * width * height;
  return rgbToFrame(e.frames.subarray(t * size, (t + 1) * size), width, height);
}

/** The raw action (A values) that led to frame t: a view into the episode's actions. */
export function episodeAction(e: EvalEpisode, t: number, size: number): Float32Array {
  return e.actions.subarray(t * size, (t + 1) * size);
}

/** The recorded view of frame t: its pose and (a view into) its proxy depth. Needs `poses` and `depth`. */
export function episodeView(e: EvalEpisode, t: number, width: number, height: number): View {
  const HW = width * height;
  const p = e.poses!.subarray(t * 5, t * 5 + 5);
  return { pose: { x: p[0]!, y: p[1]!, z: p[2]!, yaw: p[3]!, pitch: p[4]! }, depth: e.depth!.subarray(t * HW, (t + 1) * HW) };
}

export type MemoryMode = 'on' | 'off' | 'none';

export interface FidelityOptions {
  /** Teacher-forced one-step samples per episode (spread evenly). Default 24. */
  oneStepPerEpisode?: number;
  /** Autoregressive rollouts per episode (spread evenly). Default 2. */
  rolloutsPerEpisode?: number;
  /** Rollout length in ticks; PSNR is reported at 16 and at this tick. Default 64. */
  rolloutTicks?: number;
  /**
   * For models with a `memory` stream. `on` (default): the memory holds the episode's real
   * frames before the sample (one step) or before the rollout's start, then the rollout's own
   * frames, as in play and as in training. `off`: the memory stream is empty throughout (the
   * model as if nothing were remembered). A model without a memory stream refuses `on`.
   */
  memory?: 'on' | 'off';
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
  /** `on` / `off` as chosen (see FidelityOptions.memory); `none`: the model has no memory stream. */
  memory: MemoryMode;
  /** With memory on: the mean share of pixels the memory stream covered over the one-step samples. */
  memoryCoverage1?: number;
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
 *
 * Models with `depth` / `memory` streams get them as in play: every step passes the recorded
 * view of the frame it paints (pose and proxy depth in metres), from which the model
 * normalises its depth stream and renders its memory. The memory holds what training's did
 * (models/dataset.py: memory[t] = render at view t of a store of frames 0..t−1):
 *
 * - one step at tick t: the real frames 0..t−1. The evaluator keeps its own SpatialMemory of
 *   the real frames (the model's camera and memory options), inserting each frame once per
 *   episode as the sorted sample ticks advance, and passes its render at view t as the memory
 *   stream (what `model.memory` would render holding the same frames; passing the stream
 *   also keeps the painted frame out of any memory).
 * - rollout from tick t0: `model.memory` holds the real frames 0..t0−1 (inserted after the
 *   reset, with ticks t0−1 ↦ 0 numbered as reset numbers its frames), then the model inserts
 *   each frame it paints, as in play.
 *
 * With `memory: 'off'` the model's memory stream is empty (`memoryEnabled = false`; restored
 * afterwards); the depth stream is fed either way.
 */
export async function evaluateFidelity(model: WorldModel, episodes: readonly EvalEpisode[], options: FidelityOptions = {}): Promise<FidelityReport> {
  const K = model.contextFrames;
  const { width: W, height: H } = model;
  const A = model.codec.size;
  const oneStepPer = options.oneStepPerEpisode ?? 24;
  const rolloutsPer = options.rolloutsPerEpisode ?? 2;
  const L = options.rolloutTicks ?? 64;
  const frameSize = 3 * W * H;
  const HW = W * H;
  const memory = model.memory;
  const needsView = memory !== null || model.manifest.conditioning.includes('depth');
  if (options.memory !== undefined && options.memory !== 'on' && options.memory !== 'off') {
    throw new NextframeError('bad-option', `evaluateFidelity: memory must be 'on' or 'off', found ${JSON.stringify(options.memory)}.`);
  }
  if (options.memory === 'on' && memory === null) {
    throw new NextframeError('bad-option', `evaluateFidelity: model "${model.manifest.id}" has no memory stream (it is conditioned on ${model.manifest.conditioning.join(', ')}); memory 'on' does not apply.`);
  }
  const mode: MemoryMode = memory === null ? 'none' : (options.memory ?? 'on');

  for (const e of episodes) {
    if (e.frames.length !== e.ticks * H * W * 3 || e.actions.length !== e.ticks * A) {
      throw new NextframeError('bad-episode', `evaluateFidelity: episode ${e.name} does not fit the model (${W}×${H}, ${A} action slots); record it at the model's resolution.`);
    }
    if (needsView && (e.depth?.length !== e.ticks * HW || e.poses?.length !== e.ticks * 5)) {
      throw new NextframeError('bad-episode', `evaluateFidelity: model "${model.manifest.id}" takes ${model.manifest.conditioning.filter((c) => c === 'memory' || c === 'depth').join(' and ')} streams, so episode ${e.name} needs depth (${e.ticks}·${H}·${W} metres) and poses (${e.ticks}·5), found ${e.depth?.length ?? 'no'} depth and ${e.poses?.length ?? 'no'} pose values.`);
    }
    if (e.ticks < K + L + 1) throw new NextframeError('bad-episode', `evaluateFidelity: episode ${e.name} has ${e.ticks} ticks; a ${L}-tick rollout needs at least ${K + L + 1}.`);
  }
  const frameAt = (e: EvalEpisode, t: number): Float32Array => episodeFrame(e, t, W, H);
  const actionAt = (e: EvalEpisode, t: number): Float32Array => episodeAction(e, t, A);
  const viewAt = (e: EvalEpisode, t: number): View => episodeView(e, t, W, H);
  /** The streams for painting frame t: the recorded view (the model makes depth and, in rollouts, memory from it). */
  const conditioningAt = (e: EvalEpisode, t: number): Conditioning => (needsView ? { view: viewAt(e, t) } : {});
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
  // One-step memory: the real frames before the sample, kept here (see above).
  const realMemory = memory && mode === 'on' ? new SpatialMemory(memory.camera, memory.options) : null;
  const memoryStream = new Float32Array(4 * HW);
  const coverage: number[] = [];
  const wasEnabled = model.memoryEnabled;
  model.memoryEnabled = mode === 'on';
  try {
    for (const e of episodes) {
      realMemory?.clear();
      let remembered = 0; // real frames 0..remembered−1 are in realMemory
      for (const t of spread(K, e.ticks - 1, oneStepPer)) {
        resetAt(e, t);
        const conditioning = conditioningAt(e, t);
        if (realMemory) {
          for (; remembered < t; remembered++) {
            const v = viewAt(e, remembered);
            realMemory.insert(frameAt(e, remembered), v.depth, v.pose, remembered);
          }
          const v = conditioning.view!;
          conditioning.memory = realMemory.render(v.pose, v.depth, memoryStream);
          coverage.push(realMemory.lastCoverage);
        }
        await model.step(actionAt(e, t), conditioning, out);
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
        resetAt(e, t0); // clears model.memory
        if (memory && mode === 'on') {
          for (let s = 0; s < t0; s++) {
            const v = viewAt(e, s);
            memory.insert(frameAt(e, s), v.depth, v.pose, s - t0 + 1);
          }
        }
        const held = frameAt(e, t0 - 1);
        for (let i = 1; i <= L; i++) {
          const t = t0 + i - 1;
          await model.step(actionAt(e, t), conditioningAt(e, t), out);
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
  } finally {
    model.memoryEnabled = wasEnabled;
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
    memory: mode,
    ...(mode === 'on' ? { memoryCoverage1: mean(coverage) } : {}),
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
