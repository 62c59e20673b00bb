import RAPIER from '@dimforge/rapier3d-compat';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXED_STEP, PhysicsWorld } from '../../../../engine/runtime/physics/PhysicsWorld.ts';

const DOWN = { x: 0, y: -1, z: 0 };

describe('PhysicsWorld (Rapier in plain Node)', () => {
  beforeAll(async () => {
    await RAPIER.init();
  });

  it('steps at a fixed 1/60 s with an accumulator, calling beforeStep before each step', () => {
    const physics = new PhysicsWorld(RAPIER);
    expect(FIXED_STEP).toBe(1 / 60);
    expect(physics.world.timestep).toBe(Math.fround(FIXED_STEP)); // Rapier keeps it as float32
    const dts: number[] = [];
    expect(physics.advance(1 / 20, (dt) => dts.push(dt))).toBe(3); // 3 × (1/60): none left behind by rounding
    expect(dts).toEqual([FIXED_STEP, FIXED_STEP, FIXED_STEP]);
    expect(physics.alpha).toBeCloseTo(0, 6);
    expect(physics.advance(0.01)).toBe(0);
    expect(physics.alpha).toBeCloseTo(0.6, 5); // 10 ms of a 16.7 ms step waiting
    expect(physics.advance(0.01)).toBe(1); // 20 ms: one step, 3.3 ms left
    expect(physics.alpha).toBeCloseTo(0.2, 5);
    expect(physics.steps).toBe(4);
    physics.dispose();
  });

  it('simulates under the gravity it was made with (default −9.81 m/s² on y)', () => {
    expect(new PhysicsWorld(RAPIER).world.gravity).toEqual({ x: 0, y: -9.81, z: 0 });
    const physics = new PhysicsWorld(RAPIER, -2);
    const ball = physics.world.createRigidBody(RAPIER.RigidBodyDesc.dynamic().setTranslation(0, 10, 0));
    physics.world.createCollider(RAPIER.ColliderDesc.ball(0.5), ball);
    physics.advance(1); // 60 steps of free fall
    expect(physics.steps).toBe(60);
    expect(ball.linvel().y).toBeCloseTo(-2, 3); // v = g·t after one second
    expect(ball.linvel().x).toBe(0);
    physics.dispose();
  });

  it('refreshQueries makes colliders added since the last step visible to ray casts, and moves nothing', () => {
    const physics = new PhysicsWorld(RAPIER);
    const ball = physics.world.createRigidBody(RAPIER.RigidBodyDesc.dynamic().setTranslation(5, 3, 0));
    physics.world.createCollider(RAPIER.ColliderDesc.ball(0.5), ball);
    physics.world.createCollider(RAPIER.ColliderDesc.cuboid(2, 0.5, 2).setTranslation(0, -0.5, 0)); // floor top at y = 0
    const ray = new RAPIER.Ray({ x: 0, y: 2, z: 0 }, DOWN);
    expect(physics.world.castRay(ray, 10, true)).toBeNull(); // not in the query structures yet
    physics.refreshQueries();
    expect(physics.world.castRay(ray, 10, true)?.timeOfImpact).toBeCloseTo(2, 5);
    expect(ball.translation()).toEqual({ x: 5, y: 3, z: 0 }); // a zero-length step: nothing fell
    expect(ball.linvel().y).toBe(0);
    expect(physics.steps).toBe(0);
    expect(physics.world.timestep).toBe(Math.fround(FIXED_STEP)); // and the fixed step is back
    physics.dispose();
  });

  it('dispose frees the world once, and use afterwards says so', () => {
    const physics = new PhysicsWorld(RAPIER);
    physics.statics.set('floor', physics.world.createCollider(RAPIER.ColliderDesc.cuboid(1, 1, 1)));
    physics.dynamics.push({ id: 'ball-0', kind: 'ball', body: physics.world.createRigidBody(RAPIER.RigidBodyDesc.dynamic()) });
    expect(physics.isDisposed).toBe(false);
    physics.dispose();
    expect(physics.isDisposed).toBe(true);
    expect(physics.statics.size).toBe(0); // no handles into freed memory stay reachable
    expect(physics.dynamics).toEqual([]);
    expect(() => physics.advance(1)).toThrow(/^PhysicsWorld: advance\(\) called after dispose/);
    expect(() => physics.refreshQueries()).toThrow(/^PhysicsWorld: refreshQueries\(\) called after dispose/);
    physics.dispose(); // twice is harmless
  });
});
