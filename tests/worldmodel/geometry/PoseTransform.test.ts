import { describe, expect, it } from 'vitest';
import { cameraForward } from '../../../worldmodel/geometry/cameraForward.ts';
import type { Pose, XYZ } from '../../../worldmodel/geometry/Pose.ts';
import { cameraDirectionToWorld, cameraToWorld, poseTransform, worldDirectionToCamera, worldToCamera } from '../../../worldmodel/geometry/PoseTransform.ts';
import { SeededRandom } from '../../../worldmodel/SeededRandom.ts';

const pose = (p: Partial<Pose> = {}): Pose => ({ x: 0, y: 0, z: 0, yaw: 0, pitch: 0, ...p });
const xyz = (): XYZ => ({ x: 0, y: 0, z: 0 });
const expectXYZ = (v: XYZ, x: number, y: number, z: number, digits = 12): void => {
  expect(v.x).toBeCloseTo(x, digits);
  expect(v.y).toBeCloseTo(y, digits);
  expect(v.z).toBeCloseTo(z, digits);
};

describe('PoseTransform', () => {
  it('at yaw = pitch = 0 only translates: the camera looks down −z, +x right, +y up', () => {
    const t = poseTransform(pose({ x: 1, y: 2, z: 3 }));
    expectXYZ(cameraToWorld(t, 0.5, -0.25, -4, xyz()), 1.5, 1.75, -1);
    expectXYZ(worldToCamera(t, 1.5, 1.75, -1, xyz()), 0.5, -0.25, -4);
    expectXYZ(cameraDirectionToWorld(t, 0.5, -0.25, -4, xyz()), 0.5, -0.25, -4);
  });

  it('turns left with yaw and looks up with pitch', () => {
    // Yaw +90° (counter-clockwise from above): ahead is −x, right is −z, up stays +y.
    const left = poseTransform(pose({ yaw: Math.PI / 2 }));
    expectXYZ(cameraDirectionToWorld(left, 0, 0, -1, xyz()), -1, 0, 0);
    expectXYZ(cameraDirectionToWorld(left, 1, 0, 0, xyz()), 0, 0, -1);
    expectXYZ(cameraDirectionToWorld(left, 0, 1, 0, xyz()), 0, 1, 0);
    // Pitch +45°: ahead rises at 45°, the camera's up tilts back towards +z.
    const h = Math.SQRT1_2;
    const up = poseTransform(pose({ pitch: Math.PI / 4 }));
    expectXYZ(cameraDirectionToWorld(up, 0, 0, -1, xyz()), 0, h, -h);
    expectXYZ(cameraDirectionToWorld(up, 0, 1, 0, xyz()), 0, h, h);
    // Pitch first, then yaw: at yaw 90° and pitch 45°, ahead is up and along −x.
    const both = poseTransform(pose({ x: 5, yaw: Math.PI / 2, pitch: Math.PI / 4 }));
    expectXYZ(cameraToWorld(both, 0, 0, -2, xyz()), 5 - 2 * h, 2 * h, 0);
    // A point 3 m ahead of that camera has view depth 3 (camera z = −3).
    expectXYZ(worldToCamera(both, 5 - 3 * h, 3 * h, 0, xyz()), 0, 0, -3);
  });

  it('world → camera undoes camera → world; directions ignore the position', () => {
    const rng = new SeededRandom(5);
    const u = (a: number, b: number) => a + (b - a) * rng.nextFloat();
    const out = xyz();
    const back = xyz();
    for (let k = 0; k < 100; k++) {
      const t = poseTransform(pose({ x: u(-10, 10), y: u(0, 3), z: u(-10, 10), yaw: u(-7, 7), pitch: u(-1.5, 1.5) }));
      const [x, y, z] = [u(-5, 5), u(-5, 5), u(-5, 5)];
      worldToCamera(t, ...Object.values(cameraToWorld(t, x, y, z, out)) as [number, number, number], back);
      expectXYZ(back, x, y, z, 10);
      worldDirectionToCamera(t, ...Object.values(cameraDirectionToWorld(t, x, y, z, out)) as [number, number, number], back);
      expectXYZ(back, x, y, z, 10);
      // A rotation keeps lengths.
      expect(Math.hypot(out.x, out.y, out.z)).toBeCloseTo(Math.hypot(x, y, z), 10);
    }
  });

  it('sees straight ahead along cameraForward', () => {
    const rng = new SeededRandom(9);
    for (let k = 0; k < 50; k++) {
      const p = pose({ yaw: (rng.nextFloat() * 2 - 1) * 4, pitch: (rng.nextFloat() * 2 - 1) * 1.5 });
      const ahead = cameraDirectionToWorld(poseTransform(p), 0, 0, -1, xyz());
      const f = cameraForward(p.yaw, p.pitch);
      expectXYZ(ahead, f.x, f.y, f.z, 14);
    }
  });

  it('holds the pose position, sines and cosines; writes into and returns the out objects', () => {
    const t = poseTransform(pose({ x: 1, y: 2, z: 3, yaw: 1, pitch: -0.5 }));
    expect(t).toEqual({ x: 1, y: 2, z: 3, sinYaw: Math.sin(1), cosYaw: Math.cos(1), sinPitch: Math.sin(-0.5), cosPitch: Math.cos(-0.5) });
    const out = xyz();
    expect(cameraToWorld(t, 1, 2, 3, out)).toBe(out);
    expect(cameraDirectionToWorld(t, 1, 2, 3, out)).toBe(out);
    expect(worldToCamera(t, 1, 2, 3, out)).toBe(out);
    expect(worldDirectionToCamera(t, 1, 2, 3, out)).toBe(out);
  });
});
