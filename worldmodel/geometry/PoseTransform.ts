import type { Pose, XYZ } from './Pose.ts';

/**
 * A pose ready to move points between camera and world space: its position and the sines and
 * cosines of its yaw and pitch, computed once per pose rather than once per point. Camera space
 * is the Three.js camera's: +x right, +y up, looking down −z. Camera → world is pitch about x,
 * then yaw about y (Euler order 'YXZ'), then the translation.
 */
export interface PoseTransform {
  x: number;
  y: number;
  z: number;
  sinYaw: number;
  cosYaw: number;
  sinPitch: number;
  cosPitch: number;
}

/**
 * The transform of `pose`, a new object: keep it in a local. V8 can then keep its fields in
 * registers through a per-pixel loop (escape analysis); one long-lived scratch object reused for
 * every pose measured slower in spatial memory's lookup.
 */
export function poseTransform(pose: Readonly<Pose>): PoseTransform {
  return {
    x: pose.x,
    y: pose.y,
    z: pose.z,
    sinYaw: Math.sin(pose.yaw),
    cosYaw: Math.cos(pose.yaw),
    sinPitch: Math.sin(pose.pitch),
    cosPitch: Math.cos(pose.pitch),
  };
}

/** A camera-space point (x, y, z) → world, into `out`. */
export function cameraToWorld(t: Readonly<PoseTransform>, x: number, y: number, z: number, out: XYZ): XYZ {
  const y1 = y * t.cosPitch - z * t.sinPitch;
  const z1 = y * t.sinPitch + z * t.cosPitch;
  out.x = t.x + x * t.cosYaw + z1 * t.sinYaw;
  out.y = t.y + y1;
  out.z = t.z - x * t.sinYaw + z1 * t.cosYaw;
  return out;
}

/** A camera-space direction → world (rotation only), into `out`. */
export function cameraDirectionToWorld(t: Readonly<PoseTransform>, x: number, y: number, z: number, out: XYZ): XYZ {
  const y1 = y * t.cosPitch - z * t.sinPitch;
  const z1 = y * t.sinPitch + z * t.cosPitch;
  out.x = x * t.cosYaw + z1 * t.sinYaw;
  out.y = y1;
  out.z = -x * t.sinYaw + z1 * t.cosYaw;
  return out;
}

/** A world point → camera space, into `out` (the inverse of `cameraToWorld`). View depth is −out.z. */
export function worldToCamera(t: Readonly<PoseTransform>, x: number, y: number, z: number, out: XYZ): XYZ {
  return worldDirectionToCamera(t, x - t.x, y - t.y, z - t.z, out);
}

/** A world direction → camera space (rotation only: undo yaw about y, then pitch about x), into `out`. */
export function worldDirectionToCamera(t: Readonly<PoseTransform>, x: number, y: number, z: number, out: XYZ): XYZ {
  const z1 = x * t.sinYaw + z * t.cosYaw;
  out.x = x * t.cosYaw - z * t.sinYaw;
  out.y = y * t.cosPitch + z1 * t.sinPitch;
  out.z = -y * t.sinPitch + z1 * t.cosPitch;
  return out;
}
