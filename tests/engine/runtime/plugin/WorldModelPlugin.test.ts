import RAPIER from '@dimforge/rapier3d-compat';
import { fileURLToPath } from 'node:url';
import { BoxGeometry, Mesh, MeshBasicMaterial, PerspectiveCamera, Scene, SphereGeometry, type WebGLRenderer } from 'three';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorldModelPlugin } from '../../../../engine/runtime/plugin/WorldModelPlugin.ts';
import { PhysicsWorld } from '../../../../engine/runtime/physics/PhysicsWorld.ts';
import type { RapierModule } from '../../../../engine/runtime/physics/rapierTypes.ts';
import { NextframeError } from '../../../../worldmodel/errors.ts';
import { WorldModel } from '../../../../worldmodel/WorldModel.ts';

// The Three.js side of the plug-in in Node: camera set-up, proxies, overlays, throws and what
// dispose frees, with real three objects, real Rapier and a real model. Drawing needs WebGL:
// tests/e2e/plugin.spec.ts plays the plug-in in Chromium; the game loop itself is PlayerLoop's test.
const fixture = fileURLToPath(new URL('../../../fixtures/tiny-streams/', import.meta.url));
const rapier = RAPIER as unknown as RapierModule;
const noDrawing = { domElement: { width: 0, height: 0 } } as unknown as WebGLRenderer;

describe('WorldModelPlugin (without drawing)', () => {
  let model: WorldModel;
  beforeAll(async () => {
    await RAPIER.init();
    model = await WorldModel.load(fixture, { device: 'wasm', threads: 1 });
  });
  afterAll(async () => {
    await model.dispose();
  });

  function makePlugin(options: { physics?: PhysicsWorld; throwing?: false } = {}): { plugin: WorldModelPlugin; camera: PerspectiveCamera; scene: Scene } {
    const camera = new PerspectiveCamera(40, 2, 1, 10);
    camera.position.set(0, 1.6, 0);
    const scene = new Scene();
    const plugin = new WorldModelPlugin({ renderer: noDrawing, scene, camera, model, rapier, input: false, ...options });
    return { plugin, camera, scene };
  }

  it("makes the camera the model's and puts the player under it", () => {
    const { plugin, camera } = makePlugin();
    expect(camera.fov).toBe(model.manifest.camera.fovYDegrees);
    expect(camera.aspect).toBe(model.width / model.height);
    expect(camera.near).toBe(model.manifest.camera.near);
    expect(plugin.character.pose.x).toBeCloseTo(0, 6);
    expect(plugin.character.pose.z).toBeCloseTo(0, 6);
    expect(plugin.input).toBeNull();
    expect(plugin.loop.character).toBe(plugin.character);
    plugin.dispose();
  });

  it('turns proxy meshes into colliders that proxy depth sees', () => {
    const { plugin } = makePlugin();
    const wall = new Mesh(new BoxGeometry(4, 4, 1), new MeshBasicMaterial());
    wall.position.set(0, 1.6, -3); // its near face is 2.5 m in front of the eye
    wall.updateMatrixWorld();
    const before = plugin.physics.world.colliders.len();
    plugin.markProxy(wall);
    expect(plugin.physics.world.colliders.len()).toBe(before + 1);
    const depth = plugin.loop.proxyDepth.render({ x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 });
    const centre = (model.height / 2) * model.width + model.width / 2;
    expect(depth[centre]).toBeCloseTo(2.5, 3);
    plugin.markProxy(new Mesh(new SphereGeometry(1000)), { collider: false }); // a sky dome: no body
    expect(plugin.physics.world.colliders.len()).toBe(before + 1);
    plugin.markProxy(wall); // again: nothing new
    expect(plugin.physics.world.colliders.len()).toBe(before + 1);
    plugin.dispose();
  });

  it('simulates overlays and throws balls from the camera', () => {
    const { plugin, scene } = makePlugin();
    const crate = new Mesh(new BoxGeometry(0.5, 0.5, 0.5), new MeshBasicMaterial());
    crate.position.set(1, 3, -2);
    scene.add(crate);
    const body = plugin.markOverlay(crate, { mass: 2 });
    expect(body.isDynamic()).toBe(true);
    expect(plugin.markOverlay(crate)).toBe(body); // marked again: the same body, no second entry
    expect(body.mass()).toBeCloseTo(2, 3);
    const ball = plugin.throwBall();
    expect(ball).not.toBeNull();
    // Yaw 0 throws down −z from in front of the eye.
    expect(ball!.translation().z).toBeLessThan(plugin.character.pose.z - 0.5);
    expect(ball!.linvel().z).toBeLessThan(-5);
    expect(plugin.overlayBodies.map((o) => o.body)).toEqual([body, ball]);
    plugin.dispose();
    const off = makePlugin({ throwing: false }).plugin;
    expect(off.throwBall()).toBeNull();
    off.dispose();
  });

  it("frees only what it made in the caller's physics world, and refuses use after dispose", () => {
    const physics = new PhysicsWorld(rapier);
    physics.world.createCollider(rapier.ColliderDesc.cuboid(10, 0.5, 10).setTranslation(0, -0.5, 0));
    const { plugin } = makePlugin({ physics });
    plugin.markProxy(new Mesh(new BoxGeometry(1, 1, 1)));
    expect(physics.world.colliders.len()).toBe(3); // floor, character, proxy
    plugin.dispose();
    expect(physics.isDisposed).toBe(false);
    expect(physics.world.colliders.len()).toBe(1);
    expect(plugin.loop.isDisposed).toBe(true);
    expect(() => plugin.update(1 / 60)).toThrow(NextframeError);
    expect(() => plugin.markProxy(new Mesh())).toThrow(/markProxy\(\) called after dispose/);
    physics.dispose();
  });
});
