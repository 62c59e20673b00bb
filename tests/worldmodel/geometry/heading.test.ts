import { describe, expect, it } from 'vitest';
import { headingAxes, headingError, headingTo } from '../../../worldmodel/geometry/heading.ts';

describe('headingAxes', () => {
  it('at yaw 0: forward −z, right +x; at yaw 90° (turned left): forward −x, right −z', () => {
    const zero = headingAxes(0);
    expect([zero.forwardX, zero.forwardZ, zero.rightX, zero.rightZ]).toEqual([-0, -1, 1, -0]);
    const left = headingAxes(Math.PI / 2);
    expect(left.forwardX).toBeCloseTo(-1, 15);
    expect(left.forwardZ).toBeCloseTo(0, 15);
    expect(left.rightX).toBeCloseTo(0, 15);
    expect(left.rightZ).toBeCloseTo(-1, 15);
  });

  it('are unit, perpendicular, right is forward turned clockwise from above, and written into `out`', () => {
    const out = headingAxes(0);
    for (const yaw of [0.3, -1.2, 2.9, 8]) {
      expect(headingAxes(yaw, out)).toBe(out);
      expect(Math.hypot(out.forwardX, out.forwardZ)).toBeCloseTo(1, 15);
      expect(out.forwardX * out.rightX + out.forwardZ * out.rightZ).toBeCloseTo(0, 15);
      // Clockwise from above (−y): (x, z) → (−z, x).
      expect(out.rightX).toBeCloseTo(-out.forwardZ, 15);
      expect(out.rightZ).toBeCloseTo(out.forwardX, 15);
    }
  });
});

describe('headingTo / headingError', () => {
  it('faces a direction, and the turn to a point is positive to the left', () => {
    expect(headingTo(0, -1)).toBeCloseTo(0, 15);
    expect(headingTo(-1, 0)).toBeCloseTo(Math.PI / 2, 15);
    expect(headingTo(1, 0)).toBeCloseTo(-Math.PI / 2, 15);
    const axes = headingAxes(2.5);
    expect(headingTo(axes.forwardX, axes.forwardZ)).toBeCloseTo(2.5, 14);
    // Facing −z from the origin, a point at (−1, −1) is 45° to the left.
    expect(headingError({ x: 0, y: 0, z: 0, yaw: 0, pitch: 0 }, { x: -1, z: -1 })).toBeCloseTo(Math.PI / 4, 15);
    expect(headingError({ x: 0, y: 0, z: 0, yaw: 3, pitch: 0 }, { x: 0, z: -1 })).toBeCloseTo(-3, 14);
  });
});
