import RAPIER from '@dimforge/rapier3d-compat';
import { BoxGeometry, Frustum, Group, Matrix4, Mesh, PerspectiveCamera, Scene, SphereGeometry } from 'three';
import { beforeAll, describe, expect, it } from 'vitest';
import { OverlaySet } from '../../../../engine/runtime/plugin/OverlaySet.ts';
import { PhysicsWorld } from '../../../../engine/runtime/physics/PhysicsWorld.ts';

/** The view frustum of a camera at the origin looking down −z. */
function frustumAhead(): Frustum {
  const camera = new PerspectiveCamera(70, 1, 0.05, 60);
  camera.updateMatrixWorld();
  return new Frustum().setFromProjectionMatrix(new Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse));
}

describe('OverlaySet', () => {
  beforeAll(async () => {
    await RAPIER.init();
  });

  it('makes bodies shaped like the meshes, moves the meshes with them, and says when one moves in view', () => {
    const physics = new PhysicsWorld(RAPIER, -9.81);
    const scene = new Scene();
    const ball = new Mesh(new SphereGeometry(0.3));
    ball.position.set(0, 2, -5); // in view
    const crate = new Mesh(new BoxGeometry(1, 1, 1));
    crate.position.set(0, 2, 5); // behind the camera
    scene.add(ball, crate);
    const overlays = new OverlaySet(physics, scene);
    overlays.mark(ball, { mass: 2 });
    overlays.mark(crate);
    expect(physics.world.bodies.len()).toBe(2);
    physics.advance(0.5);
    expect(overlays.sync(frustumAhead())).toBe(true);
    expect(ball.position.y).toBeLessThan(1); // fell with its body
    expect(crate.position.y).toBeLessThan(1);

    // Only the crate (out of view) still moving: no redraw needed.
    const still = new OverlaySet(physics, scene);
    still.mark(crate, { body: overlays.all[1]!.body });
    expect(still.sync(frustumAhead())).toBe(false);
    overlays.dispose(true);
    expect(physics.world.bodies.len()).toBe(0); // the bodies it made are gone
    physics.dispose();
  });

  it('follows a transformed parent (world pose → local)', () => {
    const physics = new PhysicsWorld(RAPIER, 0);
    const scene = new Scene();
    const parent = new Group();
    parent.position.set(10, 0, 0);
    scene.add(parent);
    const mesh = new Mesh(new SphereGeometry(0.2));
    mesh.position.set(1, 1, 1); // world (11, 1, 1)
    parent.add(mesh);
    const overlays = new OverlaySet(physics, scene);
    const body = overlays.mark(mesh);
    expect(body.translation().x).toBeCloseTo(11);
    body.setTranslation({ x: 12, y: 1, z: 1 }, true);
    overlays.sync(frustumAhead());
    expect(mesh.position.x).toBeCloseTo(2);
    overlays.dispose(true);
    physics.dispose();
  });

  it('throws balls into the scene, reuses the oldest past the limit, and removes them on dispose', () => {
    const physics = new PhysicsWorld(RAPIER);
    const scene = new Scene();
    const overlays = new OverlaySet(physics, scene, { max: 2 });
    for (let i = 0; i < 3; i++) overlays.throwBall({ x: i, y: 1, z: -3 }, { x: 0, y: 0, z: -5 });
    expect(scene.children.length).toBe(2);
    expect(physics.world.bodies.len()).toBe(2);
    expect(overlays.objects().map((o) => o.position.x).sort()).toEqual([1, 2]);
    overlays.dispose(true);
    expect(scene.children.length).toBe(0);
    expect(physics.world.bodies.len()).toBe(0);
    expect(new OverlaySet(physics, scene, false).throwBall({ x: 0, y: 0, z: 0 }, { x: 0, y: 0, z: 0 })).toBeNull();
    physics.dispose();
  });
});
