import { describe, expect, it } from 'vitest';
import { angleGap, copyPose, wrapAngle } from '../../../worldmodel/geometry/Pose.ts';

describe('wrapAngle', () => {
  it('wraps to (−π, π]', () => {
    expect(wrapAngle(0.5)).toBe(0.5);
    expect(wrapAngle(-Math.PI)).toBe(Math.PI);
    expect(wrapAngle(2 * Math.PI + 0.25)).toBeCloseTo(0.25, 14);
    expect(wrapAngle(-3 * Math.PI / 2)).toBeCloseTo(Math.PI / 2, 14);
  });
});

describe('angleGap', () => {
  it('is the unsigned angle between two headings, the short way round', () => {
    expect(angleGap(0.1, -0.1)).toBeCloseTo(0.2, 14);
    expect(angleGap(-0.1, 0.1)).toBeCloseTo(0.2, 14);
    // Across ±π: 0.2 apart, not 2π − 0.2.
    expect(angleGap(Math.PI - 0.1, -Math.PI + 0.1)).toBeCloseTo(0.2, 14);
    expect(angleGap(1, 1 + 4 * Math.PI)).toBeCloseTo(0, 12);
    expect(angleGap(0, Math.PI)).toBeCloseTo(Math.PI, 14);
    for (const [a, b] of [[0.3, 2.9], [-5, 4], [10, -0.2]] as const) expect(angleGap(a, b)).toBeCloseTo(Math.abs(wrapAngle(a - b)), 12);
  });
});

describe('copyPose', () => {
  it('copies every field into `out` and returns it', () => {
    const out = { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 };
    expect(copyPose({ x: 1, y: 2, z: 3, yaw: 4, pitch: 5 }, out)).toBe(out);
    expect(out).toEqual({ x: 1, y: 2, z: 3, yaw: 4, pitch: 5 });
  });
});
