import { describe, expect, it } from 'vitest';
import { ColourServoPolicy } from '../../../../engine/sandbox/policies/ColourServoPolicy.ts';
import { findColour } from '../../../../engine/sandbox/policies/findColour.ts';
import type { Observation } from '../../../../engine/sandbox/types.ts';

const W = 64;
const H = 64;
const RED = 0xe0262b;

/** Floor-coloured image with a shaded red rectangle at columns [c0, c1). */
function imageWithBlob(c0: number, c1: number, rgb: [number, number, number] = [150, 25, 29]): Uint8Array {
  const image = new Uint8Array(W * H * 3);
  for (let p = 0; p < W * H; p++) image.set([205, 183, 140], 3 * p);
  for (let row = 10; row < 50; row++) for (let col = c0; col < c1; col++) image.set(rgb, 3 * (row * W + col));
  return image;
}

function observation(image: Uint8Array): Observation {
  return {
    image,
    width: W,
    height: H,
    proprio: { pose: { x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 }, velocity: [0, 0], tick: 0 },
    instruction: 'walk to the red pillar',
    target: { id: 'pillar-red', color: RED },
  };
}

describe('findColour', () => {
  it('finds a shaded blob of the target hue and its centroid', () => {
    const blob = findColour(imageWithBlob(48, 56), W, H, RED);
    expect(blob.count).toBe(8 * 40);
    expect(blob.x).toBeCloseTo((2 * 51.5 + 1) / W - 1, 6); // mean column 51.5
    expect(blob.bottom).toBeCloseTo((2 * 49 + 1) / H - 1, 6);
  });

  it('does not take the orange ball or the pink wall for the red pillar', () => {
    expect(findColour(imageWithBlob(20, 40, [255, 90, 31]), W, H, RED).count).toBe(0);
    expect(findColour(imageWithBlob(20, 40, [210, 79, 142]), W, H, RED).count).toBe(0);
  });

  it('rejects an image of the wrong size', () => {
    expect(() => findColour(new Uint8Array(10), W, H, RED)).toThrow(/expected 12288 bytes/);
  });
});

describe('ColourServoPolicy', () => {
  const policy = new ColourServoPolicy();

  it('turns right toward a blob on the right, without walking', () => {
    const action = policy.act(observation(imageWithBlob(50, 60)));
    expect(action.yawRate).toBeLessThan(-1); // negative yaw turns right
    expect(action.forward).toBe(0);
  });

  it('turns left toward a blob on the left', () => {
    expect(policy.act(observation(imageWithBlob(2, 12))).yawRate).toBeGreaterThan(1);
  });

  it('walks when the blob is centred', () => {
    const action = policy.act(observation(imageWithBlob(28, 36)));
    expect(action.forward).toBe(1);
    expect(Math.abs(action.yawRate)).toBeLessThan(0.1);
  });

  it('spins to search when the colour is nowhere', () => {
    const action = policy.act(observation(imageWithBlob(0, 0)));
    expect(action.forward).toBe(0);
    expect(action.yawRate).toBe(1.5);
  });
});
