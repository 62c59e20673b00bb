import { describe, expect, it } from 'vitest';
import { cameraForward } from '../../../worldmodel/geometry/cameraForward.ts';

describe('cameraForward', () => {
  it('looks down −z at yaw = pitch = 0, down −x at yaw 90°, straight up at pitch 90°', () => {
    const ahead = cameraForward(0, 0);
    expect([ahead.x, ahead.y, ahead.z]).toEqual([-0, 0, -1]);
    const left = cameraForward(Math.PI / 2, 0);
    expect(left.x).toBeCloseTo(-1, 15);
    expect(left.z).toBeCloseTo(0, 15);
    const up = cameraForward(0.3, Math.PI / 2);
    expect(up.y).toBe(1);
    expect(Math.hypot(up.x, up.z)).toBeCloseTo(0, 15);
    // 30° down while facing +x (yaw −90°): (cos 30°, −sin 30°, 0).
    const down = cameraForward(-Math.PI / 2, -Math.PI / 6);
    expect(down.x).toBeCloseTo(Math.sqrt(3) / 2, 15);
    expect(down.y).toBeCloseTo(-0.5, 15);
    expect(down.z).toBeCloseTo(0, 15);
  });

  it('is a unit vector, written into `out`', () => {
    const out = { x: 9, y: 9, z: 9 };
    for (const [yaw, pitch] of [[0.4, 0.2], [-2.9, -1.3], [7, 1.45]] as const) {
      expect(cameraForward(yaw, pitch, out)).toBe(out);
      expect(Math.hypot(out.x, out.y, out.z)).toBeCloseTo(1, 15);
    }
  });
});
