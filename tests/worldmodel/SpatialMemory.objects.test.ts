import { describe, expect, it } from 'vitest';
import type { PinholeCamera } from '../../worldmodel/geometry/PinholeCamera.ts';
import { SpatialMemory } from '../../worldmodel/SpatialMemory.ts';

// 8 × 8 frames. View A looks down −z at a wall 6 m ahead; view B looks the other way, at a wall
// 6 m behind A: nothing A saw is in B's view.
const CAM: PinholeCamera = { width: 8, height: 8, fovYDegrees: 70, near: 0.05, far: 60 };
const N = CAM.width * CAM.height;
const poseA = { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 };
const poseB = { x: 0, y: 0, z: 0, yaw: Math.PI, pitch: 0 };
const depthA = new Float32Array(N).fill(6);
const depthB = new Float32Array(N).fill(6);

/** Per pixel of a view, which object it shows: the left half `left`, the right half `right`. */
function halves(left: number, right: number): Float64Array {
  return Float64Array.from({ length: N }, (_, p) => (p % CAM.width < CAM.width / 2 ? left : right));
}
// A shows object 1 on the left, object 2 on the right; B shows object 1 on the left and object 3,
// which no real view held, on the right.
const objectsA = halves(1, 2);
const objectsB = halves(1, 3);
const source = (depth: Float32Array): Float64Array | null => (depth === depthA ? objectsA : depth === depthB ? objectsB : null);

/** A CHW frame: RGB `left` on the left half, `right` on the right. */
function frame(left: [number, number, number], right: [number, number, number]): Float32Array {
  const out = new Float32Array(3 * N);
  for (let p = 0; p < N; p++) for (let c = 0; c < 3; c++) out[c * N + p] = p % CAM.width < CAM.width / 2 ? left[c]! : right[c]!;
  return out;
}
const pixel = (stream: Float32Array, p: number): number[] => [stream[p]!, stream[N + p]!, stream[2 * N + p]!, stream[3 * N + p]!];
const LEFT = 2; // a pixel of the left half
const RIGHT = 5; // and of the right

describe('SpatialMemory object colours', () => {
  it('gives a pixel of an object it saw in a real frame that object\'s colour, as covered, where nothing covers it', () => {
    const memory = new SpatialMemory(CAM);
    memory.objectsOf = source;
    memory.insert(frame([0.5, -0.5, 0.25], [-0.75, 0, 0]), depthA, poseA, 0);
    const out = memory.render(poseB, depthB);
    expect(pixel(out, LEFT)).toEqual([0.5, -0.5, 0.25, 1]); // object 1: its colour in view A
    expect(pixel(out, RIGHT)).toEqual([0, 0, 0, 0]); // object 3: never seen, still uncovered
    expect(memory.lastCoverage).toBe(0); // what memory itself covered: nothing
  });

  it('ranks the colour over a frame painted over nothing (0.5), under a real view (1) and with objectPrior 0 not at all', () => {
    const memory = new SpatialMemory(CAM);
    memory.objectsOf = source;
    memory.insert(frame([0.5, -0.5, 0.25], [-0.75, 0, 0]), depthA, poseA, 0);
    // The model paints B grey where nothing was: confidence 0.5, under the 0.55 prior.
    memory.insert(frame([0.1, 0.1, 0.1], [0.1, 0.1, 0.1]), depthB, poseB, 1, { painted: true });
    let out = memory.render(poseB, depthB);
    expect(pixel(out, LEFT)).toEqual([0.5, -0.5, 0.25, 1]);
    expect(pixel(out, RIGHT).map((v) => Math.fround(v))).toEqual([0.1, 0.1, 0.1, 1].map(Math.fround)); // object 3: the painted frame
    // A real view of B outranks it.
    memory.insert(frame([-0.25, 0.75, 0], [0.3, 0.3, 0.3]), depthB, poseB, 2);
    out = memory.render(poseB, depthB);
    expect(pixel(out, LEFT)).toEqual([-0.25, 0.75, 0, 1]);
    // Off: the painted frame again.
    const off = new SpatialMemory(CAM, { objectPrior: 0 });
    off.objectsOf = source;
    off.insert(frame([0.5, -0.5, 0.25], [-0.75, 0, 0]), depthA, poseA, 0);
    off.insert(frame([0.1, 0.1, 0.1], [0.1, 0.1, 0.1]), depthB, poseB, 1, { painted: true });
    expect(pixel(off.render(poseB, depthB), LEFT).map((v) => Math.fround(v))).toEqual([0.1, 0.1, 0.1, 1].map(Math.fround));
  });

  it('averages an object over the real frames that showed it, learns nothing from painted frames, and forgets on clear', () => {
    const memory = new SpatialMemory(CAM);
    memory.objectsOf = source;
    memory.insert(frame([0.5, 0, 0], [0, 0, 0]), depthA, poseA, 0);
    memory.insert(frame([-0.5, 1, 0], [0, 0, 0]), depthA, poseA, 1);
    memory.insert(frame([0.9, 0.9, 0.9], [0.9, 0.9, 0.9]), depthA, poseA, 2, { painted: true });
    // Rendered from B with no memory of B: object 1 is the mean of the two real frames.
    expect(pixel(memory.render(poseB, depthB), LEFT)).toEqual([0, 0.5, 0, 1]);
    memory.clear();
    memory.insert(frame([0, 0, 0], [0, 0, 0]), new Float32Array(N).fill(6), poseA, 0); // a depth with no objects known
    expect(pixel(memory.render(poseB, depthB), LEFT)).toEqual([0, 0, 0, 0]);
  });

  it('refuses an objectPrior outside [0, 1]', () => {
    expect(() => new SpatialMemory(CAM, { objectPrior: 1.5 })).toThrow(/objectPrior must be a score in \[0, 1\]/);
  });
});
