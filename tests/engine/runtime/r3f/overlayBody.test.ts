import RAPIER from '@dimforge/rapier3d-compat';
import { BoxGeometry, Group, Mesh, Scene, SphereGeometry } from 'three';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PhysicsWorld } from '../../../../engine/runtime/index.ts';
import { createOverlayBody, OVERLAY_KINDS } from '../../../../engine/runtime/r3f/overlayBody.ts';

let physics: PhysicsWorld;

beforeAll(async () => {
  await RAPIER.init();
});

afterEach(() => physics?.dispose());

function placed(object: Group, position: [number, number, number], yaw = 0, scale = 1): Group {
  object.position.set(...position);
  object.rotation.y = yaw;
  object.scale.setScalar(scale);
  new Scene().add(object);
  return object;
}

const halfExtents = (shape: unknown) => (shape as { halfExtents: { x: number; y: number; z: number } }).halfExtents;

describe('createOverlayBody', () => {
  it('makes a ball from the sphere inside, where the group is, with the arena ball’s physics', () => {
    physics = new PhysicsWorld(RAPIER);
    const group = placed(new Group().add(new Mesh(new SphereGeometry(0.3))), [1.5, 2, -1]);
    const body = createOverlayBody(physics, group, { kind: 'ball' });
    expect(body.translation()).toMatchObject({ x: 1.5, y: 2, z: -1 });
    expect(body.isDynamic()).toBe(true);
    const collider = body.collider(0);
    expect(collider.shape.type).toBe(RAPIER.ShapeType.Ball);
    expect((collider.shape as unknown as { radius: number }).radius).toBeCloseTo(0.3, 6);
    expect(body.mass()).toBeCloseTo(OVERLAY_KINDS.ball.mass, 5);
    expect(collider.restitution()).toBeCloseTo(0.45, 6);
    expect(body.linearDamping()).toBeCloseTo(0.3, 6);
  });

  it('makes a crate from the box around what is inside, in the group’s axes, scaled, centred on the meshes', () => {
    physics = new PhysicsWorld(RAPIER);
    const mesh = new Mesh(new BoxGeometry(0.5, 0.4, 0.3));
    mesh.position.y = 0.1;
    const group = placed(new Group().add(mesh), [-2, 0.5, -1], 0.5, 2);
    const body = createOverlayBody(physics, group, { kind: 'crate', mass: 5 });
    const half = halfExtents(body.collider(0).shape);
    expect([half.x, half.y, half.z].map((v) => +v.toFixed(5))).toEqual([0.5, 0.4, 0.3]); // the group's yaw does not widen it
    const rotation = body.rotation();
    expect(2 * Math.atan2(rotation.y, rotation.w)).toBeCloseTo(0.5, 6);
    expect(body.collider(0).translation().y - body.translation().y).toBeCloseTo(0.2, 5);
    expect(body.mass()).toBeCloseTo(5, 4);
    expect(body.angularDamping()).toBeCloseTo(OVERLAY_KINDS.crate.angularDamping, 6);
  });

  it('takes a radius or size given instead of measuring', () => {
    physics = new PhysicsWorld(RAPIER);
    const ball = createOverlayBody(physics, placed(new Group(), [0, 1, 0]), { kind: 'ball', radius: 0.5 });
    expect((ball.collider(0).shape as unknown as { radius: number }).radius).toBeCloseTo(0.5, 6);
    const crate = createOverlayBody(physics, placed(new Group().add(new Mesh(new BoxGeometry(1, 1, 1))), [0, 1, 0]), { kind: 'crate', size: [0.2, 0.4, 0.6] });
    const half = halfExtents(crate.collider(0).shape);
    expect([half.x, half.y, half.z].map((v) => +v.toFixed(5))).toEqual([0.1, 0.2, 0.3]);
  });

  it('says what is missing when there is nothing to measure', () => {
    physics = new PhysicsWorld(RAPIER);
    expect(() => createOverlayBody(physics, placed(new Group(), [0, 1, 0]), { kind: 'ball' })).toThrow(/a ball needs a size: put a mesh inside, or give radius/);
    expect(() => createOverlayBody(physics, placed(new Group(), [0, 1, 0]), { kind: 'crate' })).toThrow(/a crate needs a size/);
    expect(() => createOverlayBody(physics, placed(new Group(), [0, 1, 0]), { kind: 'barrel' as 'ball' })).toThrow(/kind must be "ball" or "crate", found "barrel"/);
  });
});
