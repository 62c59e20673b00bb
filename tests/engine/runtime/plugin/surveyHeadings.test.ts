import { describe, expect, it } from 'vitest';
import { surveyHeadings } from '../../../../engine/runtime/plugin/surveyHeadings.ts';

describe('surveyHeadings', () => {
  it('turns the start pose through evenly spaced headings, level, leaving out the start view itself', () => {
    const poses = surveyHeadings({ x: 1, y: 1.6, z: -2, yaw: 0.5, pitch: 0.3 }, 4);
    expect(poses.map((p) => p.yaw)).toEqual([0.5 + Math.PI / 2, 0.5 + Math.PI, 0.5 + (3 * Math.PI) / 2].map((yaw) => expect.closeTo(yaw, 12)));
    for (const p of poses) expect([p.x, p.y, p.z, p.pitch]).toEqual([1, 1.6, -2, 0]);
    expect(surveyHeadings({ x: 0, y: 0, z: 0, yaw: 0, pitch: 0 }, 1)).toEqual([]);
  });
});
