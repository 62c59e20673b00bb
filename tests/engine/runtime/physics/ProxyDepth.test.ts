import RAPIER from '@dimforge/rapier3d-compat';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProxyDepth } from '../../../../engine/runtime/physics/ProxyDepth.ts';
import { arenaScene } from '../../../../engine/runtime/scene/arenaScene.ts';
import { buildPhysicsWorld } from '../../../../engine/runtime/scene/buildPhysicsWorld.ts';
import { DEFAULT_CAMERA } from '../../../../worldmodel/dataset/actionLayout.ts';
import type { Pose } from '../../../../worldmodel/geometry/Pose.ts';

const W = 64;
const H = 64;
const tanY = Math.tan((70 * Math.PI) / 360);

/**
 * `world.castRay` through the centre of pixel (i, j) of a w × h view at `pose` (DEFAULT_CAMERA's
 * field of view), against the static world as ProxyDepth casts: the reference its images are held to.
 */
function castThroughPixel(physics: ReturnType<typeof buildPhysicsWorld>, pose: Pose, i: number, j: number, w: number, h: number) {
  const tan = Math.tan((DEFAULT_CAMERA.fovYDegrees * Math.PI) / 360);
  const flags = RAPIER.QueryFilterFlags.EXCLUDE_DYNAMIC | RAPIER.QueryFilterFlags.EXCLUDE_KINEMATIC | RAPIER.QueryFilterFlags.EXCLUDE_SENSORS;
  const [sp, cp, sy, cy] = [Math.sin(pose.pitch), Math.cos(pose.pitch), Math.sin(pose.yaw), Math.cos(pose.yaw)];
  const xc = ((i + 0.5) / w * 2 - 1) * tan * (w / h);
  const yc = (1 - ((j + 0.5) / h) * 2) * tan;
  const z1 = yc * sp - cp;
  const dir = { x: xc * cy + z1 * sy, y: yc * cp + sp, z: -xc * sy + z1 * cy };
  return physics.world.castRay(new RAPIER.Ray(pose, dir), DEFAULT_CAMERA.far, true, flags);
}

