import { pixelU, pixelV, type ImagePlane } from './PinholeCamera.ts';
import type { PoseTransform } from './PoseTransform.ts';

/** A frustum test a hair wider than the image, so rounding never drops a point on its edge. */
const FRUSTUM_SLACK = 1 + 1e-6;

/** World points as three coordinate arrays (metres), indexed alike. */
export interface PointArrays {
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
}

/**
 * Where `projectPoints` writes the points that land in the image, packed from 0: for the h-th of
 * them, `slot[h]` is its place q in the index, `u[h]`, `v[h]` its pixel coordinates and
 * `depth[h]` its view depth. Each array holds at least as many entries as points projected.
 */
export interface Projections {
  slot: Int32Array;
  u: Float64Array;
  v: Float64Array;
  depth: Float64Array;
}

/**
 * `projectPoint` for many points at once, allocation-free, keeping only what lands in the image:
 * for q < count, the world point p = index[q] of `points`, seen by the camera at `t`, in front of
 * the near plane and inside the image (continuous pixel coordinates with centres at integers,
 * −0.5 ≤ u < width − 0.5, −0.5 ≤ v < height − 0.5) is written to `out` in order of q. Returns
 * how many were written. Spatial memory projects the surface points of a view into each keyframe
 * with it, every pixel of every keyframe searched.
 *
 * Why packed: most points miss most keyframes, and writing a NaN for each of them cost spatial
 * memory's lookup ~0.8 ms a tick at 64 × 64 against testing in place. The rotation is
 * `worldToCamera`'s, written out with the pose's sines and cosines in locals: a call per point
 * measured 5–8 % slower. tests/worldmodel/geometry/projectPoints.test.ts holds the two equal to
 * the bit.
 *
 * `skip`: points whose `score[p]` is at least `limit` are passed over as if they missed. Spatial
 * memory passes each pixel's best score so far and the keyframe's highest confidence: a keyframe
 * cannot beat a score it cannot reach, so those pixels need no projection into it.
 */
export function projectPoints(
  plane: ImagePlane,
  near: number,
  t: Readonly<PoseTransform>,
  points: Readonly<PointArrays>,
  index: Int32Array,
  count: number,
  out: Projections,
  skip?: { readonly score: Float32Array; readonly limit: number },
): number {
  const { width, height, tanX, tanY } = plane;
  const score = skip?.score;
  const limit = skip?.limit ?? Infinity;
  const { x: tx, y: ty, z: tz, sinYaw, cosYaw, sinPitch, cosPitch } = t;
  const { x: xs, y: ys, z: zs } = points;
  const { slot, u, v, depth } = out;
  const right = width - 0.5;
  const bottom = height - 0.5;
  let hits = 0;
  for (let q = 0; q < count; q++) {
    const p = index[q]!;
    if (score && score[p]! >= limit) continue;
    const dx = xs[p]! - tx;
    const dy = ys[p]! - ty;
    const dz = zs[p]! - tz;
    const z1 = dx * sinYaw + dz * cosYaw;
    const d = -(-dy * sinPitch + z1 * cosPitch);
    if (!(d > near)) continue;
    const x = dx * cosYaw - dz * sinYaw;
    const y = dy * cosPitch + z1 * sinPitch;
    // Outside the frustum by more than rounding: skip the divisions; the image test below
    // decides the rest exactly, as models/memory.py does.
    const lx = d * tanX * FRUSTUM_SLACK;
    const ly = d * tanY * FRUSTUM_SLACK;
    if (!(x > -lx && x < lx && y > -ly && y < ly)) continue;
    const pu = pixelU(x, d, width, tanX);
    const pv = pixelV(y, d, height, tanY);
    if (pu >= -0.5 && pu < right && pv >= -0.5 && pv < bottom) {
      slot[hits] = q;
      u[hits] = pu;
      v[hits] = pv;
      depth[hits] = d;
      hits++;
    }
  }
  return hits;
}
