import { bicubicUpsample } from './bicubicUpsample.ts';
import { NextframeError } from './errors.ts';
import type { SpatialMemory } from './SpatialMemory.ts';
import type { Pose } from './geometry/Pose.ts';

/**
 * The geometry-only re-render ("warp") of a view: what spatial memory alone shows there, with
 * `fallback` (the last frame) where memory covers nothing. No network: it is the baseline every
 * fidelity number stands beside (DESIGN.md "Baselines"), and the base image a `start: "base"`
 * model denoises around, so a model's worth is what it adds to it.
 *
 * `memory`: 4·H·W as `SpatialMemory.render` writes it (RGB in [−1, 1], then coverage in
 * [0, 1]); `fallback` and `out`: 3·H·W CHW. out = colour · coverage + fallback · (1 − coverage),
 * pixel by pixel, so `out` may be `fallback` itself (a rollout warping onto its own last frame).
 */
export function warpFrame(memory: Float32Array, fallback: Float32Array, out: Float32Array): Float32Array {
  const n = fallback.length / 3;
  if (!Number.isInteger(n) || memory.length !== 4 * n || out.length !== 3 * n) {
    throw new NextframeError('bad-frame', `warpFrame: expected a 4·H·W memory stream and 3·H·W fallback and out, found ${memory.length}, ${fallback.length} and ${out.length} values.`);
  }
  const coverage = 3 * n;
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < n; p++) {
      const cover = memory[coverage + p]!;
      out[c * n + p] = memory[c * n + p]! * cover + fallback[c * n + p]! * (1 - cover);
    }
  }
  return out;
}

/**
 * One tick of the geometry-only re-render played forward: what `memory` shows at `pose` (with
 * `depth`), over `last` where it covers nothing, written into `last` and remembered as painted
 * at `tick` — as the model remembers the frames it paints. `stream` is scratch (4·H·W).
 */
export function warpStep(memory: SpatialMemory, pose: Readonly<Pose>, depth: Float32Array, last: Float32Array, tick: number, stream: Float32Array): Float32Array {
  warpFrame(memory.render(pose, depth, stream), last, last);
  memory.insert(last, depth, pose, tick, { painted: true });
  return last;
}

/**
 * `warpStep` with display frames, for a memory that keeps them (`displayScale`): the warp at
 * model resolution exactly as `warpStep` paints it into `last`, and at display resolution what
 * `renderDisplay` shows at `pose`, over the bicubic enlargement of that model-resolution warp
 * where memory covers nothing, written into `lastDisplay` (3·Hd·Wd CHW). Both are remembered
 * as painted at `tick`, as a world model with a display upsampler remembers its frames.
 * `stream` (4·H·W) and `displayStream` (4·Hd·Wd) are scratch.
 */
export function warpDisplayStep(memory: SpatialMemory, pose: Readonly<Pose>, depth: Float32Array, last: Float32Array, lastDisplay: Float32Array, tick: number, stream: Float32Array, displayStream: Float32Array): Float32Array {
  const { width, height } = memory.camera;
  const scale = memory.options.displayScale;
  // render before renderDisplay: the display render reuses the lookup of the same view.
  warpFrame(memory.render(pose, depth, stream), last, last);
  memory.renderDisplay(pose, depth, displayStream);
  warpFrame(displayStream, bicubicUpsample(last, width, height, scale, lastDisplay), lastDisplay);
  memory.insert(last, depth, pose, tick, { painted: true, display: lastDisplay });
  return lastDisplay;
}