describe('ProxyDepth', () => {
  beforeAll(async () => {
    await RAPIER.init();
  });

  it('gives view-space depth: a wall square to the view is one depth everywhere; the floor follows 1/y', () => {
    const physics = buildPhysicsWorld(arenaScene(0), RAPIER);
    const depth = new ProxyDepth(physics, { width: W, height: H, camera: DEFAULT_CAMERA });
    // At (9, 1.6, −4) looking +x (yaw −90°): the east wall's plane x = 12 is 3 m ahead.
    const image = depth.render({ x: 9, y: 1.6, z: -4, yaw: -Math.PI / 2, pitch: 0 });
    expect(image.length).toBe(W * H);
    // Row 20 is above the eye line, below the wall top (4 m) across the whole width: all wall.
    for (let i = 0; i < W; i++) expect(image[20 * W + i]!, `pixel (20, ${i})`).toBeCloseTo(3, 4);
    // Row 63 (bottom) hits the floor 1.6 m below: depth = 1.6 / (tan(35°) · (1 − 1/64)).
    const yc = (1 - (63.5 / H) * 2) * tanY;
    expect(image[63 * W + 32]!).toBeCloseTo(1.6 / -yc, 4);
    physics.dispose();
  });

  it('reads far for sky, and ignores dynamic bodies (overlays are not proxy geometry)', () => {
    const scene = { ...arenaScene(0), dynamics: [{ id: 'ball', kind: 'ball' as const, position: [3, 1.6, -5] as const, radius: 0.5, mass: 1, material: 'ball' }] };
    const physics = buildPhysicsWorld(scene, RAPIER);
    const depth = new ProxyDepth(physics, { width: W, height: H, camera: DEFAULT_CAMERA });
    const up = depth.render({ x: 0, y: 1.6, z: -5, yaw: 0, pitch: 1.4 });
    expect(up[0]).toBe(60);
    const ahead = depth.render({ x: 0, y: 1.6, z: -5, yaw: -Math.PI / 2, pitch: 0 });
    expect(ahead[31 * W + 32]!).toBeCloseTo(12, 3); // through the ball to the wall
    physics.dispose();
  });

  it('matches one Rapier ray per pixel, and reports its cost', () => {
    const physics = buildPhysicsWorld(arenaScene(0), RAPIER);
    const depth = new ProxyDepth(physics, { width: W, height: H, camera: DEFAULT_CAMERA });
    const pose = { x: 2, y: 1.6, z: 3, yaw: 0.7, pitch: -0.2 };
    const image = depth.render(pose);
    // Pixel (row 40, column 10) by hand: the camera ray, rotated by pitch then yaw.
    const xc = ((10.5 / W) * 2 - 1) * tanY;
    const yc = (1 - (40.5 / H) * 2) * tanY;
    const [sp, cp, sy, cy] = [Math.sin(pose.pitch), Math.cos(pose.pitch), Math.sin(pose.yaw), Math.cos(pose.yaw)];
    const y1 = yc * cp + sp;
    const z1 = yc * sp - cp;
    const dir = { x: xc * cy + z1 * sy, y: y1, z: -xc * sy + z1 * cy };
    const length = Math.hypot(dir.x, dir.y, dir.z);
    const hit = physics.world.castRay(new RAPIER.Ray(pose, { x: dir.x / length, y: dir.y / length, z: dir.z / length }), 100, true, RAPIER.QueryFilterFlags.EXCLUDE_DYNAMIC);
    expect(image[40 * W + 10]!).toBeCloseTo((hit!.timeOfImpact / length), 3);
    const times: number[] = [];
    for (let k = 0; k < 10; k++) {
      depth.render({ ...pose, yaw: k * 0.6 }, image);
      times.push(depth.lastMs);
    }
    times.sort((a, b) => a - b);
    console.log(`ProxyDepth ${W}×${H}: median ${times[5]!.toFixed(2)} ms per image (${W * H} Rapier ray casts)`);
    physics.dispose();
  });

  it('reads, pixel for pixel, what world.castRay reads along the same rays (its query layer is called directly)', () => {
    const scene = { ...arenaScene(3), dynamics: [{ id: 'ball', kind: 'ball' as const, position: [1, 1.2, -2] as const, radius: 0.6, mass: 1, material: 'ball' }] };
    const physics = buildPhysicsWorld(scene, RAPIER);
    const w = 24;
    const h = 16;
    const depth = new ProxyDepth(physics, { width: w, height: h, camera: { ...DEFAULT_CAMERA, aspect: w / h } });
    for (const pose of [{ x: 1, y: 1.6, z: 2, yaw: 0.3, pitch: -0.1 }, { x: -6, y: 1.6, z: -7, yaw: 2.5, pitch: 0.6 }, { x: 8, y: 1.6, z: 0, yaw: -1.2, pitch: 1.3 }]) {
      const image = depth.render(pose);
      let sky = 0;
      for (let j = 0; j < h; j++) {
        for (let i = 0; i < w; i++) {
          const hit = castThroughPixel(physics, pose, i, j, w, h);
          const expected = !hit || hit.timeOfImpact > DEFAULT_CAMERA.far ? DEFAULT_CAMERA.far : hit.timeOfImpact;
          if (expected === DEFAULT_CAMERA.far) sky++;
          expect(image[j * w + i]!, `pixel (${j}, ${i}) at yaw ${pose.yaw}`).toBeCloseTo(expected, 3); // the rays are float32
        }
      }
      if (pose.pitch > 1) expect(sky).toBeGreaterThan(0); // looking up: sky is read as far too
    }
    physics.dispose();
  });

  it('keeps the collider behind each pixel of its last keepObjects renders, found by the depth image (or a copy)', () => {
    const physics = buildPhysicsWorld(arenaScene(3), RAPIER);
    const w = 24;
    const h = 16;
    const proxy = new ProxyDepth(physics, { width: w, height: h, camera: { ...DEFAULT_CAMERA, aspect: w / h }, keepObjects: 2 });
    const poses = [{ x: 1, y: 1.6, z: 2, yaw: 0.3, pitch: 0.2 }, { x: -6, y: 1.6, z: -7, yaw: 2.5, pitch: 0.6 }, { x: 8, y: 1.6, z: 0, yaw: -1.2, pitch: -0.3 }];
    const images = poses.map((pose) => proxy.render(pose));
    // Three renders, two kept: the first is gone, the last two are found, also from a copy.
    expect(proxy.objectsOf(images[0]!)).toBeNull();
    expect(proxy.objectsOf(Float32Array.from(images[1]!))).not.toBeNull();
    poses.slice(1).forEach((pose, k) => {
      const objects = proxy.objectsOf(images[k + 1]!)!;
      const seen = new Set<number>();
      let sky = 0;
      for (let j = 0; j < h; j++) {
        for (let i = 0; i < w; i++) {
          const hit = castThroughPixel(physics, pose, i, j, w, h);
          const expected = hit ? hit.collider.handle : -1;
          if (expected < 0) sky++;
          seen.add(expected);
          expect(objects[j * w + i], `pixel (${j}, ${i}) at yaw ${pose.yaw}`).toBe(expected);
        }
      }
      expect(seen.size).toBeGreaterThan(1); // not one object everywhere
      if (pose.pitch > 0.5) expect(sky).toBeGreaterThan(0);
    });
    // Without keepObjects nothing is kept.
    const plain = new ProxyDepth(physics, { width: w, height: h, camera: { ...DEFAULT_CAMERA, aspect: w / h } });
    expect(plain.objectsOf(plain.render(poses[0]!))).toBeNull();
    expect(() => new ProxyDepth(physics, { width: w, height: h, camera: DEFAULT_CAMERA, keepObjects: -1 })).toThrow(/keepObjects must be a whole number/);
    physics.dispose();
  });

  it('refuses bad sizes and a disposed world', () => {
    const physics = buildPhysicsWorld(arenaScene(0), RAPIER);
    expect(() => new ProxyDepth(physics, { width: 0, height: 4, camera: DEFAULT_CAMERA })).toThrow(/ProxyDepth: width and height/);
    expect(() => new ProxyDepth(physics, { width: 4, height: 4, camera: { ...DEFAULT_CAMERA, near: 70 } })).toThrow(/0 < near < far/);
    const depth = new ProxyDepth(physics, { width: 4, height: 4, camera: DEFAULT_CAMERA });
    expect(() => depth.render({ x: 0, y: 1, z: 0, yaw: 0, pitch: 0 }, new Float32Array(3))).toThrow(/must hold 16 values/);
    physics.dispose();
    expect(() => depth.render({ x: 0, y: 1, z: 0, yaw: 0, pitch: 0 })).toThrow(/physics world was disposed/);
  });
});
