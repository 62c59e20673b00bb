import { describe, expect, it } from 'vitest';
import { imagePlane, type PinholeCamera } from '../../../worldmodel/geometry/PinholeCamera.ts';
import { projectPoint } from '../../../worldmodel/geometry/projectPoint.ts';
import { projectPoints } from '../../../worldmodel/geometry/projectPoints.ts';
import { poseTransform } from '../../../worldmodel/geometry/PoseTransform.ts';
import { SeededRandom } from '../../../worldmodel/SeededRandom.ts';

const CAM: PinholeCamera = { width: 40, height: 30, fovYDegrees: 63.7, near: 0.1, far: 50 };

describe('projectPoints', () => {
  it('keeps exactly the points projectPoint puts in the image, in index order, bit for bit', () => {
    const rng = new SeededRandom(21);
    const u = (a: number, b: number) => a + (b - a) * rng.nextFloat();
    const n = 500;
    const points = { x: new Float64Array(n), y: new Float64Array(n), z: new Float64Array(n) };
    for (let p = 0; p < n; p++) [points.x[p], points.y[p], points.z[p]] = [u(-10, 10), u(-1, 5), u(-10, 10)];
    // Every other point, backwards: the output follows the index, not the point number.
    const index = Int32Array.from({ length: n / 2 }, (_, q) => n - 1 - 2 * q);
    const out = { slot: new Int32Array(n), u: new Float64Array(n), v: new Float64Array(n), depth: new Float64Array(n) };
    const plane = imagePlane(CAM.width, CAM.height, CAM.fovYDegrees);
    let behind = 0;
    let outside = 0;
    let inside = 0;
    for (let k = 0; k < 8; k++) {
      const pose = { x: u(-2, 2), y: u(0, 3), z: u(-2, 2), yaw: u(-4, 4), pitch: u(-1.4, 1.4) };
      const hits = projectPoints(plane, CAM.near, poseTransform(pose), points, index, index.length, out);
      // The expected list, one point at a time through projectPoint and the image's pixel edges.
      const expected: number[][] = [];
      for (let q = 0; q < index.length; q++) {
        const p = index[q]!;
        const one = projectPoint(CAM, pose, { x: points.x[p]!, y: points.y[p]!, z: points.z[p]! });
        if (!one) behind++;
        else if (one.u >= -0.5 && one.u < CAM.width - 0.5 && one.v >= -0.5 && one.v < CAM.height - 0.5) expected.push([q, one.u, one.v, one.depth]);
        else outside++;
      }
      inside += expected.length;
      const got = Array.from({ length: hits }, (_, h) => [out.slot[h]!, out.u[h]!, out.v[h]!, out.depth[h]!]);
      expect(got).toEqual(expected);
    }
    expect(behind).toBeGreaterThan(100); // every branch ran
    expect(outside).toBeGreaterThan(100);
    expect(inside).toBeGreaterThan(50);
  });

  it('keeps a point on the left and top pixel edges and drops one on the right and bottom edges', () => {
    // 4 × 2 image, 90° vertical field of view. At 1 m ahead, x = −tanX is u = −0.5 (in), x = +tanX
    // is u = 3.5 (out); y = +tanY is v = −0.5 (in), y = −tanY is v = 1.5 (out).
    const plane = imagePlane(4, 2, 90);
    const { tanX, tanY } = plane;
    const points = { x: Float64Array.of(-tanX, tanX, 0, 0), y: Float64Array.of(0, 0, tanY, -tanY), z: Float64Array.of(-1, -1, -1, -1) };
    const out = { slot: new Int32Array(4), u: new Float64Array(4), v: new Float64Array(4), depth: new Float64Array(4) };
    const hits = projectPoints(plane, 0.1, poseTransform({ x: 0, y: 0, z: 0, yaw: 0, pitch: 0 }), points, Int32Array.of(0, 1, 2, 3), 4, out);
    expect(hits).toBe(2);
    expect(Array.from(out.slot.subarray(0, 2))).toEqual([0, 2]);
    expect(out.u[0]).toBeCloseTo(-0.5, 12);
    expect(out.v[1]).toBeCloseTo(-0.5, 12);
  });

  it('puts a point straight ahead on the image centre at its distance', () => {
    const points = { x: Float64Array.of(3), y: Float64Array.of(1.6), z: Float64Array.of(-4) };
    const out = { slot: new Int32Array(1), u: new Float64Array(1), v: new Float64Array(1), depth: new Float64Array(1) };
    // At (3, 1.6, 1) looking down −z: the point is 5 m ahead.
    expect(projectPoints(imagePlane(40, 30, 60), 0.1, poseTransform({ x: 3, y: 1.6, z: 1, yaw: 0, pitch: 0 }), points, Int32Array.of(0), 1, out)).toBe(1);
    expect(out.slot[0]).toBe(0);
    expect(out.depth[0]).toBe(5);
    expect(out.u[0]).toBeCloseTo(19.5, 12);
    expect(out.v[0]).toBeCloseTo(14.5, 12);
  });
});
