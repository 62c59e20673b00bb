import { describe, expect, it } from 'vitest';
import { imagePlane, type PinholeCamera } from '../../../worldmodel/geometry/PinholeCamera.ts';
import { projectPoint } from '../../../worldmodel/geometry/projectPoint.ts';
import { projectPoints } from '../../../worldmodel/geometry/projectPoints.ts';
import { poseTransform } from '../../../worldmodel/geometry/PoseTransform.ts';
import { SeededRandom } from '../../../worldmodel/SeededRandom.ts';

const CAM: PinholeCamera = { width: 40, height: 30, fovYDegrees: 63.7, near: 0.1, far: 50 };

describe('projectPoints', () => {
  it('projects exactly as projectPoint does inside the frustum, NaN behind the near plane and far outside', () => {
    const rng = new SeededRandom(21);
    const u = (a: number, b: number) => a + (b - a) * rng.nextFloat();
    const n = 500;
    const points = { x: new Float64Array(n), y: new Float64Array(n), z: new Float64Array(n) };
    for (let p = 0; p < n; p++) [points.x[p], points.y[p], points.z[p]] = [u(-10, 10), u(-1, 5), u(-10, 10)];
    // Every other point, backwards: the output follows the index, not the point number.
    const index = Int32Array.from({ length: n / 2 }, (_, q) => n - 1 - 2 * q);
    const out = { u: new Float64Array(n), v: new Float64Array(n), depth: new Float64Array(n) };
    const plane = imagePlane(CAM.width, CAM.height, CAM.fovYDegrees);
    let behind = 0;
    let outside = 0;
    for (let k = 0; k < 8; k++) {
      const pose = { x: u(-2, 2), y: u(0, 3), z: u(-2, 2), yaw: u(-4, 4), pitch: u(-1.4, 1.4) };
      projectPoints(plane, CAM.near, poseTransform(pose), points, index, index.length, out);
      for (let q = 0; q < index.length; q++) {
        const p = index[q]!;
        const one = projectPoint(CAM, pose, { x: points.x[p]!, y: points.y[p]!, z: points.z[p]! });
        // The frustum is the image (pixel edges −0.5 and size − 0.5) widened by a hair: clearly inside it
        // projects exactly; outside it is NaN, or (within the hair) still outside the image.
        const edge = 1e-3;
        const inside = one !== null && one.u > -0.5 + edge && one.u < CAM.width - 0.5 - edge && one.v > -0.5 + edge && one.v < CAM.height - 0.5 - edge;
        if (one && inside) {
          // Bit for bit: spatial memory renders with projectPoints, and projectPoint is its public face.
          expect([out.u[q], out.v[q], out.depth[q]]).toEqual([one.u, one.v, one.depth]);
        } else if (one) {
          outside++;
          expect(out.depth[q]).toBe(one.depth);
          // Far outside: NaN; within the slack of the edge it may project, but never into the image.
          if (!Number.isNaN(out.u[q])) expect(out.u[q]! < -0.5 || out.u[q]! >= CAM.width - 0.5 || out.v[q]! < -0.5 || out.v[q]! >= CAM.height - 0.5).toBe(true);
        } else {
          behind++;
          expect(out.depth[q]).toBeLessThanOrEqual(CAM.near);
          expect(out.u[q]).toBeNaN();
          expect(out.v[q]).toBeNaN();
        }
      }
    }
    expect(behind).toBeGreaterThan(100); // every branch ran
    expect(outside).toBeGreaterThan(100);
  });

  it('puts a point straight ahead on the image centre at its distance', () => {
    const points = { x: Float64Array.of(3), y: Float64Array.of(1.6), z: Float64Array.of(-4) };
    const out = { u: new Float64Array(1), v: new Float64Array(1), depth: new Float64Array(1) };
    // At (3, 1.6, 1) looking down −z: the point is 5 m ahead.
    projectPoints(imagePlane(40, 30, 60), 0.1, poseTransform({ x: 3, y: 1.6, z: 1, yaw: 0, pitch: 0 }), points, Int32Array.of(0), 1, out);
    expect(out.depth[0]).toBe(5);
    expect(out.u[0]).toBeCloseTo(19.5, 12);
    expect(out.v[0]).toBeCloseTo(14.5, 12);
  });
});
