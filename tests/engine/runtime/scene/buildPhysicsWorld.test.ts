import RAPIER from '@dimforge/rapier3d-compat';
import { beforeAll, describe, expect, it } from 'vitest';
import { arenaScene } from '../../../../engine/runtime/scene/arenaScene.ts';
import { buildPhysicsWorld } from '../../../../engine/runtime/scene/buildPhysicsWorld.ts';

describe('buildPhysicsWorld (Rapier in plain Node)', () => {
  beforeAll(async () => {
    await RAPIER.init();
  });

  it('turns every static shape into a collider and every ball and crate into a dynamic body', () => {
    const scene = arenaScene(0);
    const physics = buildPhysicsWorld(scene, RAPIER);
    expect(physics.statics.size).toBe(scene.statics.length);
    expect(physics.dynamics.map((d) => d.id)).toEqual(scene.dynamics.map((d) => d.id));
    expect(physics.dynamics.every((d) => d.body.isDynamic())).toBe(true);
    physics.dispose();
  });

  it('ray casts hit a known wall and the floor at known distances', () => {
    const physics = buildPhysicsWorld(arenaScene(0), RAPIER);
    const flags = RAPIER.QueryFilterFlags.EXCLUDE_DYNAMIC;
    // The east wall's inner face is the plane x = 12.
    const east = physics.world.castRay(new RAPIER.Ray({ x: 0, y: 1, z: -5 }, { x: 1, y: 0, z: 0 }), 60, true, flags);
    expect(east?.timeOfImpact).toBeCloseTo(12, 4);
    expect(east?.collider.handle).toBe(physics.statics.get('wall-east')!.handle);
    const floor = physics.world.castRay(new RAPIER.Ray({ x: 0, y: 1, z: -5 }, { x: 0, y: -1, z: 0 }), 60, true, flags);
    expect(floor?.timeOfImpact).toBeCloseTo(1, 4);
    // Straight up from the middle there is only sky.
    expect(physics.world.castRay(new RAPIER.Ray({ x: 0, y: 1, z: -5 }, { x: 0, y: 1, z: 0 }), 60, true, flags)).toBeNull();
    physics.dispose();
  });

  it('the ramp rises towards the platform (west), so its slope is walkable geometry', () => {
    const physics = buildPhysicsWorld(arenaScene(0), RAPIER);
    const z = arenaScene(0).statics.find((s) => s.id === 'ramp')!.position[2];
    const heightAt = (x: number): number => 5 - (physics.world.castRay(new RAPIER.Ray({ x, y: 5, z }, { x: 0, y: -1, z: 0 }), 10, true)?.timeOfImpact ?? 0);
    expect(heightAt(-5.2)).toBeCloseTo(0.06, 1);
    expect(heightAt(-7)).toBeCloseTo(0.6, 1);
    expect(heightAt(-8.8)).toBeCloseTo(1.14, 1);
    expect(heightAt(-10.5)).toBeCloseTo(1.2, 4); // the platform
    physics.dispose();
  });
});
