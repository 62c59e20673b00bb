import { wrapAngle, type Pose } from './Pose.ts';

/**
 * The camera's horizontal axes on the floor at a heading: forward (−sin yaw, 0, −cos yaw) and
 * right (cos yaw, 0, −sin yaw), x and z parts. Everything that walks along or measures against a
 * heading (actions ↔ poses, the character controller, scripted rays) uses these.
 */
export interface HeadingAxes {
  forwardX: number;
  forwardZ: number;
  rightX: number;
  rightZ: number;
}

/** The floor axes of heading `yaw` (the camera looks down −z at yaw 0; yaw + turns left), into `out`. */
export function headingAxes(yaw: number, out: HeadingAxes = { forwardX: 0, forwardZ: 0, rightX: 0, rightZ: 0 }): HeadingAxes {
  const sin = Math.sin(yaw);
  const cos = Math.cos(yaw);
  out.forwardX = -sin;
  out.forwardZ = -cos;
  out.rightX = cos;
  out.rightZ = -sin;
  return out;
}

/** Heading (yaw) that faces the direction (dx, dz) on the floor; the camera looks down −z at yaw 0. */
export function headingTo(dx: number, dz: number): number {
  return Math.atan2(-dx, -dz);
}

/** Turn needed to face `to` from `pose`, radians in (−π, π] (positive: turn left). */
export function headingError(pose: Readonly<Pose>, to: { x: number; z: number }): number {
  return wrapAngle(headingTo(to.x - pose.x, to.z - pose.z) - pose.yaw);
}
