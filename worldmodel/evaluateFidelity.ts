import { NextframeError } from './errors.ts';
import { rgbToFrame } from './frames.ts';
import { cap, gradientEnergy, maskedPsnr, mean, psnr, PSNR_CAP_DB, spread, ssim } from './metrics.ts';
import { SpatialMemory } from './SpatialMemory.ts';
import { warpFrame, warpStep } from './warpFrame.ts';
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
  /** uint8 [T, Hd, Wd, 3]: the same views at display resolution (display.npy), for `evaluateDisplay`. */
  display?: Uint8Array;
  /** Hd and Wd of `display` (meta.json's `display`). */
  displaySize?: { width: number; height: number };
}

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

/** How the model's memory stream was fed: `none` when the model has no memory stream. */
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
  /**
   * Called at every rollout tick with rollout index, tick (1…L) and the frames (truth, the
   * model's, the warp's or null): pictures of what the numbers score. Buffers are reused: copy.
   */
  onRolloutFrame?: (rollout: number, tick: number, frames: { truth: Float32Array; model: Float32Array; warp: Float32Array | null; held: Float32Array }) => void;
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
  /**
   * The geometry-only re-render ("warp", see warpFrame: memory alone, no network) on the same
   * samples and protocol as the model's psnr1, psnr1Moving, psnr16, psnr64 and detailRatio64.
   * Null when the episodes carry no depth and poses to render it with.
   */
  warpPsnr1: number | null;
  warpPsnr1Moving: number | null;
  warpPsnr16: number | null;
  warpPsnr64: number | null;
  warpDetailRatio64: number | null;
  /**
   * One-step PSNR over only the pixels memory did not cover at the sample's view (what the model
   * has to imagine), for the model and for the warp (there: the last real frame), over the
   * `uncoveredSamples1` samples with any such pixel. Null when none had one (or no warp).
   */
  psnrUncovered1: number | null;
  warpPsnrUncovered1: number | null;
  uncoveredSamples1: number;
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
 *
 * The warp columns (episodes with depth and poses, whatever the model's streams) score the
 * geometry-only re-render on the same protocol, with the model's camera and memory options
 * (the manifest's camera and the defaults for a model without memory):
 *
 * - one step at tick t: the render at view t of the real frames 0..t−1 (the very render the
 *   model gets as its memory stream with memory on), the real frame t−1 where it covers nothing.
 *   Pixels it covers nothing of are also where psnrUncovered1 scores the model.
 * - rollout from tick t0: a memory of the real frames 0..t0−1 (numbered as above), then at each
 *   tick the render of the recorded view over the warp's own last frame (frame t0−1 at first),
 *   inserted as painted, as the model inserts the frames it paints.
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
    throw new NextframeError('bad-options', `evaluateFidelity: memory must be 'on' or 'off', found ${JSON.stringify(options.memory)}.`);
  }
  if (options.memory === 'on' && memory === null) {
    throw new NextframeError('no-memory', `evaluateFidelity: model "${model.manifest.id}" has no memory stream (it is conditioned on ${model.manifest.conditioning.join(', ')}); memory 'on' does not apply.`);
  }
  const mode: MemoryMode = memory === null ? 'none' : (options.memory ?? 'on');
  const hasViews = (e: EvalEpisode): boolean => e.depth?.length === e.ticks * HW && e.poses?.length === e.ticks * 5;

  for (const e of episodes) {
    if (e.frames.length !== e.ticks * H * W * 3 || e.actions.length !== e.ticks * A) {
      throw new NextframeError('bad-episode', `evaluateFidelity: episode ${e.name} does not fit the model (${W}×${H}, ${A} action slots); record it at the model's resolution.`);
    }
    if (needsView && !hasViews(e)) {
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
  let rolloutIndex = 0;
  let done = 0;
  const tick = (): void => options.onProgress?.(++done, total);
  const acc = { p1: [] as number[], p1b: [] as number[], m1: [] as number[], m1b: [] as number[], s1: [] as number[], s1b: [] as number[], p16: [] as number[], p16b: [] as number[], pL: [] as number[], pLb: [] as number[], gL: 0, gTruth: 0, u1: [] as number[] };
  const warpAcc = { p1: [] as number[], m1: [] as number[], p16: [] as number[], pL: [] as number[], gL: 0, u1: [] as number[] };
  const out = new Float32Array(frameSize);
  let stepMs = 0;
  let steps = 0;
  // The evaluator's memory of the real frames (see above): the model's one-step memory stream
  // with memory on, and the warp's memory throughout.
  const scene = episodes.every(hasViews) ? new SpatialMemory(memory?.camera ?? { width: W, height: H, ...model.manifest.camera }, memory?.options) : null;
  const memoryStream = new Float32Array(4 * HW); // (4, H, W): RGB then coverage
  const warp = new Float32Array(frameSize);
  const uncovered = new Float32Array(HW);
  const coverage: number[] = [];
  const wasEnabled = model.memoryEnabled;
  model.memoryEnabled = mode === 'on';
  try {
    for (const e of episodes) {
      scene?.clear();
      let remembered = 0; // real frames 0..remembered−1 are in scene
      for (const t of spread(K, e.ticks - 1, oneStepPer)) {
        resetAt(e, t);
        const conditioning = conditioningAt(e, t);
        if (scene) {
          for (; remembered < t; remembered++) {
            const v = viewAt(e, remembered);
            scene.insert(frameAt(e, remembered), v.depth, v.pose, remembered);
          }
          const v = viewAt(e, t);
          scene.render(v.pose, v.depth, memoryStream);
          if (mode === 'on') {
            conditioning.memory = memoryStream;
            coverage.push(scene.lastCoverage);
          }
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
        if (scene) {
          const pw = cap(psnr(warpFrame(memoryStream, last, warp), truth));
          warpAcc.p1.push(pw);
          if (pb < PSNR_CAP_DB) warpAcc.m1.push(pw);
          if (uncoveredMask(memoryStream, uncovered) > 0) {
            acc.u1.push(cap(maskedPsnr(out, truth, uncovered)));
            warpAcc.u1.push(cap(maskedPsnr(warp, truth, uncovered)));
          }
        }
        tick();
      }
      for (const t0 of spread(K, e.ticks - L, rolloutsPer)) {
        const rollout = rolloutIndex++;
        resetAt(e, t0); // clears model.memory
        if (memory && mode === 'on') {
          for (let s = 0; s < t0; s++) {
            const v = viewAt(e, s);
            memory.insert(frameAt(e, s), v.depth, v.pose, s - t0 + 1);
          }
        }
        const held = frameAt(e, t0 - 1);
        if (scene) {
          scene.clear();
          for (let s = 0; s < t0; s++) {
            const v = viewAt(e, s);
            scene.insert(frameAt(e, s), v.depth, v.pose, s - t0 + 1);
          }
          warp.set(held);
        }
        for (let i = 1; i <= L; i++) {
          const t = t0 + i - 1;
          await model.step(actionAt(e, t), conditioningAt(e, t), out);
          stepMs += model.lastStepMs;
          steps++;
          if (scene) {
            // The warp paints over its own last frame and remembers what it painted, as the model does.
            const v = viewAt(e, t);
            warpStep(scene, v.pose, v.depth, warp, i, memoryStream);
          }
          tick();
          options.onRolloutFrame?.(rollout, i, { truth: frameAt(e, t), model: out, warp: scene ? warp : null, held });
          if (i !== 16 && i !== L) continue;
          const truth = frameAt(e, t);
          if (i === 16) {
            acc.p16.push(cap(psnr(out, truth)));
            acc.p16b.push(cap(psnr(held, truth)));
            if (scene) warpAcc.p16.push(cap(psnr(warp, truth)));
          }
          if (i === L) {
            acc.pL.push(cap(psnr(out, truth)));
            acc.pLb.push(cap(psnr(held, truth)));
            acc.gL += gradientEnergy(out, W, H);
            acc.gTruth += gradientEnergy(truth, W, H);
            if (scene) {
              warpAcc.pL.push(cap(psnr(warp, truth)));
              warpAcc.gL += gradientEnergy(warp, W, H);
            }
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
    warpPsnr1: scene ? mean(warpAcc.p1) : null,
    warpPsnr1Moving: scene ? mean(warpAcc.m1) : null,
    warpPsnr16: scene ? mean(warpAcc.p16) : null,
    warpPsnr64: scene ? mean(warpAcc.pL) : null,
    warpDetailRatio64: scene ? (acc.gTruth > 0 ? warpAcc.gL / acc.gTruth : Number.NaN) : null,
    psnrUncovered1: acc.u1.length > 0 ? mean(acc.u1) : null,
    warpPsnrUncovered1: warpAcc.u1.length > 0 ? mean(warpAcc.u1) : null,
    uncoveredSamples1: warpAcc.u1.length,
  };
}

/** 1 − coverage of a memory stream (4·H·W, coverage last) into `out` (H·W); returns the pixels left uncovered. */
function uncoveredMask(memory: Float32Array, out: Float32Array): number {
  const n = out.length;
  let count = 0;
  for (let p = 0; p < n; p++) {
    out[p] = 1 - memory[3 * n + p]!;
    if (out[p]! > 0) count++;
  }
  return count;
}
