import { describe, expect, it } from 'vitest';
import { actionFromPoses } from '../../../worldmodel/geometry/actionFromPoses.ts';
import type { Pose } from '../../../worldmodel/geometry/Pose.ts';
import { poseAfterAction } from '../../../worldmodel/geometry/poseAfterAction.ts';
import { SeededRandom } from '../../../worldmodel/SeededRandom.ts';

describe('poseAfterAction', () => {
  it('walks along the camera heading at the tick start: yaw 0 looks down −z, +90° down −x', () => {
    const ahead = poseAfterAction({ x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 }, { forward: 0.2, strafe: 0.1, up: 0, yaw: 0, pitch: 0 });
    expect(ahead.x).toBeCloseTo(0.1, 9);
    expect(ahead.z).toBeCloseTo(-0.2, 9);
    const left = poseAfterAction({ x: 1, y: 0, z: 1, yaw: Math.PI / 2, pitch: 0 }, { forward: 0.3, strafe: 0.1, up: 0.5, yaw: 0.1, pitch: 0.05 });
    expect([left.x, left.y, left.z, left.yaw, left.pitch].map((v) => Number(v.toFixed(9)))).toEqual([0.7, 0.5, 0.9, Number((Math.PI / 2 + 0.1).toFixed(9)), 0.05]);
  });

  it('is the inverse of actionFromPoses, yaw wrapped, and may write into its input', () => {
    const rng = new SeededRandom(3);
    const u = (a: number, b: number) => a + (b - a) * rng.nextFloat();
    for (let i = 0; i < 50; i++) {
      const before: Pose = { x: u(-10, 10), y: u(0, 3), z: u(-10, 10), yaw: u(-Math.PI, Math.PI), pitch: u(-1, 1) };
      const delta = { forward: u(-0.4, 0.4), strafe: u(-0.4, 0.4), up: u(-0.5, 0.5), yaw: u(-0.25, 0.25), pitch: u(-0.15, 0.15) };
      const after = poseAfterAction(before, delta);
      expect(after.yaw).toBeGreaterThan(-Math.PI - 1e-12);
      expect(after.yaw).toBeLessThanOrEqual(Math.PI);
      const back = actionFromPoses(before, after, { jump: false, interact: false });
      [delta.forward, delta.strafe, delta.up, delta.yaw, delta.pitch].forEach((v, k) => expect(back[k]).toBeCloseTo(v, 5));
      const same = { ...before };
      expect(poseAfterAction(same, delta, same)).toEqual(after);
    }
  });
});
