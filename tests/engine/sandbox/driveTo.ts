import { wrapAngle } from '../../../worldmodel/geometry/Pose.ts';
import type { Pose } from '../../../worldmodel/geometry/Pose.ts';
import type { PolicyAction } from '../../../engine/sandbox/types.ts';

/**
 * A scripted driver that knows the physics state (not an image policy): turn towards (x, z) and
 * walk once roughly facing it. Tests use it to bring the character where a success test must fire.
 */
export function driveTo(pose: Readonly<Pose>, x: number, z: number): PolicyAction {
  const error = wrapAngle(Math.atan2(-(x - pose.x), -(z - pose.z)) - pose.yaw);
  return { forward: Math.abs(error) < 0.3 ? 1 : 0, strafe: 0, yawRate: error * 10, pitchRate: 0, jump: false, interact: false };
}

export const IDLE: PolicyAction = { forward: 0, strafe: 0, yawRate: 0, pitchRate: 0, jump: false, interact: false };
