import type { PerspectiveCamera } from 'three';
import type { ModelManifest, Pose } from '../../../worldmodel/index.ts';

/**
 * Make `camera` the model's: the field of view, aspect and clip planes of its training data, and
 * the 'YXZ' rotation order a `Pose` (yaw about y, then pitch) means.
 */
export function applyModelCamera(camera: PerspectiveCamera, manifest: Readonly<ModelManifest>): void {
  const { camera: intrinsics, resolution } = manifest;
  camera.fov = intrinsics.fovYDegrees;
  camera.aspect = resolution.width / resolution.height;
  camera.near = intrinsics.near;
  camera.far = intrinsics.far;
  camera.rotation.order = 'YXZ';
  camera.updateProjectionMatrix();
}

/** Put `camera` at `pose` (no roll) and update its world matrix. */
export function placeCamera(camera: PerspectiveCamera, pose: Readonly<Pose>): void {
  camera.position.set(pose.x, pose.y, pose.z);
  camera.rotation.set(pose.pitch, pose.yaw, 0, 'YXZ');
  camera.updateMatrixWorld();
}
