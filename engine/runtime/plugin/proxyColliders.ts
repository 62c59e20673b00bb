import type { ColliderDesc } from '@dimforge/rapier3d-compat';
import { Box3, type BufferGeometry, type Mesh, Quaternion, Vector3 } from 'three';
import { NextframeError } from '../../../worldmodel/index.ts';
import type { RapierModule } from '../physics/rapierTypes.ts';

const _position = new Vector3();
const _quaternion = new Quaternion();
const _scale = new Vector3();
const _box = new Box3();
const _centre = new Vector3();
const _size = new Vector3();

/** Where a mesh is in the world, for placing its collider or body. */
export interface Placement {
  position: { x: number; y: number; z: number };
  rotation: { x: number; y: number; z: number; w: number };
}

/**
 * A fixed collider shaped like a mesh, placed where the mesh is in the world: Three.js boxes,
 * spheres, cylinders and cones (centred, uniformly scaled across) become the matching Rapier
 * primitives; anything else becomes a triangle mesh. The mesh's world matrix must be current
 * (it is updated here from its parents).
 */
export function colliderForMesh(mesh: Mesh, rapier: RapierModule): ColliderDesc {
  const placement = placementOf(mesh);
  const desc = primitiveFor(mesh.geometry, rapier) ?? trimeshFor(mesh.geometry, rapier);
  return desc.setTranslation(placement.position.x, placement.position.y, placement.position.z).setRotation(placement.rotation);
}

/**
 * A collider for a dynamic overlay object: a ball for spheres, otherwise a box around the
 * geometry (dynamic triangle meshes are not solid in Rapier). The body goes where the mesh is.
 */
export function dynamicColliderForMesh(mesh: Mesh, rapier: RapierModule): ColliderDesc {
  placementOf(mesh);
  const g = mesh.geometry;
  const sphere = g.type === 'SphereGeometry' ? (g as unknown as { parameters: { radius: number } }).parameters : null;
  if (sphere && uniform(_scale.x, _scale.y, _scale.z)) return rapier.ColliderDesc.ball(sphere.radius * Math.abs(_scale.x));
  g.computeBoundingBox();
  _box.copy(g.boundingBox!);
  _box.getSize(_size).multiply(_scale);
  _box.getCenter(_centre).multiply(_scale);
  return rapier.ColliderDesc.cuboid(Math.abs(_size.x) / 2, Math.abs(_size.y) / 2, Math.abs(_size.z) / 2).setTranslation(_centre.x, _centre.y, _centre.z);
}

/** The mesh's world position and rotation (also leaves its world scale in module scratch). */
export function placementOf(mesh: Mesh): Placement {
  mesh.updateWorldMatrix(true, false);
  mesh.matrixWorld.decompose(_position, _quaternion, _scale);
  return {
    position: { x: _position.x, y: _position.y, z: _position.z },
    rotation: { x: _quaternion.x, y: _quaternion.y, z: _quaternion.z, w: _quaternion.w },
  };
}

function primitiveFor(geometry: BufferGeometry, rapier: RapierModule): ColliderDesc | null {
  geometry.computeBoundingBox();
  geometry.boundingBox!.getCenter(_centre);
  if (_centre.length() > 1e-6) return null; // an offset geometry: the primitive would sit in the wrong place
  const sx = Math.abs(_scale.x);
  const sy = Math.abs(_scale.y);
  const sz = Math.abs(_scale.z);
  const p = (geometry as unknown as { parameters?: Record<string, number> }).parameters;
  if (!p) return null;
  switch (geometry.type) {
    case 'BoxGeometry':
      return rapier.ColliderDesc.cuboid((p.width! * sx) / 2, (p.height! * sy) / 2, (p.depth! * sz) / 2);
    case 'SphereGeometry':
      // Only whole spheres: partial ones (phi/theta ranges) fall through to a triangle mesh.
      return uniform(sx, sy, sz) && p.phiLength! >= 2 * Math.PI - 1e-6 && p.thetaLength! >= Math.PI - 1e-6 ? rapier.ColliderDesc.ball(p.radius! * sx) : null;
    case 'CylinderGeometry':
      return sx === sz && p.radiusTop === p.radiusBottom ? rapier.ColliderDesc.cylinder((p.height! * sy) / 2, p.radiusTop! * sx) : null;
    case 'ConeGeometry':
      return sx === sz ? rapier.ColliderDesc.cone((p.height! * sy) / 2, p.radius! * sx) : null;
    default:
      return null;
  }
}

function trimeshFor(geometry: BufferGeometry, rapier: RapierModule): ColliderDesc {
  const position = geometry.getAttribute('position');
  if (!position) throw new NextframeError('bad-scene', 'colliderForMesh: the geometry has no position attribute; a proxy mesh needs vertices.');
  const vertices = new Float32Array(position.count * 3);
  for (let i = 0; i < position.count; i++) {
    vertices[3 * i] = position.getX(i) * _scale.x;
    vertices[3 * i + 1] = position.getY(i) * _scale.y;
    vertices[3 * i + 2] = position.getZ(i) * _scale.z;
  }
  const index = geometry.getIndex();
  const indices = index ? Uint32Array.from({ length: index.count }, (_, i) => index.getX(i)) : Uint32Array.from({ length: position.count }, (_, i) => i);
  return rapier.ColliderDesc.trimesh(vertices, indices);
}

function uniform(a: number, b: number, c: number): boolean {
  return Math.abs(Math.abs(a) - Math.abs(b)) < 1e-6 && Math.abs(Math.abs(a) - Math.abs(c)) < 1e-6;
}
