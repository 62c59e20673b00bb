import { describe, expect, it } from 'vitest';
import { actionFromPoses } from '../../../worldmodel/geometry/actionFromPoses.ts';
import { wrapAngle, type Pose } from '../../../worldmodel/geometry/Pose.ts';

const pose = (x: number, y: number, z: number, yaw: number, pitch = 0): Pose => ({ x, y, z, yaw, pitch });
const idle = { jump: false, interact: false };

describe('actionFromPoses', () => {
  it('measures motion along the camera heading at the tick start', () => {
    // Yaw 0 looks down −z: moving −z is forward, +x is right.
    expect(Array.from(actionFromPoses(pose(0, 1.6, 0, 0), pose(0.1, 1.6, -0.2, 0), idle))).toEqual([
      expect.closeTo(0.2, 6), expect.closeTo(0.1, 6), 0, 0, 0, 0, 0,
    ]);
    // Yaw +90° (turned left) looks down −x: moving −x is forward, −z is right.
    const a = actionFromPoses(pose(1, 0, 1, Math.PI / 2), pose(0.7, 0.5, 0.9, Math.PI / 2 + 0.1, 0.05), { jump: true, interact: true });
    expect(a[0]).toBeCloseTo(0.3, 6);
    expect(a[1]).toBeCloseTo(0.1, 6);
    expect(a[2]).toBeCloseTo(0.5, 6);
    expect(a[3]).toBeCloseTo(0.1, 6);
    expect(a[4]).toBeCloseTo(0.05, 6);
    expect([a[5], a[6]]).toEqual([1, 1]);
  });

  it('wraps yaw across ±π and writes into the given array', () => {
    const out = new Float32Array(7);
    expect(actionFromPoses(pose(0, 0, 0, Math.PI - 0.05), pose(0, 0, 0, -Math.PI + 0.05), idle, out)).toBe(out);
    expect(out[3]).toBeCloseTo(0.1, 6); // turned left through π, not right by 2π − 0.1
    expect(wrapAngle(3 * Math.PI)).toBeCloseTo(Math.PI, 12);
    expect(wrapAngle(-Math.PI)).toBeCloseTo(Math.PI, 12);
    expect(wrapAngle(-0.5)).toBe(-0.5);
  });
});
