import { wrapAngle, type Pose } from './Pose.ts';

/** Heading (yaw) that faces the direction (dx, dz) on the floor; the camera looks down −z at yaw 0. */
export function headingTo(dx: number, dz: number): number {
  return Math.atan2(-dx, -dz);
}

/** Turn needed to face `to` from `pose`, radians in (−π, π] (positive: turn left). */
export function headingError(pose: Readonly<Pose>, to: { x: number; z: number }): number {
  return wrapAngle(headingTo(to.x - pose.x, to.z - pose.z) - pose.yaw);
}
