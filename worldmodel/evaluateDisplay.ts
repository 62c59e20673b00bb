import { bicubicUpsample } from './bicubicUpsample.ts';
import { normaliseDepth } from './Conditioning.ts';
import { NextframeError } from './errors.ts';
import { episodeAction, episodeFrame, episodeView, type EvalEpisode } from './evaluateFidelity.ts';
import { rgbToFrame } from './frames.ts';
import { cap, gradientEnergy, mean, psnr, spread } from './metrics.ts';
import { SpatialMemory, type MemoryChannel } from './SpatialMemory.ts';
import { warpDisplayStep } from './warpFrame.ts';
import type { WorldModel } from './WorldModel.ts';

/**
 * A display pixel counts as still between two ticks when no channel of its truth changed by
 * more than this many 8-bit levels: flicker is scored only there, where any change on screen
 * is the picture's own (recording noise of a still view stays well under it).
 */
export const FLICKER_STILL_LEVELS = 2;

/** The display frames' bars (issue 16): PSNR this far over the bicubic enlargement at ticks 16 and the rollout's end (and at least the re-render's). */
export const DISPLAY_PSNR_MARGIN_DB = 1.5;
/** The detail ratio at tick 16 within this range: as detailed as the truth, neither blurred nor sharpened into noise. */
export const DISPLAY_DETAIL_RANGE: readonly [number, number] = [0.7, 1.3];

/** One bar of `displayBars`: what it asks, whether the report meets it, and the numbers it compared. */
export interface DisplayBar {
  bar: string;
  met: boolean;
  found: string;
}

/** What the display upsampler was given at one rollout tick, beside the truth it should paint (`onSample`). */
export interface DisplaySample {
  /** 3·H·W CHW in [−1, 1]: the frame the model painted. */
  frame: Float32Array;
  /** 4·sH·sW: `model.memory.renderDisplay` of the tick's view before the frame was remembered (RGB in [−1, 1], 0 uncovered, then `sampleMemoryChannel`: coverage, or confidence). */
  memory: Float32Array;
  /** H·W proxy depth normalised as the depth stream: clamp(d/far, 0, 1)·2 − 1. */
  depth: Float32Array;
  /** uint8 [sH, sW, 3]: the recorded display frame (a view into the episode). */
  truth: Uint8Array;
}

/** Display-resolution frames of one rollout tick (CHW in [−1, 1]); buffers are reused: copy. */
export interface DisplayRolloutFrames {
  truth: Float32Array;
  /** `model.lastDisplay`: what the model's upsampler painted. */
  model: Float32Array;
  /** The model's frame enlarged with `bicubicUpsample`. */
  bicubic: Float32Array;
  /** The geometry-only re-render at display resolution (see `warpDisplayStep`). */
  warp: Float32Array;
}

export interface DisplayEvalOptions {
  /** Autoregressive rollouts per episode (spread evenly). Default 2. */
  rolloutsPerEpisode?: number;
  /** Rollout length in ticks, ≥ 16; PSNR is reported at 16 and at this tick. Default 64. */
  rolloutTicks?: number;
  onProgress?: (done: number, total: number) => void;
  /** Called at every rollout tick (1…L) with the display frames the numbers score. */
  onRolloutFrame?: (rollout: number, tick: number, frames: DisplayRolloutFrames) => void;
  /** Called at every `sampleEvery`-th rollout tick with the upsampler's inputs and the truth: training data for an upsampler. Buffers are reused: copy. */
  onSample?: (rollout: number, tick: number, sample: DisplaySample) => void;
  /** Ticks between samples (ticks sampleEvery, 2·sampleEvery, …). Default 1. */
  sampleEvery?: number;
  /** What the samples' memory render holds in its fourth channel (`SpatialMemory.renderDisplay`'s `channel`). Default `coverage`. */
  sampleMemoryChannel?: MemoryChannel;
}

/** Scores of the model's display frames (no suffix), of its frame enlarged bicubically (`Bicubic`) and of the display-resolution re-render (`Warp`). */
export interface DisplayReport {
  /** PSNR at display resolution against the recorded display frame at rollout tick 16 and at the rollout's end. */
  psnrDisplay16: number;
  psnrDisplay64: number;
  /** Gradient energy of the display frames at tick 16 over the truth's (1 = as detailed). */
  detailRatioDisplay16: number;
  /** Mean absolute change between consecutive display frames, in 8-bit levels, over the pixels where the truth stayed still (FLICKER_STILL_LEVELS). */
  flickerDisplay: number;
  psnrDisplay16Bicubic: number;
  psnrDisplay64Bicubic: number;
  detailRatioDisplay16Bicubic: number;
  flickerDisplayBicubic: number;
  psnrDisplay16Warp: number;
  psnrDisplay64Warp: number;
  detailRatioDisplay16Warp: number;
  flickerDisplayWarp: number;
  episodes: number;
  rollouts: number;
  rolloutTicks: number;
  /** Ticks (pairs of consecutive frames) with still pixels that the flicker means are over. */
  flickerTicks: number;
  displayWidth: number;
  displayHeight: number;
  scale: number;
  upsampler: 'bicubic' | 'learned';
  /** Mean milliseconds of a model step (display frame included) and of its display frame alone (memory's display render and the upsampling). */
  msPerFrame: number;
  msPerDisplayFrame: number;
}

