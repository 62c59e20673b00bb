/**
 * A camera pose in Three.js conventions: position in metres (+y up), yaw about +y (positive turns
 * left, counter-clockwise seen from above), pitch about the camera's x axis (positive looks up).
 * The camera looks down −z at yaw = pitch = 0; there is no roll.
 */
export interface Pose {
  x: number;
  y: number;
  z: number;
  yaw: number;
  pitch: number;
}

/** A point or direction in world or camera space (metres). */
export interface XYZ {
  x: number;
  y: number;
  z: number;
}

/** Wrap an angle to (−π, π]. */
export function wrapAngle(angle: number): number {
  const a = angle - 2 * Math.PI * Math.floor((angle + Math.PI) / (2 * Math.PI));
  return a === -Math.PI ? Math.PI : a;
}

/**
 * The unsigned angle between two headings, in [0, π]. Spatial memory compares keyframe yaws with
 * it, computed as models/memory.py does (so both make the same eviction decisions down to the
 * last bit); it equals |wrapAngle(a − b)| up to rounding.
 */
export function angleGap(a: number, b: number): number {
  const d = (((a - b) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
  return Math.min(d, 2 * Math.PI - d);
}

/** Copy a pose into `out` (allocation-free on the hot path). */
export function copyPose(from: Readonly<Pose>, out: Pose): Pose {
  out.x = from.x;
  out.y = from.y;
  out.z = from.z;
  out.yaw = from.yaw;
  out.pitch = from.pitch;
  return out;
}
