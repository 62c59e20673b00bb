import { headingAxes } from './heading.ts';
import type { XYZ } from './Pose.ts';

const _axes = headingAxes(0);

/**
 * The unit vector the camera looks along at `yaw` and `pitch`: (−sin yaw · cos pitch, sin pitch,
 * −cos yaw · cos pitch), into `out` (a Rapier ray's `dir` will do). Interaction and throws aim
 * along it; at pitch 0 it is the heading's floor forward.
 */
export function cameraForward(yaw: number, pitch: number, out: XYZ = { x: 0, y: 0, z: 0 }): XYZ {
  const axes = headingAxes(yaw, _axes);
  const cp = Math.cos(pitch);
  out.x = axes.forwardX * cp;
  out.y = Math.sin(pitch);
  out.z = axes.forwardZ * cp;
  return out;
}
