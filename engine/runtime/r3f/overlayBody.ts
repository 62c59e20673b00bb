import type { ColliderDesc, RigidBody } from '@dimforge/rapier3d-compat';
import { Box3, Matrix4, type Mesh, type Object3D, Quaternion, Vector3 } from 'three';
import { NextframeError } from '../../../worldmodel/index.ts';
import type { PhysicsWorld } from '../index.ts';

export type OverlayKind = 'ball' | 'crate';

export interface OverlayBodyOptions {
  /** `ball`: a sphere that rolls and bounces; `crate`: a box that slides and tumbles. */
  kind: OverlayKind;
  /** kg. Default: a ball 2, a crate 12 (the arena's). */
  mass?: number;
  /** A ball's radius, m. Default: half the longest side of what is inside (a sphere's radius). */
  radius?: number;
  /** A crate's size along its x, y, z, m. Default: the box around what is inside. */
  size?: readonly [number, number, number];
}

/** How the arena's balls and crates move (`buildPhysicsWorld`): what the arena model saw them do. */
export const OVERLAY_KINDS: Readonly<Record<OverlayKind, { mass: number; linearDamping: number; angularDamping: number; friction: number; restitution: number }>> = {
  ball: { mass: 2, linearDamping: 0.3, angularDamping: 0.3, friction: 0.6, restitution: 0.45 },
  crate: { mass: 12, linearDamping: 0.8, angularDamping: 1.5, friction: 0.7, restitution: 0 },
};

const _position = new Vector3();
const _quaternion = new Quaternion();
const _scale = new Vector3();
const _inverse = new Matrix4();
const _matrix = new Matrix4();
const _part = new Box3();
const _bounds = new Box3();
const _centre = new Vector3();
const _size = new Vector3();

/**
 * A dynamic rigid body for an overlay object, where the object is in the world: a ball or a box
 * shaped by what is inside it (or by `radius` / `size`), with the arena's damping, friction and
 * bounce for its kind. The collider sits at the centre of the object's meshes.
 */
export function createOverlayBody(physics: PhysicsWorld, object: Object3D, options: OverlayBodyOptions): RigidBody {
  const kind = OVERLAY_KINDS[options.kind];
  if (!kind) throw new NextframeError('bad-options', `Overlay: kind must be "ball" or "crate", found ${JSON.stringify(options.kind)}.`);
  object.updateWorldMatrix(true, true);
  object.matrixWorld.decompose(_position, _quaternion, _scale);
  const bounds = meshBounds(object);
  const empty = bounds.isEmpty();
  if (empty) _centre.set(0, 0, 0);
  else bounds.getCenter(_centre);
  bounds.getSize(_size);

  const { rapier, world } = physics;
  let shape: ColliderDesc;
  if (options.kind === 'ball') {
    const radius = options.radius ?? (empty ? NaN : Math.max(_size.x, _size.y, _size.z) / 2);
    if (!(radius > 0)) throw new NextframeError('bad-options', `Overlay: a ball needs a size: put a mesh inside, or give radius (found ${options.radius ?? 'no mesh and no radius'}).`);
    shape = rapier.ColliderDesc.ball(radius);
  } else {
    const [x, y, z] = options.size ?? (empty ? [NaN, NaN, NaN] : [_size.x, _size.y, _size.z]);
    if (!(x > 0 && y > 0 && z > 0)) throw new NextframeError('bad-options', `Overlay: a crate needs a size: put a mesh inside, or give size [x, y, z] (found ${options.size ? `[${options.size.join(', ')}]` : 'no mesh and no size'}).`);
    shape = rapier.ColliderDesc.cuboid(x / 2, y / 2, z / 2);
  }
  const body = world.createRigidBody(
    rapier.RigidBodyDesc.dynamic()
      .setTranslation(_position.x, _position.y, _position.z)
      .setRotation({ x: _quaternion.x, y: _quaternion.y, z: _quaternion.z, w: _quaternion.w })
      .setLinearDamping(kind.linearDamping)
      .setAngularDamping(kind.angularDamping)
      .setCanSleep(true),
  );
  world.createCollider(
    shape
      .setTranslation(_centre.x, _centre.y, _centre.z)
      .setMass(options.mass ?? kind.mass)
      .setFriction(kind.friction)
      .setRestitution(kind.restitution),
    body,
  );
  return body;
}

/** The box around every mesh under `object`, in the object's own axes and in metres (its world scale applied). */
function meshBounds(object: Object3D): Box3 {
  _inverse.copy(object.matrixWorld).invert();
  _bounds.makeEmpty();
  object.traverse((child) => {
    const mesh = child as Mesh;
    if (!mesh.isMesh) return;
    mesh.geometry.computeBoundingBox();
    _part.copy(mesh.geometry.boundingBox!).applyMatrix4(_matrix.multiplyMatrices(_inverse, mesh.matrixWorld));
    _bounds.union(_part);
  });
  if (!_bounds.isEmpty()) {
    _scale.set(Math.abs(_scale.x), Math.abs(_scale.y), Math.abs(_scale.z));
    _bounds.min.multiply(_scale);
    _bounds.max.multiply(_scale);
  }
  return _bounds;
}
