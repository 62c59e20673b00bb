import RAPIER from '@dimforge/rapier3d-compat';
import { BoxGeometry, CylinderGeometry, Group, Mesh, MeshBasicMaterial, Scene, SphereGeometry } from 'three';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../worldmodel/SeededRandom.ts';
import { buildPhysicsWorld } from '../../../../engine/runtime/scene/buildPhysicsWorld.ts';
import { findSpawnPoint } from '../../../../engine/runtime/scene/findSpawnPoint.ts';
import { layoutFromScene } from '../../../../engine/runtime/scene/layoutFromScene.ts';
import { landmarksOf } from '../../../../engine/capture/players/landmarks.ts';
import { ProxyDepth } from '../../../../engine/runtime/physics/ProxyDepth.ts';

/** A floor, a hill (a raised slab) and a pillar inside a group that is moved and turned. */
function smallWorld() {
  const scene = new Scene();
  const material = new MeshBasicMaterial();
  const floor = new Mesh(new BoxGeometry(20, 0.5, 20), material);
  floor.position.y = -0.25;
  const group = new Group();
  group.position.set(3, 0, -2);
  group.rotation.y = Math.PI / 2;
  const pillar = new Mesh(new CylinderGeometry(0.5, 0.5, 4), material);
  pillar.position.set(0, 2, 0);
  group.add(pillar);
  const plateau = new Mesh(new BoxGeometry(4, 1, 4), material);
  plateau.position.set(-5, 0.5, 5);
  const ball = new Mesh(new SphereGeometry(0.4), material);
  ball.position.set(1, 0.4, 1);
  ball.userData.mass = 3;
  scene.add(floor, group, plateau, ball);
  return { scene, proxies: [floor, group, plateau], overlays: [ball], spawn: { min: [-8, -8], max: [8, 8] } as { min: [number, number]; max: [number, number] } };
}

describe('layoutFromScene', () => {
  beforeAll(() => RAPIER.init());

  it('places every proxy mesh in world space, with bounds and ids by proxy', () => {
    const layout = layoutFromScene(smallWorld(), 'small', 0);
    expect(layout.statics.map((s) => s.id)).toEqual(['proxy0-0', 'proxy1-0', 'proxy2-0']);
    const pillar = layout.statics[1]!;
    expect(pillar.kind).toBe('mesh');
    if (pillar.kind !== 'mesh') return;
    // Radius 0.5 about (3, −2), 4 m tall standing on the floor.
    expect(pillar.min[0]).toBeCloseTo(2.5, 3);
    expect(pillar.max[0]).toBeCloseTo(3.5, 3);
    expect(pillar.min[2]).toBeCloseTo(-2.5, 3);
    expect(pillar.max[1]).toBeCloseTo(4, 3);
    expect(layout.spawn).toEqual({ minX: -8, maxX: 8, minZ: -8, maxZ: 8 });
  });

  it('finds landmarks: things standing up where players walk, never the floor', () => {
    const layout = layoutFromScene(smallWorld(), 'small', 0);
    expect(layout.statics.filter((s) => s.landmark).map((s) => s.id)).toEqual(['proxy1-0', 'proxy2-0']);
    expect(landmarksOf(layout).map((l) => l.id)).toEqual(['proxy1', 'proxy2']);
  });

  it('turns overlays into physics objects: spheres into balls with their mass', () => {
    const layout = layoutFromScene(smallWorld(), 'small', 0);
    expect(layout.dynamics).toEqual([{ id: 'overlay0', kind: 'ball', position: [1, 0.4, 1], radius: 0.4, mass: 3, material: '' }]);
  });

  it('gives colliders that depth rays and the spawn search agree with', () => {
    const layout = layoutFromScene(smallWorld(), 'small', 0);
    const physics = buildPhysicsWorld(layout, RAPIER);
    // Looking along −z from (3, 1.6, 4): the pillar's near face is 6.5 m away at the image centre.
    const depth = new ProxyDepth(physics, { width: 9, height: 9, camera: { fovYDegrees: 60, aspect: 1, near: 0.05, far: 60 } });
    const out = new Float32Array(81);
    depth.render({ x: 3, y: 1.6, z: 4, yaw: 0, pitch: 0 }, out);
    expect(out[40]).toBeCloseTo(5.5, 1);
    // Spawn heights are the surface under the spot: 0 on the floor, 1 on the plateau.
    const rng = new SeededRandom(4);
    const heights = new Set<number>();
    for (let i = 0; i < 60; i++) {
      const p = findSpawnPoint(layout, physics, rng, 0.2);
      heights.add(Math.round(p.y * 100) / 100);
      expect(Math.hypot(p.x - 3, p.z + 2)).toBeGreaterThan(0.5 + 0.3 + 0.2 - 1e-6); // clear of the pillar
    }
    expect([...heights].sort()).toEqual([0, 1]);
    physics.dispose();
  });

  it('says so when the spawn area has no free spot', () => {
    const world = smallWorld();
    for (const spawn of [
      { min: [2.9, -2.1], max: [3.1, -1.9] }, // on top of the pillar: no room to stand
      { min: [30, 30], max: [31, 31] }, // beyond the floor: nothing to stand on
    ] as { min: [number, number]; max: [number, number] }[]) {
      const layout = layoutFromScene({ ...world, spawn }, 'small', 0);
      const physics = buildPhysicsWorld(layout, RAPIER);
      expect(() => findSpawnPoint(layout, physics, new SeededRandom(1))).toThrow(/no free spot in the spawn area of scene "small"/);
      expect(() => findSpawnPoint(layout, physics, new SeededRandom(1))).toThrow(expect.objectContaining({ code: 'no-spawn' }));
      physics.dispose();
    }
  });
});
