import RAPIER from '@dimforge/rapier3d-compat';
import { BoxGeometry, ConeGeometry, CylinderGeometry, Group, Mesh, SphereGeometry, TorusGeometry } from 'three';
import { beforeAll, describe, expect, it } from 'vitest';
import { colliderForMesh, dynamicColliderForMesh } from '../../../../engine/runtime/plugin/proxyColliders.ts';
import { PhysicsWorld } from '../../../../engine/runtime/physics/PhysicsWorld.ts';

/** Distance along −z from (x, y, 10) to the first collider hit, or null. */
function hitFrom(physics: PhysicsWorld, x: number, y: number): number | null {
  const ray = new RAPIER.Ray({ x, y, z: 10 }, { x: 0, y: 0, z: -1 });
  const hit = physics.world.castRay(ray, 100, true);
  return hit ? hit.timeOfImpact : null;
}

describe('colliderForMesh', () => {
  beforeAll(async () => {
    await RAPIER.init();
  });

  it('makes Rapier primitives where the meshes are, scaled and rotated with them', () => {
    const physics = new PhysicsWorld(RAPIER);
    const box = new Mesh(new BoxGeometry(2, 2, 2));
    box.position.set(0, 0, 0);
    box.scale.set(1, 1, 2); // 4 m deep: front face at z = 2
    const sphere = new Mesh(new SphereGeometry(1));
    sphere.position.set(5, 0, 0);
    const parent = new Group();
    parent.position.set(10, 0, 0);
    const cylinder = new Mesh(new CylinderGeometry(0.5, 0.5, 4));
    parent.add(cylinder); // world x = 10
    const cone = new Mesh(new ConeGeometry(1, 2));
    cone.position.set(-5, 0, 0);
    for (const mesh of [box, sphere, cylinder, cone]) {
      const desc = colliderForMesh(mesh, RAPIER);
      physics.world.createCollider(desc);
    }
    expect(physics.world.colliders.len()).toBe(4);
    physics.refreshQueries();
    expect(hitFrom(physics, 0, 0)).toBeCloseTo(8, 4); // box front face at z = 2
    expect(hitFrom(physics, 5, 0)).toBeCloseTo(9, 4); // sphere front at z = 1
    expect(hitFrom(physics, 10, 0)).toBeCloseTo(9.5, 4); // cylinder radius 0.5
    expect(hitFrom(physics, -5, -0.5)).toBeCloseTo(9.25, 4); // the cone, halfway down: radius 0.75
    expect(hitFrom(physics, 20, 0)).toBeNull();
    const shapes = physics.world.colliders.getAll().map((c) => c.shape.type);
    expect(shapes).toEqual([RAPIER.ShapeType.Cuboid, RAPIER.ShapeType.Ball, RAPIER.ShapeType.Cylinder, RAPIER.ShapeType.Cone]);
    physics.dispose();
  });

  it('falls back to a triangle mesh for other geometry', () => {
    const physics = new PhysicsWorld(RAPIER);
    const torus = new Mesh(new TorusGeometry(2, 0.5, 8, 24));
    const collider = physics.world.createCollider(colliderForMesh(torus, RAPIER));
    expect(collider.shape.type).toBe(RAPIER.ShapeType.TriMesh);
    physics.refreshQueries();
    expect(hitFrom(physics, 2, 0)).toBeCloseTo(9.5, 1); // the ring's tube, 0.5 thick
    expect(hitFrom(physics, 0, 0)).toBeNull(); // the hole
    physics.dispose();
  });

  it('shapes dynamic bodies as balls for spheres and boxes otherwise', () => {
    expect(dynamicColliderForMesh(new Mesh(new SphereGeometry(0.3)), RAPIER).shape.type).toBe(RAPIER.ShapeType.Ball);
    const crate = dynamicColliderForMesh(new Mesh(new ConeGeometry(1, 2)), RAPIER);
    expect(crate.shape.type).toBe(RAPIER.ShapeType.Cuboid);
  });
});
