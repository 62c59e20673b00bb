import type { ColliderDesc } from '@dimforge/rapier3d-compat';
import { NextframeError } from '../../../worldmodel/index.ts';
import { PhysicsWorld } from '../physics/PhysicsWorld.ts';
import type { RapierModule } from '../physics/rapierTypes.ts';
import type { SceneLayout, StaticShape } from './SceneDescription.ts';
import { rampVertices, yawQuaternion } from './shapeGeometry.ts';

/**
 * Rapier colliders for a scene description: every static shape becomes a fixed collider (the
 * proxy geometry depth rays hit), every ball and crate a dynamic rigid body. Works in plain
 * Node with `@dimforge/rapier3d-compat` after `await RAPIER.init()`.
 */
export function buildPhysicsWorld(scene: SceneLayout, rapier: RapierModule): PhysicsWorld {
  const physics = new PhysicsWorld(rapier);
  const { world } = physics;
  for (const shape of scene.statics) {
    const desc = colliderFor(shape, rapier).setTranslation(...shape.position).setRotation(yawQuaternion(shape.yaw)).setFriction(0.8);
    physics.statics.set(shape.id, world.createCollider(desc));
  }
  for (const object of scene.dynamics) {
    const bodyDesc = rapier.RigidBodyDesc.dynamic()
      .setTranslation(...object.position)
      .setLinearDamping(object.kind === 'ball' ? 0.3 : 0.8)
      .setAngularDamping(object.kind === 'ball' ? 0.3 : 1.5)
      .setCanSleep(true);
    if (object.kind === 'crate') bodyDesc.setRotation(yawQuaternion(object.yaw));
    const body = world.createRigidBody(bodyDesc);
    const collider =
      object.kind === 'ball'
        ? rapier.ColliderDesc.ball(object.radius).setRestitution(0.45).setFriction(0.6)
        : rapier.ColliderDesc.cuboid(object.size[0] / 2, object.size[1] / 2, object.size[2] / 2).setFriction(0.7);
    world.createCollider(collider.setMass(object.mass), body);
    physics.dynamics.push({ id: object.id, kind: object.kind, body });
  }
  physics.refreshQueries();
  return physics;
}

function colliderFor(shape: StaticShape, rapier: RapierModule): ColliderDesc {
  switch (shape.kind) {
    case 'box':
      return rapier.ColliderDesc.cuboid(shape.size[0] / 2, shape.size[1] / 2, shape.size[2] / 2);
    case 'cylinder':
      return rapier.ColliderDesc.cylinder(shape.height / 2, shape.radius);
    case 'cone':
      return rapier.ColliderDesc.cone(shape.height / 2, shape.radius);
    case 'sphere':
      return rapier.ColliderDesc.ball(shape.radius);
    case 'ramp': {
      const points = rampVertices(shape.size);
      const desc = rapier.ColliderDesc.convexHull(points);
      if (!desc) throw new NextframeError('bad-scene', `buildPhysicsWorld: Rapier could not build a convex hull for ramp "${shape.id}" (size ${shape.size.join(' × ')}); give it a positive size on every axis.`);
      return desc;
    }
    case 'mesh': {
      // World-space triangles: undo the translation buildPhysicsWorld applies to every shape.
      const [cx, cy, cz] = shape.position;
      const local = new Float32Array(shape.vertices.length);
      for (let i = 0; i < local.length; i += 3) {
        local[i] = shape.vertices[i]! - cx;
        local[i + 1] = shape.vertices[i + 1]! - cy;
        local[i + 2] = shape.vertices[i + 2]! - cz;
      }
      return rapier.ColliderDesc.trimesh(local, Uint32Array.from(shape.indices));
    }
  }
}
