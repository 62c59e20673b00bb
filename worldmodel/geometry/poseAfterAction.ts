import { headingAxes } from './heading.ts';
import { wrapAngle, type Pose } from './Pose.ts';

/** The motion part of an action, in raw slot units (see `actionFromPoses`). */
export interface PoseDelta {
  forward: number;
  strafe: number;
  up: number;
  yaw: number;
  pitch: number;
}

const _axes = headingAxes(0);

/**
 * Where an action takes the camera: the inverse of `actionFromPoses` (forward and strafe along
 * the camera's horizontal axes at the tick's start, up, then the turn). Speculation uses it to
 * paint a guessed action's frame for the view that action would lead to. `delta` may be any
 * record of raw slot values by name (e.g. `ActionCodec.toRaw`): a slot it lacks moves nothing.
 * `out` may be `before`.
 */
export function poseAfterAction(before: Readonly<Pose>, delta: Readonly<Partial<PoseDelta>>, out: Pose = { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 }): Pose {
  const axes = headingAxes(before.yaw, _axes);
  const { x, y, z, yaw, pitch } = before;
  const forward = delta.forward ?? 0;
  const strafe = delta.strafe ?? 0;
  out.x = x + axes.forwardX * forward + axes.rightX * strafe;
  out.z = z + axes.forwardZ * forward + axes.rightZ * strafe;
  out.y = y + (delta.up ?? 0);
  out.yaw = wrapAngle(yaw + (delta.yaw ?? 0));
  out.pitch = pitch + (delta.pitch ?? 0);
  return out;
}
