import { describe, expect, it } from 'vitest';
import { throwLaunch } from '../../../../engine/runtime/plugin/throwLaunch.ts';

describe('throwLaunch', () => {
  it('throws along the view from in front of the capsule, with a little lift', () => {
    // Yaw 0, pitch 0 looks down −z; reach = 0.3 + radius + 0.25 = 0.7 for a 0.15 m ball.
    const { from, velocity } = throwLaunch({ x: 1, y: 2, z: 3, yaw: 0, pitch: 0 }, { x: 0, y: 0, z: 0 }, { radius: 0.15, speed: 10 });
    expect(from.x).toBeCloseTo(1, 12);
    expect(from.y).toBeCloseTo(2 - 0.15, 12);
    expect(from.z).toBeCloseTo(3 - 0.7, 12);
    expect(velocity.x).toBeCloseTo(0, 12);
    expect(velocity.y).toBeCloseTo(1.5, 12);
    expect(velocity.z).toBeCloseTo(-10, 12);
  });

  it('turns with the camera and adds the player velocity', () => {
    // Yaw +90° turns left: the view points down −x. Pitch 30° up: the horizontal part is cos 30°.
    const { from, velocity } = throwLaunch({ x: 0, y: 0, z: 0, yaw: Math.PI / 2, pitch: Math.PI / 6 }, { x: 1, y: 0, z: 2 }, { radius: 0.2, speed: 8 });
    const reach = 0.75;
    expect(from.x).toBeCloseTo(-Math.cos(Math.PI / 6) * reach, 12);
    expect(from.y).toBeCloseTo(-0.15 + 0.5 * reach, 12);
    expect(from.z).toBeCloseTo(0, 12);
    expect(velocity.x).toBeCloseTo(-Math.cos(Math.PI / 6) * 8 + 1, 12);
    expect(velocity.y).toBeCloseTo(0.5 * 8 + 1.5, 12);
    expect(velocity.z).toBeCloseTo(2, 12);
  });
});
