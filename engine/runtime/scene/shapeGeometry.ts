// Geometry shared by the Three.js and Rapier builders, so both draw the same proxy shapes.

/**
 * The six corners of a ramp wedge in its local frame (origin at the centre of the bottom face):
 * the floor rectangle, then the high edge at local −z. Shared by the Three.js builder.
 */
export function rampVertices(size: readonly [number, number, number]): Float32Array {
  const [w, h, d] = size;
  const x = w / 2;
  const z = d / 2;
  // prettier-ignore
  return new Float32Array([
    -x, 0, z,   x, 0, z,   x, 0, -z,   -x, 0, -z, // bottom
    -x, h, -z,  x, h, -z,                         // high edge
  ]);
}

/** Quaternion for a rotation of `yaw` radians about +y. */
export function yawQuaternion(yaw: number): { x: number; y: number; z: number; w: number } {
  return { x: 0, y: Math.sin(yaw / 2), z: 0, w: Math.cos(yaw / 2) };
}
