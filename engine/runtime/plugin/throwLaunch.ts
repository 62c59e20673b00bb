import { cameraForward, type Pose } from '../../../worldmodel/index.ts';

type Vec3 = { x: number; y: number; z: number };

/**
 * Where a thrown ball starts and how it flies: from just in front of the camera (clear of the
 * player's capsule), along the view, at `speed` plus the player's own velocity and a little lift
 * so a level throw arcs instead of dropping at once.
 */
export function throwLaunch(pose: Readonly<Pose>, playerVelocity: Readonly<Vec3>, ball: { radius: number; speed: number }): { from: Vec3; velocity: Vec3 } {
  const dir = cameraForward(pose.yaw, pose.pitch);
  const reach = 0.3 + ball.radius + 0.25;
  const v = playerVelocity;
  return {
    from: { x: pose.x + dir.x * reach, y: pose.y - 0.15 + dir.y * reach, z: pose.z + dir.z * reach },
    velocity: { x: dir.x * ball.speed + v.x, y: dir.y * ball.speed + 1.5, z: dir.z * ball.speed + v.z },
  };
}
