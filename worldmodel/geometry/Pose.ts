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

/** Wrap an angle to (−π, π]. */
export function wrapAngle(angle: number): number {
  const a = angle - 2 * Math.PI * Math.floor((angle + Math.PI) / (2 * Math.PI));
  return a === -Math.PI ? Math.PI : a;
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
