import { describe, expect, it } from 'vitest';
import { imagePlane, pixelRays, type PinholeCamera } from '../../../worldmodel/geometry/PinholeCamera.ts';
import type { Pose } from '../../../worldmodel/geometry/Pose.ts';
import { projectPoint } from '../../../worldmodel/geometry/projectPoint.ts';

// 32 × 24 at a 90° vertical field of view: tanY = 1, tanX = 4/3, focal length 12 px on both axes.
const CAM: PinholeCamera = { width: 32, height: 24, fovYDegrees: 90, near: 0.05, far: 60 };
const W = CAM.width;
const H = CAM.height;
const FOCAL = 12;
const CENTRE = { u: (W - 1) / 2, v: (H - 1) / 2 };

const pose = (p: Partial<Pose> = {}): Pose => ({ x: 0, y: 0, z: 0, yaw: 0, pitch: 0, ...p });

function expectClose(actual: number, expected: number, tolerance: number, what: string): void {
  if (!(Math.abs(actual - expected) <= tolerance)) expect.fail(`${what}: expected ${expected} ± ${tolerance}, found ${actual}`);
}

describe('projectPoint', () => {
  it('puts a point straight ahead on the image centre', () => {
    const p = projectPoint(CAM, pose(), { x: 0, y: 0, z: -5 })!;
    expectClose(p.u, CENTRE.u, 1e-9, 'u');
    expectClose(p.v, CENTRE.v, 1e-9, 'v');
    expectClose(p.depth, 5, 1e-12, 'depth');
    const moved = projectPoint(CAM, pose({ x: 1, y: 2, z: 3 }), { x: 1, y: 2, z: -2 })!;
    expect([moved.u, moved.v, moved.depth]).toEqual([CENTRE.u, CENTRE.v, 5]);
  });

  it('follows the runtime camera: −z ahead, yaw π/2 turns left, pitch > 0 looks up', () => {
    const left = projectPoint(CAM, pose({ yaw: Math.PI / 2 }), { x: -5, y: 0, z: 0 })!;
    expectClose(left.u, CENTRE.u, 1e-9, 'yaw π/2: u of a point at −x');
    expectClose(left.v, CENTRE.v, 1e-9, 'yaw π/2: v of a point at −x');
    expectClose(left.depth, 5, 1e-9, 'yaw π/2: depth');
    // facing −x, a point at −z is to the right: x / d = 1 → u = (1 / tanX + 1) / 2 · W − 0.5
    const right = projectPoint(CAM, pose({ yaw: Math.PI / 2 }), { x: -5, y: 0, z: -5 })!;
    expectClose(right.u, 27.5, 1e-9, 'yaw π/2: u of a point at −x −z');
    const up = projectPoint(CAM, pose({ pitch: Math.PI / 4 }), { x: 0, y: 5, z: -5 })!;
    expectClose(up.u, CENTRE.u, 1e-9, 'pitch π/4: u');
    expectClose(up.v, CENTRE.v, 1e-9, 'pitch π/4: v');
    expectClose(up.depth, 5 * Math.SQRT2, 1e-9, 'pitch π/4: depth');
  });

  it('maps metres to pixels through the focal length, rows growing downwards', () => {
    // 1 m right and 1 m up at 4 m: FOCAL / 4 = 3 px right of and above the centre
    const p = projectPoint(CAM, pose(), { x: 1, y: 1, z: -4 })!;
    expectClose(p.u, CENTRE.u + 3, 1e-9, 'u');
    expectClose(p.v, CENTRE.v - 3, 1e-9, 'v');
    expectClose(FOCAL / 4, 3, 0, 'focal length');
    // the corner pixel's outer edge
    const corner = projectPoint(CAM, pose(), { x: -4 / 3, y: 1, z: -1 })!;
    expectClose(corner.u, -0.5, 1e-9, 'left edge');
    expectClose(corner.v, -0.5, 1e-9, 'top edge');
  });

  it('returns null behind the camera or the near plane', () => {
    expect(projectPoint(CAM, pose(), { x: 0, y: 0, z: 5 })).toBeNull();
    expect(projectPoint(CAM, pose(), { x: 0, y: 0, z: -0.01 })).toBeNull();
    expect(projectPoint(CAM, pose({ yaw: Math.PI }), { x: 0, y: 0, z: -5 })).toBeNull();
  });

  it('sends a surface seen through a pixel centre back to that pixel, from a turned and pitched camera', () => {
    const at = pose({ x: 1, y: 1.6, z: -2, yaw: 0.7, pitch: -0.3 });
    const n = W * H;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    pixelRays(imagePlane(W, H, CAM.fovYDegrees), xs, ys);
    // Lift pixel (i, j) at depth d by hand: camera (x·d, y·d, −d), pitch about x, yaw about y, translate.
    const [sy, cy, sp, cp] = [Math.sin(at.yaw), Math.cos(at.yaw), Math.sin(at.pitch), Math.cos(at.pitch)];
    for (const [i, j, d] of [[0, 0, 3], [31, 23, 7.5], [10, 17, 1]] as const) {
      const [x, y, z] = [xs[j * W + i]! * d, ys[j * W + i]! * d, -d];
      const [y1, z1] = [y * cp - z * sp, y * sp + z * cp];
      const world = { x: at.x + x * cy + z1 * sy, y: at.y + y1, z: at.z - x * sy + z1 * cy };
      const p = projectPoint(CAM, at, world)!;
      expectClose(p.u, i, 1e-9, `u of pixel (${i}, ${j})`);
      expectClose(p.v, j, 1e-9, `v of pixel (${i}, ${j})`);
      expectClose(p.depth, d, 1e-9, `depth of pixel (${i}, ${j})`);
    }
  });
});
