import { imagePlane, pixelU, pixelV, type PinholeCamera } from './PinholeCamera.ts';
import type { Pose, XYZ } from './Pose.ts';
import { poseTransform, worldToCamera } from './PoseTransform.ts';

/**
 * A world point → where a camera at `pose` sees it: continuous pixel coordinates with pixel
 * centres at integers (u right, v down, row 0 at the top) and view depth. Null on or behind the
 * near plane. The projection spatial memory renders with.
 */
export function projectPoint(camera: Readonly<PinholeCamera>, pose: Readonly<Pose>, world: Readonly<XYZ>): { u: number; v: number; depth: number } | null {
  const plane = imagePlane(camera.width, camera.height, camera.fovYDegrees);
  const p = worldToCamera(poseTransform(pose), world.x, world.y, world.z, { x: 0, y: 0, z: 0 });
  const depth = -p.z;
  if (!(depth > camera.near)) return null;
  return { u: pixelU(p.x, depth, plane.width, plane.tanX), v: pixelV(p.y, depth, plane.height, plane.tanY), depth };
}
