import RAPIER from '@dimforge/rapier3d-compat';
import { beforeAll, describe, expect, it } from 'vitest';
import { CharacterController, IDLE_INTENT, type Intent } from '../../../../engine/runtime/physics/CharacterController.ts';
import type { PhysicsWorld } from '../../../../engine/runtime/physics/PhysicsWorld.ts';
import { arenaScene } from '../../../../engine/runtime/scene/arenaScene.ts';
import { buildPhysicsWorld } from '../../../../engine/runtime/scene/buildPhysicsWorld.ts';
import type { SceneDescription } from '../../../../engine/runtime/scene/SceneDescription.ts';

/** Run `seconds` of simulated time under one intent. */
function run(physics: PhysicsWorld, character: CharacterController, intent: Partial<Intent>, seconds: number): void {
  character.intent = { ...IDLE_INTENT, ...intent };
  physics.advance(seconds, (dt) => character.step(dt));
  character.readPose();
}

/** The arena with only the named dynamic objects (or none). */
function sceneWith(dynamics: SceneDescription['dynamics'] = []): SceneDescription {
  return { ...arenaScene(0), dynamics };
}

describe('CharacterController', () => {
  beforeAll(async () => {
    await RAPIER.init();
  });

  it('stands on the floor with the camera 1.6 m above its feet', () => {
    const physics = buildPhysicsWorld(sceneWith(), RAPIER);
    const character = new CharacterController(physics, { x: 0, y: 0, z: -5, yaw: 0 });
    run(physics, character, {}, 0.5);
    expect(character.grounded).toBe(true);
    expect(character.feetY).toBeCloseTo(0, 1);
    expect(character.pose.y).toBeCloseTo(1.6, 1);
    character.dispose();
    physics.dispose();
  });

  it('walks with momentum at walking speed and cannot walk through a wall', () => {
    const physics = buildPhysicsWorld(sceneWith(), RAPIER);
    // Facing +x (yaw −90°) towards the east wall (inner face x = 12), 12 m away.
    const character = new CharacterController(physics, { x: 0, y: 0, z: -5, yaw: -Math.PI / 2 });
    run(physics, character, { forward: 1 }, 0.05);
    const early = character.velocity.x;
    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(4); // accelerating, not instant
    run(physics, character, { forward: 1 }, 1);
    expect(character.velocity.x).toBeCloseTo(4, 1);
    run(physics, character, { forward: 1 }, 5); // long enough to reach and push against the wall
    expect(character.pose.x).toBeLessThan(12 - 0.3 + 0.05);
    expect(character.pose.x).toBeGreaterThan(11);
    expect(character.blocked).toBeGreaterThan(0.9);
    expect(Math.abs(character.velocity.x)).toBeLessThan(0.2); // no momentum stored against the wall
    character.dispose();
    physics.dispose();
  });

  it('turns at the given rates, clamps pitch, and jumps only from the ground', () => {
    const physics = buildPhysicsWorld(sceneWith(), RAPIER);
    const character = new CharacterController(physics, { x: 0, y: 0, z: -5, yaw: 0 });
    run(physics, character, { yawRate: 1 }, 0.5);
    expect(character.pose.yaw).toBeCloseTo(0.5, 5);
    run(physics, character, { pitchRate: 10 }, 1);
    expect(character.pose.pitch).toBeCloseTo(1.45, 5);
    run(physics, character, { pitchRate: -10 }, 0.2);
    run(physics, character, {}, 0.3);
    const ground = character.pose.y;
    run(physics, character, { jump: true }, 0.25);
    expect(character.pose.y).toBeGreaterThan(ground + 0.5);
    run(physics, character, {}, 1);
    expect(character.pose.y).toBeCloseTo(ground, 1);
    character.dispose();
    physics.dispose();
  });

  it('steps onto a low stage and walks up the ramp onto the platform', () => {
    const scene = sceneWith();
    const stage = scene.statics.find((s) => s.id === 'stage')!;
    const physics = buildPhysicsWorld(scene, RAPIER);
    // Start 2 m south of the 0.25 m stage, facing north (−z), and walk onto it.
    const character = new CharacterController(physics, { x: stage.position[0], y: 0, z: stage.position[2] + 2.5, yaw: 0 });
    run(physics, character, { forward: 0.5 }, 1.6);
    expect(character.feetY).toBeCloseTo(0.25, 1);
    character.teleport({ x: -4, y: 0, z: scene.statics.find((s) => s.id === 'ramp')!.position[2], yaw: Math.PI / 2 });
    run(physics, character, { forward: 1 }, 2.5);
    expect(character.pose.x).toBeLessThan(-9);
    expect(character.feetY).toBeCloseTo(1.2, 1);
    character.dispose();
    physics.dispose();
  });

  it('pushes a dynamic ball it walks into', () => {
    const physics = buildPhysicsWorld(sceneWith([{ id: 'ball', kind: 'ball', position: [0, 0.3, -7], radius: 0.3, mass: 2, material: 'ball' }]), RAPIER);
    const ball = physics.dynamics[0]!.body;
    const character = new CharacterController(physics, { x: 0, y: 0, z: -5, yaw: 0 });
    run(physics, character, { forward: 1 }, 1.5);
    expect(ball.translation().z).toBeLessThan(-7.3);
    character.dispose();
    physics.dispose();
  });

  it('dispose removes its body and controller; using it afterwards throws', () => {
    const physics = buildPhysicsWorld(sceneWith(), RAPIER);
    let bodies = 0;
    physics.world.forEachRigidBody(() => bodies++);
    const character = new CharacterController(physics, { x: 0, y: 0, z: -5, yaw: 0 });
    let withCharacter = 0;
    physics.world.forEachRigidBody(() => withCharacter++);
    expect(withCharacter).toBe(bodies + 1);
    character.dispose();
    let after = 0;
    physics.world.forEachRigidBody(() => after++);
    expect(after).toBe(bodies);
    expect(character.isDisposed).toBe(true);
    expect(() => character.step(1 / 60)).toThrow(/CharacterController: step\(\) called after dispose/);
    physics.dispose();
    character.dispose(); // after the world too: harmless
  });
});
