import RAPIER from '@dimforge/rapier3d-compat';
import { BoxGeometry, Group, Mesh, MeshBasicMaterial, SphereGeometry } from 'three';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProxySet } from '../../../../engine/runtime/plugin/ProxySet.ts';
import { PhysicsWorld } from '../../../../engine/runtime/physics/PhysicsWorld.ts';
import type { RapierModule } from '../../../../engine/runtime/physics/rapierTypes.ts';

// Real three objects and real Rapier: what marking a proxy adds to the physics world, and what
// dispose takes away again.
const rapier = RAPIER as unknown as RapierModule;

function box(x: number, z: number): Mesh {
  const mesh = new Mesh(new BoxGeometry(1, 1, 1), new MeshBasicMaterial());
  mesh.position.set(x, 0.5, z);
  return mesh;
}

/** Distance along +x from (−5, 0.5, z) to the first collider, or null. */
function hitAlongX(physics: PhysicsWorld, z: number): number | null {
  const hit = physics.world.castRay(new rapier.Ray({ x: -5, y: 0.5, z }, { x: 1, y: 0, z: 0 }), 20, true);
  return hit ? hit.timeOfImpact : null;
}

describe('ProxySet', () => {
  beforeAll(async () => {
    await RAPIER.init();
  });

  it('makes a fixed collider for every mesh under a marked object, seen by ray casts at once', () => {
    const physics = new PhysicsWorld(rapier);
    const proxies = new ProxySet(physics, rapier);
    const group = new Group();
    group.add(box(0, 0), box(0, 3));
    group.updateMatrixWorld();
    proxies.mark(group, true);
    expect(physics.world.colliders.len()).toBe(2);
    // The box spans x ∈ [−0.5, 0.5]: a ray from x = −5 meets it after 4.5 m, without a physics step.
    expect(hitAlongX(physics, 0)).toBeCloseTo(4.5, 4);
    expect(hitAlongX(physics, 3)).toBeCloseTo(4.5, 4);
    physics.world.forEachCollider((collider) => {
      expect(collider.friction()).toBeCloseTo(0.8, 6);
      expect(collider.parent()).toBeNull(); // fixed: no body
    });
    expect(proxies.objects).toEqual([group]);
    physics.dispose();
  });

  it('lists objects marked without a collider, and ignores an object marked again', () => {
    const physics = new PhysicsWorld(rapier);
    const proxies = new ProxySet(physics, rapier);
    const sky = new Mesh(new SphereGeometry(100));
    const wall = box(0, 0);
    wall.updateMatrixWorld();
    proxies.mark(sky, false);
    proxies.mark(wall, true);
    proxies.mark(wall, true);
    proxies.mark(sky, true);
    expect(proxies.objects).toEqual([sky, wall]);
    expect(physics.world.colliders.len()).toBe(1);
    physics.dispose();
  });

  it("removes only the colliders it made from a world that stays, and nothing when told to keep them", () => {
    const physics = new PhysicsWorld(rapier);
    physics.world.createCollider(rapier.ColliderDesc.cuboid(10, 0.5, 10).setTranslation(0, -0.5, 0)); // the caller's floor
    const removing = new ProxySet(physics, rapier);
    removing.mark(box(0, 0), true);
    const keeping = new ProxySet(physics, rapier);
    keeping.mark(box(0, 3), true);
    expect(physics.world.colliders.len()).toBe(3);
    removing.dispose(true);
    expect(physics.world.colliders.len()).toBe(2);
    expect(removing.objects).toEqual([]);
    keeping.dispose(false);
    expect(physics.world.colliders.len()).toBe(2);
    expect(keeping.objects).toEqual([]);
    physics.dispose();
  });

  it('disposes quietly after its physics world is gone', () => {
    const physics = new PhysicsWorld(rapier);
    const proxies = new ProxySet(physics, rapier);
    proxies.mark(box(0, 0), true);
    physics.dispose();
    expect(() => proxies.dispose(true)).not.toThrow();
    expect(proxies.objects).toEqual([]);
  });
});