/**
 * How faithful a model's display frames are, on rollouts scored at display resolution against
 * the recorded display frames (`display.npy`). The model must carry a display upsampler
 * (`WorldModelOptions.display`); episodes need display frames, depth and poses.
 *
 * The protocol is `evaluateFidelity`'s rollouts: reset on K real frames, `model.memory` holding
 * the real frames 0..t0−1 with their display truth (numbered t0−1 ↦ 0, as reset numbers its
 * frames), then the model paints each tick for the recorded view, its upsampler painting the
 * display frame (`model.lastDisplay`) from the frame, the memory's display render and the depth,
 * and the memory keeping both. Beside it on the same ticks:
 *
 * - Bicubic: the model's frame enlarged with `bicubicUpsample` (the display without an upsampler).
 * - Warp: an evaluator memory of the same real frames and display truth, played forward with
 *   `warpDisplayStep` (memory alone at display resolution, the bicubic of its model-resolution
 *   warp where it covers nothing; no network), remembering what it painted as the model does.
 *
 * Flicker is scored over rollout ticks 2…L, frame t against frame t−1 of the same rollout.
 */
export async function evaluateDisplay(model: WorldModel, episodes: readonly EvalEpisode[], options: DisplayEvalOptions = {}): Promise<DisplayReport> {
  const upsampler = model.display;
  const K = model.contextFrames;
  const { width: W, height: H } = model;
  const A = model.codec.size;
  const rolloutsPer = options.rolloutsPerEpisode ?? 2;
  const L = options.rolloutTicks ?? 64;
  const every = options.sampleEvery ?? 1;
  if (!upsampler) {
    throw new NextframeError('bad-options', `evaluateDisplay: model "${model.manifest.id}" has no display upsampler; load it with { display: upsampler } (a BicubicUpsampler, or LearnedUpsampler.load(folder)).`);
  }
  for (const [name, value, min] of [['rolloutsPerEpisode', rolloutsPer, 1], ['rolloutTicks', L, 16], ['sampleEvery', every, 1]] as const) {
    if (!Number.isInteger(value) || value < min) throw new NextframeError('bad-options', `evaluateDisplay: ${name} must be an integer ≥ ${min}, found ${value}.`);
  }
  const s = upsampler.scale;
  const Wd = W * s;
  const Hd = H * s;
  const HW = W * H;
  const nd = Wd * Hd;
  for (const e of episodes) {
    const where = `evaluateDisplay: episode ${e.name}`;
    if (e.frames.length !== e.ticks * HW * 3 || e.actions.length !== e.ticks * A) {
      throw new NextframeError('bad-episode', `${where} does not fit the model (${W}×${H}, ${A} action slots); record it at the model's resolution.`);
    }
    if (e.display === undefined) {
      throw new NextframeError('bad-episode', `${where} has no display frames (display.npy) to score ${Wd}×${Hd} frames against; record held-out episodes with them: npx nextframe record … --display ${Wd}.`);
    }
    const size = e.displaySize ?? { width: Wd, height: Hd };
    if (size.width !== Wd || size.height !== Hd || e.display.length !== e.ticks * nd * 3) {
      throw new NextframeError('bad-episode', `${where} has display frames of ${size.width}×${size.height} (${e.display.length} bytes for ${e.ticks} ticks); the model paints ${Wd}×${Hd} (${s}× its ${W}×${H}). Record with --display ${Wd}, or load an upsampler of scale ${size.width / W}.`);
    }
    if (e.depth?.length !== e.ticks * HW || e.poses?.length !== e.ticks * 5) {
      throw new NextframeError('bad-episode', `${where} needs depth (${e.ticks}·${H}·${W} metres) and poses (${e.ticks}·5) for the memory and the re-render, found ${e.depth?.length ?? 'no'} depth and ${e.poses?.length ?? 'no'} pose values.`);
    }
    if (e.ticks < K + L) throw new NextframeError('bad-episode', `${where} has ${e.ticks} ticks; a ${L}-tick rollout needs at least ${K + L}.`);
  }

  const memory = model.memory;
  const camera = memory?.camera ?? { width: W, height: H, ...model.manifest.camera };
  const scene = new SpatialMemory(camera, { ...memory?.options, displayScale: s }); // the warp's memory
  const truthBytes = (e: EvalEpisode, t: number): Uint8Array => e.display!.subarray(t * nd * 3, (t + 1) * nd * 3);
  const frame = new Float32Array(3 * HW);
  const warp = new Float32Array(3 * HW);
  const stream = new Float32Array(4 * HW);
  const displayStream = new Float32Array(4 * nd);
  const rows = { truth: new Float32Array(3 * nd), model: new Float32Array(3 * nd), bicubic: new Float32Array(3 * nd), warp: new Float32Array(3 * nd) };
  const previous = { model: new Float32Array(3 * nd), bicubic: new Float32Array(3 * nd), warp: new Float32Array(3 * nd) }; // tick i − 1's, for flicker
  const sampleMemory = new Float32Array(4 * nd);
  const sampleDepth = new Float32Array(HW);
  const still = new Uint8Array(nd);
  const kinds = ['model', 'bicubic', 'warp'] as const;
  const acc = Object.fromEntries(kinds.map((k) => [k, { p16: [] as number[], pL: [] as number[], g16: 0, flicker: [] as number[] }])) as Record<(typeof kinds)[number], { p16: number[]; pL: number[]; g16: number; flicker: number[] }>;
  let truthG16 = 0;
  let stepMs = 0;
  let displayMs = 0;
  let steps = 0;
  let rolloutIndex = 0;
  let done = 0;
  const total = episodes.reduce((n, e) => n + spread(K, e.ticks - L, rolloutsPer).length * L, 0);
  const was = { memory: model.memoryEnabled, display: model.displayEnabled };
  model.memoryEnabled = true;
  model.displayEnabled = true;
  try {
    for (const e of episodes) {
      for (const t0 of spread(K, e.ticks - L, rolloutsPer)) {
        const rollout = rolloutIndex++;
        const ts = Array.from({ length: K }, (_, k) => t0 - K + k);
        model.reset(ts.map((t) => episodeFrame(e, t, W, H)), ts.map((t) => episodeAction(e, t, A))); // clears model.memory
        scene.clear();
        for (let t = 0; t < t0; t++) {
          const v = episodeView(e, t, W, H);
          const real = episodeFrame(e, t, W, H);
          memory?.insert(real, v.depth, v.pose, t - t0 + 1, { display: truthBytes(e, t) });
          scene.insert(real, v.depth, v.pose, t - t0 + 1, { display: truthBytes(e, t) });
        }
        warp.set(episodeFrame(e, t0 - 1, W, H)); // the warp's fallback until it paints
        for (let i = 1; i <= L; i++) {
          const t = t0 + i - 1;
          const view = episodeView(e, t, W, H);
          const sampled = options.onSample !== undefined && i % every === 0;
          if (sampled) {
            // The display render the upsampler gets: memory as it stands before this frame.
            if (memory) {
              memory.render(view.pose, view.depth, stream);
              memory.renderDisplay(view.pose, view.depth, sampleMemory, options.sampleMemoryChannel ?? 'coverage');
            } else sampleMemory.fill(0);
          }
          await model.step(episodeAction(e, t, A), { view }, frame);
          stepMs += model.lastStepMs;
          displayMs += model.lastDisplayMs;
          steps++;
          rows.model.set(model.lastDisplay!); // painted: the upsampler is there and on
          bicubicUpsample(frame, W, H, s, rows.bicubic);
          warpDisplayStep(scene, view.pose, view.depth, warp, rows.warp, i, stream, displayStream);
          rgbToFrame(truthBytes(e, t), Wd, Hd, rows.truth);
          if (sampled) options.onSample!(rollout, i, { frame, memory: sampleMemory, depth: normaliseDepth(view.depth, camera.far, sampleDepth), truth: truthBytes(e, t) });
          options.onRolloutFrame?.(rollout, i, rows);
          if (i > 1 && stillPixels(truthBytes(e, t - 1), truthBytes(e, t), still) > 0) {
            for (const k of kinds) acc[k].flicker.push(meanChange(previous[k], rows[k], still));
          }
          if (i === 16) truthG16 += gradientEnergy(rows.truth, Wd, Hd);
          for (const k of kinds) {
            if (i === 16) {
              acc[k].p16.push(cap(psnr(rows[k], rows.truth)));
              acc[k].g16 += gradientEnergy(rows[k], Wd, Hd);
            }
            if (i === L) acc[k].pL.push(cap(psnr(rows[k], rows.truth)));
            previous[k].set(rows[k]);
          }
          options.onProgress?.(++done, total);
        }
      }
    }
  } finally {
    model.memoryEnabled = was.memory;
    model.displayEnabled = was.display;
  }
  const scores = (k: (typeof kinds)[number]) => ({ p16: mean(acc[k].p16), pL: mean(acc[k].pL), detail: truthG16 > 0 ? acc[k].g16 / truthG16 : Number.NaN, flicker: mean(acc[k].flicker) });
  const [m, b, w] = kinds.map(scores) as [ReturnType<typeof scores>, ReturnType<typeof scores>, ReturnType<typeof scores>];
  return {
    psnrDisplay16: m.p16,
    psnrDisplay64: m.pL,
    detailRatioDisplay16: m.detail,
    flickerDisplay: m.flicker,
    psnrDisplay16Bicubic: b.p16,
    psnrDisplay64Bicubic: b.pL,
    detailRatioDisplay16Bicubic: b.detail,
    flickerDisplayBicubic: b.flicker,
    psnrDisplay16Warp: w.p16,
    psnrDisplay64Warp: w.pL,
    detailRatioDisplay16Warp: w.detail,
    flickerDisplayWarp: w.flicker,
    episodes: episodes.length,
    rollouts: rolloutIndex,
    rolloutTicks: L,
    flickerTicks: acc.model.flicker.length,
    displayWidth: Wd,
    displayHeight: Hd,
    scale: s,
    upsampler: upsampler.kind,
    msPerFrame: steps > 0 ? stepMs / steps : Number.NaN,
    msPerDisplayFrame: steps > 0 ? displayMs / steps : Number.NaN,
  };
}

