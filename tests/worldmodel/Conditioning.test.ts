import { describe, expect, it } from 'vitest';
import { assertView, checkStream, normaliseDepth } from '../../worldmodel/Conditioning.ts';

describe('Conditioning helpers', () => {
  it('normalises proxy depth by the far plane into [−1, 1], clamping beyond it', () => {
    expect(Array.from(normaliseDepth([0, 15, 30, 60, 600], 60, new Float32Array(5)))).toEqual([-1, -0.5, 0, 1, 1]);
  });

  it('accepts a view of H·W finite metres and says what a bad one should have been', () => {
    const pose = { x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 };
    expect(() => assertView({ pose, depth: new Float32Array(4).fill(3) }, 4)).not.toThrow();
    expect(() => assertView({ pose, depth: new Float32Array(3) }, 4)).toThrow(/view must be \{ pose: \{ x, y, z, yaw, pitch \}, depth: Float32Array of 4 metres \}/);
    expect(() => assertView({ pose, depth: Float32Array.from([1, 2, Number.NaN, 4]) }, 4)).toThrow(/"view\.depth" has NaN at index 2/);
    expect(() => checkStream(new Float32Array(2) as Float32Array, 3, 'memory', '4·H·W')).toThrow(/"memory" must be a Float32Array of 3 values \(4·H·W\)/);
  });
});
