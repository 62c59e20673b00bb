import { describeValue, NextframeError } from './errors.ts';
import type { Pose } from './geometry/Pose.ts';

/** Where the camera is for a frame, as the host's physics knows it. */
export interface View {
  /** Camera pose of the frame. */
  pose: Pose;
  /** Proxy view-space depth for that pose, H·W metres, row 0 at the top (sky: ≥ far). */
  depth: Float32Array;
}

/**
 * Real views of a scene from before play, for a model's spatial memory to start from
 * (`WorldModel.reset`'s `survey`): ground-truth frames (CHW float32 in [−1, 1] at the model's size)
 * with their views, and for a memory that keeps display frames the same views at display size.
 */
export interface Survey {
  frames: Float32Array[];
  views: View[];
  /** The frames at display resolution (uint8 RGB HWC, or CHW in [−1, 1]), one per frame. */
  displays?: (Uint8Array | Float32Array)[];
}

/**
 * Extra input streams for one step, when the model declares them. Usually just `view`: the
 * model then makes its own streams (normalised depth, and its spatial memory rendered into the
 * view) and remembers the frame it paints. `memory` and `depth` give raw streams instead.
 */
export interface Conditioning {
  /** The camera pose and proxy depth of the frame to paint. */
  view?: View;
  /** Reprojected memory: RGB in [−1, 1] then coverage in [0, 1], 4·H·W values. Default: empty (coverage 0). */
  memory?: Float32Array;
  /** Proxy depth normalised as clamp(d/far, 0, 1)·2 − 1, H·W values. Required when declared. */
  depth?: Float32Array;
}

/** Check a view: a pose and H·W finite metres of proxy depth. */
export function assertView(view: View, HW: number): void {
  if (typeof view !== 'object' || !view.pose || !(view.depth instanceof Float32Array) || view.depth.length !== HW) {
    throw new NextframeError('bad-conditioning', `WorldModel: view must be { pose: { x, y, z, yaw, pitch }, depth: Float32Array of ${HW} metres }, found ${describeValue(view)}.`);
  }
  checkStream(view.depth, HW, 'view.depth', 'H·W metres of proxy depth');
}

/** Proxy depth in metres → the depth stream: clamp(d / far, 0, 1)·2 − 1, into `out`. */
export function normaliseDepth(metres: ArrayLike<number>, far: number, out: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, metres[i]! / far)) * 2 - 1;
  return out;
}

/** `data` if it is a Float32Array of `size` finite values; otherwise a 'bad-conditioning' error naming the stream and its layout. */
export function checkStream(data: Float32Array<ArrayBufferLike>, size: number, name: string, layout: string): ArrayLike<number> {
  if (!(data instanceof Float32Array) || data.length !== size) {
    throw new NextframeError('bad-conditioning', `WorldModel: conditioning "${name}" must be a Float32Array of ${size} values (${layout}), found ${describeValue(data)}.`);
  }
  for (let i = 0; i < size; i++) {
    if (!Number.isFinite(data[i]!)) throw new NextframeError('bad-conditioning', `WorldModel: conditioning "${name}" has ${data[i]} at index ${i}; expected finite values.`);
  }
  return data;
}
