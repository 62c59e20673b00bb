import { NextframeError } from './errors.ts';
import { episodeAction, episodeFrame, episodeView, type EvalEpisode } from './evaluateFidelity.ts';
import { cap, gradientEnergy, psnr } from './metrics.ts';
import { SpatialMemory } from './SpatialMemory.ts';
import { warpStep } from './warpFrame.ts';
import type { WorldModel } from './WorldModel.ts';

export interface LongRolloutOptions {
  /** Ticks per reported window. Default 500 (25 s at 20 Hz). */
  window?: number;
  /** Stop each rollout after this many ticks (default: through the episode's end). */
  maxTicks?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Called at every rollout tick with rollout index, tick (1…) and the frames (truth, the
   * model's, the warp's, copy-last's): pictures of what the numbers score. Buffers are reused: copy.
   */
  onRolloutFrame?: (rollout: number, tick: number, frames: { truth: Float32Array; model: Float32Array; warp: Float32Array; held: Float32Array }) => void;
}

/** One window of ticks, averaged over the rollouts that reached it. */
export interface LongRolloutWindow {
  /** First and last rollout tick of the window (1-based, inclusive). */
  from: number;
  to: number;
  /** Mean per-frame PSNR against the truth: the model, the geometry-only re-render, the last real frame held still. */
  psnr: number;
  warpPsnr: number;
  copyLastPsnr: number;
  /** Gradient energy of the painted frames over the truth's (1 = as detailed; ≪ 1 = blur). */
  detailRatio: number;
  warpDetailRatio: number;
  /** Mean share of each painted view the model's memory covered (null: the model has no memory). */
  memoryCoverage: number | null;
  /** Memory keyframes at the window's end (null: no memory). */
  keyframes: number | null;
  rollouts: number;
}

export interface LongRolloutReport {
  rollouts: number;
  /** Ticks of the longest rollout. */
  ticks: number;
  window: number;
  windows: LongRolloutWindow[];
  /** The smallest margin of any window: model minus warp, model minus copy-last (dB). */
  worstMarginOverWarp: number;
  worstMarginOverCopyLast: number;
  /** The range of the model's per-window detail ratio. */
  detailRatioRange: [number, number];
  memoryCapacity: number | null;
  msPerFrame: number;
}

/**
 * Long rollouts against the truth (many thousands of ticks): for each episode, reset on its first
 * K real frames (memory holding them, as `evaluateFidelity`'s rollouts do), then the model paints
 * every following tick from its own frames under the recorded actions and views, to the end.
 * Beside it, at the same ticks, the geometry-only re-render played forward (`warpStep`: memory of
 * the same real frames, then of what it re-rendered) and copy-last (frame K−1 held still).
 * Scores are averaged per window of `window` ticks, so drift, blur or memory trouble show where
 * they start. One rollout per episode: the sampler is seeded, so a second rollout of the same
 * episode would repeat the first.
 */
export async function evaluateLongRollout(model: WorldModel, episodes: readonly EvalEpisode[], options: LongRolloutOptions = {}): Promise<LongRolloutReport> {
  const K = model.contextFrames;
  const { width: W, height: H } = model;
  const A = model.codec.size;
  const HW = W * H;
  const window = options.window ?? 500;
  if (!Number.isInteger(window) || window < 1) throw new NextframeError('bad-options', `evaluateLongRollout: window must be a positive integer, found ${window}.`);
  if (episodes.length === 0) throw new NextframeError('bad-options', 'evaluateLongRollout: no episodes to roll out.');
  const lengthOf = (e: EvalEpisode): number => Math.min(e.ticks - K, options.maxTicks ?? Infinity);
  for (const e of episodes) {
    if (e.frames.length !== e.ticks * HW * 3 || e.actions.length !== e.ticks * A || e.depth?.length !== e.ticks * HW || e.poses?.length !== e.ticks * 5) {
      throw new NextframeError('bad-episode', `evaluateLongRollout: episode ${e.name} must fit the model (${W}×${H}, ${A} action slots) and carry depth and poses (the warp column and memory need them); record it with nextframe's recorder at the model's resolution.`);
    }
    if (lengthOf(e) < window) throw new NextframeError('bad-episode', `evaluateLongRollout: episode ${e.name} has ${e.ticks} ticks, under one ${window}-tick window after ${K} context frames; record longer episodes or pass a smaller window.`);
  }
  const memory = model.memory;
  const scene = new SpatialMemory(memory?.camera ?? { width: W, height: H, ...model.manifest.camera }, memory?.options);
  const out = new Float32Array(3 * HW);
  const warp = new Float32Array(3 * HW);
  const stream = new Float32Array(4 * HW);
  const total = episodes.reduce((n, e) => n + lengthOf(e), 0);
  const longest = Math.max(...episodes.map(lengthOf));
  const windowCount = Math.ceil(longest / window);
  type Sum = { psnr: number; warp: number; held: number; g: number; gWarp: number; gTruth: number; coverage: number; frames: number; keyframes: number; rollouts: number };
  const sums: Sum[] = Array.from({ length: windowCount }, () => ({ psnr: 0, warp: 0, held: 0, g: 0, gWarp: 0, gTruth: 0, coverage: 0, frames: 0, keyframes: 0, rollouts: 0 }));
  let done = 0;
  let stepMs = 0;
  const wasEnabled = model.memoryEnabled;
  model.memoryEnabled = memory !== null;
  try {
    for (const [r, e] of episodes.entries()) {
      const ts = Array.from({ length: K }, (_, k) => k);
      model.reset(ts.map((s) => episodeFrame(e, s, W, H)), ts.map((s) => episodeAction(e, s, A)));
      scene.clear();
      for (const s of ts) {
        const v = episodeView(e, s, W, H);
        const frame = episodeFrame(e, s, W, H);
        // Numbered as reset numbers the context: the newest real frame is tick 0.
        memory?.insert(frame, v.depth, v.pose, s - K + 1);
        scene.insert(frame, v.depth, v.pose, s - K + 1);
      }
      const held = episodeFrame(e, K - 1, W, H);
      warp.set(held);
      const L = lengthOf(e);
      for (let i = 1; i <= L; i++) {
        const t = K + i - 1;
        const view = episodeView(e, t, W, H);
        await model.step(episodeAction(e, t, A), { view }, out);
        stepMs += model.lastStepMs;
        warpStep(scene, view.pose, view.depth, warp, i, stream);
        const truth = episodeFrame(e, t, W, H);
        const sum = sums[Math.floor((i - 1) / window)]!;
        sum.psnr += cap(psnr(out, truth));
        sum.warp += cap(psnr(warp, truth));
        sum.held += cap(psnr(held, truth));
        sum.g += gradientEnergy(out, W, H);
        sum.gWarp += gradientEnergy(warp, W, H);
        sum.gTruth += gradientEnergy(truth, W, H);
        sum.coverage += memory ? memory.lastCoverage : 0;
        sum.frames++;
        if (i % window === 0 || i === L) {
          sum.rollouts++;
          sum.keyframes += memory ? memory.size : 0;
        }
        options.onRolloutFrame?.(r, i, { truth, model: out, warp, held });
        options.onProgress?.(++done, total);
      }
    }
  } finally {
    model.memoryEnabled = wasEnabled;
  }
  const windows = sums.map((s, w): LongRolloutWindow => ({
    from: w * window + 1,
    to: Math.min((w + 1) * window, longest),
    psnr: s.psnr / s.frames,
    warpPsnr: s.warp / s.frames,
    copyLastPsnr: s.held / s.frames,
    detailRatio: s.gTruth > 0 ? s.g / s.gTruth : Number.NaN,
    warpDetailRatio: s.gTruth > 0 ? s.gWarp / s.gTruth : Number.NaN,
    memoryCoverage: memory ? s.coverage / s.frames : null,
    keyframes: memory ? s.keyframes / s.rollouts : null,
    rollouts: s.rollouts,
  }));
  const details = windows.map((w) => w.detailRatio);
  return {
    rollouts: episodes.length,
    ticks: longest,
    window,
    windows,
    worstMarginOverWarp: Math.min(...windows.map((w) => w.psnr - w.warpPsnr)),
    worstMarginOverCopyLast: Math.min(...windows.map((w) => w.psnr - w.copyLastPsnr)),
    detailRatioRange: [Math.min(...details), Math.max(...details)],
    memoryCapacity: memory ? memory.options.capacity : null,
    msPerFrame: total > 0 ? stepMs / total : Number.NaN,
  };
}

