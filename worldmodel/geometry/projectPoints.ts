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

/** Where `projectPoints` writes: per projected point, its pixel coordinates and view depth. */
export interface Projections {
  u: Float64Array;
  v: Float64Array;
  depth: Float64Array;
}

/**
 * `projectPoint` for many points at once, allocation-free: for q < count, the world point
 * p = index[q] of `points`, seen by the camera at `t` → out.depth[q] (view depth) and, in front
 * of the near plane and inside the view frustum, out.u[q], out.v[q] (continuous pixel
 * coordinates, centres at integers); NaN on or behind it, or outside the frustum. Spatial memory projects the surface points of a view into each keyframe
 * with it, every pixel of every keyframe searched.
 *
 * The rotation is `worldToCamera`'s, written out here with the pose's sines and cosines in
 * locals: calling it (or per-component helpers) per point measured 5–8 % slower in spatial
 * memory's lookup. tests/worldmodel/geometry/projectPoints.test.ts holds the two equal to the bit.
 */
export function projectPoints(
  plane: ImagePlane,
  near: number,
  t: Readonly<PoseTransform>,
  points: Readonly<PointArrays>,
  index: Int32Array,
  count: number,
  out: Projections,
): void {
  const { width, height, tanX, tanY } = plane;
  const { x: tx, y: ty, z: tz, sinYaw, cosYaw, sinPitch, cosPitch } = t;
  const { x: xs, y: ys, z: zs } = points;
  const { u, v, depth } = out;
  for (let q = 0; q < count; q++) {
    const p = index[q]!;
    const dx = xs[p]! - tx;
    const dy = ys[p]! - ty;
    const dz = zs[p]! - tz;
    const z1 = dx * sinYaw + dz * cosYaw;
    const d = -(-dy * sinPitch + z1 * cosPitch);
    depth[q] = d;
    const x = dx * cosYaw - dz * sinYaw;
    const y = dy * cosPitch + z1 * sinPitch;
    // Outside the frustum by more than rounding: NaN without the divisions (most points miss most
    // keyframes); the image test after it decides the rest exactly, as models/memory.py does.
    const lx = d * tanX * FRUSTUM_SLACK;
    const ly = d * tanY * FRUSTUM_SLACK;
    if (d > near && x > -lx && x < lx && y > -ly && y < ly) {
      u[q] = pixelU(x, d, width, tanX);
      v[q] = pixelV(y, d, height, tanY);
    } else {
      u[q] = NaN;
      v[q] = NaN;
    }
  }
}
