import { Box3, type BufferGeometry, Euler, type Mesh, type Object3D, Quaternion, Vector3 } from 'three';
import type { DynamicObject, MeshShape, SceneLayout, Vec3 } from './SceneDescription.ts';
import type { SceneModuleResult } from './SceneModule.ts';

const _v = new Vector3();
const _position = new Vector3();
const _quaternion = new Quaternion();
const _scale = new Vector3();
const _euler = new Euler(0, 0, 0, 'YXZ');
const _box = new Box3();

/** Proxies narrower than this (both ways) and taller than `LANDMARK_HEIGHT` are landmarks. */
const LANDMARK_SPAN = 8;
const LANDMARK_HEIGHT = 0.8;
/** Margin around the spawn rectangle that players may still walk in, m. */
const BOUNDS_MARGIN = 1.5;

/**
 * A scene module's colliders as plain data: every mesh under each proxy becomes world-space
 * triangles (a Rapier triangle mesh in `buildPhysicsWorld`), every overlay a ball (spheres) or a
 * crate (anything else, by its bounds), the spawn rectangle is taken as given (heights come from
 * the colliders). Landmarks for the scripted players are found here too: proxies that stand up
 * from the ground, are no wider than a house and stand where players walk. Pure three.js: no DOM, runs in Node as well.
 */
export function layoutFromScene(result: SceneModuleResult, id: string, seed: number): SceneLayout {
  if (result.layout) return result.layout;
  result.scene.updateMatrixWorld(true);
  const statics: MeshShape[] = [];
  result.proxies.forEach((proxy, p) => {
    const name = safeName(proxy.name) || `proxy${p}`;
    let n = 0;
    proxy.updateWorldMatrix(true, true);
    proxy.traverse((object) => {
      const mesh = object as Mesh;
      if (!mesh.isMesh || !mesh.geometry?.getAttribute('position')) return;
      statics.push(meshShape(mesh, `${name}-${n++}`));
    });
  });
  const lowest = Math.min(...statics.map((s) => s.max[1]));
  const [minX, minZ] = result.spawn.min;
  const [maxX, maxZ] = result.spawn.max;
  const near = (x: number, z: number): boolean => x > minX - BOUNDS_MARGIN && x < maxX + BOUNDS_MARGIN && z > minZ - BOUNDS_MARGIN && z < maxZ + BOUNDS_MARGIN;
  for (const shape of statics) {
    const spanX = shape.max[0] - shape.min[0];
    const spanZ = shape.max[2] - shape.min[2];
    const height = shape.max[1] - shape.min[1];
    // The ground (the lowest top) is never a landmark; a thing standing on it where players
    // walk may be (a building beside the street is scenery, not a place to walk to).
    const standing = shape.max[1] > lowest + LANDMARK_HEIGHT && height > LANDMARK_HEIGHT && spanX < LANDMARK_SPAN && spanZ < LANDMARK_SPAN;
    if (standing && near(shape.position[0], shape.position[2])) shape.landmark = true;
  }
  const dynamics = (result.overlays ?? []).map((o, i) => overlayObject(o, safeName(o.name) || `overlay${i}`));
  return {
    id,
    seed,
    bounds: { halfX: Math.max(Math.abs(minX), Math.abs(maxX)) + BOUNDS_MARGIN, halfZ: Math.max(Math.abs(minZ), Math.abs(maxZ)) + BOUNDS_MARGIN },
    statics,
    dynamics,
    spawn: { minX, maxX, minZ, maxZ },
  };
}

function meshShape(mesh: Mesh, id: string): MeshShape {
  const geometry: BufferGeometry = mesh.geometry;
  const position = geometry.getAttribute('position');
  const vertices: number[] = new Array(position.count * 3);
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < position.count; i++) {
    _v.fromBufferAttribute(position, i).applyMatrix4(mesh.matrixWorld);
    const xyz = [_v.x, _v.y, _v.z];
    for (let k = 0; k < 3; k++) {
      const value = round(xyz[k]!);
      vertices[3 * i + k] = value;
      if (value < min[k]!) min[k] = value;
      if (value > max[k]!) max[k] = value;
    }
  }
  const index = geometry.getIndex();
  const indices = index ? Array.from({ length: index.count }, (_, i) => index.getX(i)) : Array.from({ length: position.count }, (_, i) => i);
  const centre: Vec3 = [round((min[0] + max[0]) / 2), round((min[1] + max[1]) / 2), round((min[2] + max[2]) / 2)];
  return { id, kind: 'mesh', material: '', yaw: 0, position: centre, vertices, indices, min, max };
}

/** An overlay as a physics object: where it is, its shape by its geometry, its mass from `userData.mass`. */
function overlayObject(object: Object3D, id: string): DynamicObject {
  object.updateWorldMatrix(true, true);
  object.matrixWorld.decompose(_position, _quaternion, _scale);
  _euler.setFromQuaternion(_quaternion);
  const mesh = object as Mesh;
  const mass = typeof object.userData.mass === 'number' ? object.userData.mass : undefined;
  const position: Vec3 = [round(_position.x), round(_position.y), round(_position.z)];
  const sphere = mesh.isMesh && mesh.geometry.type === 'SphereGeometry' ? (mesh.geometry as unknown as { parameters: { radius: number } }).parameters : null;
  if (sphere) return { id, kind: 'ball', position, radius: round(sphere.radius * Math.abs(_scale.x)), mass: mass ?? 2, material: '' };
  // A box around the object in its own frame (its yaw kept, any tilt dropped).
  const inverse = object.matrixWorld.clone().invert();
  _box.makeEmpty();
  object.traverse((child) => {
    const m = child as Mesh;
    if (!m.isMesh) return;
    m.geometry.computeBoundingBox();
    const local = m.geometry.boundingBox!.clone().applyMatrix4(m.matrixWorld).applyMatrix4(inverse);
    _box.union(local);
  });
  if (_box.isEmpty()) _box.set(new Vector3(-0.25, -0.25, -0.25), new Vector3(0.25, 0.25, 0.25));
  const size: Vec3 = [round((_box.max.x - _box.min.x) * Math.abs(_scale.x)), round((_box.max.y - _box.min.y) * Math.abs(_scale.y)), round((_box.max.z - _box.min.z) * Math.abs(_scale.z))];
  return { id, kind: 'crate', position, size, yaw: round(_euler.y), mass: mass ?? 12, material: '' };
}

/** Names become ids: `-<digits>` endings would merge landmarks, so they are kept apart. */
function safeName(name: string): string {
  return name.trim().replace(/\s+/g, '_').replace(/-(\d+)$/, '_$1');
}

/** Millimetres are plenty for colliders, and rounding keeps the layout's hash stable. */
function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