/**
 * The bars a display upsampler must meet (issue 16's "done when"), judged on a report: PSNR at
 * ticks 16 and L ≥ bicubic + DISPLAY_PSNR_MARGIN_DB and ≥ warp, the detail ratio at tick 16
 * within DISPLAY_DETAIL_RANGE, flicker no worse than bicubic's. A NaN score meets nothing.
 */
export function displayBars(r: DisplayReport): DisplayBar[] {
  const dB = (v: number): string => `${v.toFixed(2)} dB`;
  const psnrBar = (tick: number, model: number, bicubic: number, warp: number): DisplayBar => ({
    bar: `PSNR at tick ${tick} ≥ bicubic + ${DISPLAY_PSNR_MARGIN_DB} dB and ≥ warp`,
    met: model >= bicubic + DISPLAY_PSNR_MARGIN_DB && model >= warp,
    found: `${dB(model)} against ${dB(bicubic + DISPLAY_PSNR_MARGIN_DB)} and ${dB(warp)}`,
  });
  const [lo, hi] = DISPLAY_DETAIL_RANGE;
  return [
    psnrBar(16, r.psnrDisplay16, r.psnrDisplay16Bicubic, r.psnrDisplay16Warp),
    ...(r.rolloutTicks === 16 ? [] : [psnrBar(r.rolloutTicks, r.psnrDisplay64, r.psnrDisplay64Bicubic, r.psnrDisplay64Warp)]),
    { bar: `detail ratio at tick 16 in ${lo}–${hi}`, met: r.detailRatioDisplay16 >= lo && r.detailRatioDisplay16 <= hi, found: r.detailRatioDisplay16.toFixed(2) },
    { bar: "flicker no worse than bicubic's", met: r.flickerDisplay <= r.flickerDisplayBicubic, found: `${r.flickerDisplay.toFixed(2)} against ${r.flickerDisplayBicubic.toFixed(2)} levels` },
  ];
}

/** Mark (1) the pixels of two uint8 HWC RGB frames that no channel changed by more than FLICKER_STILL_LEVELS; returns how many. */
function stillPixels(before: Uint8Array, after: Uint8Array, out: Uint8Array): number {
  let count = 0;
  for (let p = 0; p < out.length; p++) {
    const q = 3 * p;
    const change = Math.max(Math.abs(after[q]! - before[q]!), Math.abs(after[q + 1]! - before[q + 1]!), Math.abs(after[q + 2]! - before[q + 2]!));
    out[p] = change <= FLICKER_STILL_LEVELS ? 1 : 0;
    count += out[p]!;
  }
  return count;
}

/** Mean |a − b| of two CHW frames in [−1, 1] over the pixels `mask` marks, in 8-bit levels. */
function meanChange(a: Float32Array, b: Float32Array, mask: Uint8Array): number {
  const n = mask.length;
  let sum = 0;
  let count = 0;
  for (let p = 0; p < n; p++) {
    if (!mask[p]) continue;
    sum += Math.abs(a[p]! - b[p]!) + Math.abs(a[n + p]! - b[n + p]!) + Math.abs(a[2 * n + p]! - b[2 * n + p]!);
    count += 3;
  }
  return (sum / count) * 127.5;
}
