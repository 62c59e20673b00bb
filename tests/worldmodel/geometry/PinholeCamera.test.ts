import { describe, expect, it } from 'vitest';
import { imagePlane, pixelRays, pixelU, pixelV, rayX, rayY } from '../../../worldmodel/geometry/PinholeCamera.ts';

describe('imagePlane', () => {
  it('spans tan(fov / 2) vertically and aspect times that horizontally', () => {
    const square = imagePlane(64, 64, 90);
    expect(square.tanY).toBeCloseTo(1, 15);
    expect(square.tanX).toBeCloseTo(1, 15);
    // tan 35° ≈ 0.70020753820971 (the manifest's 70° camera)
    const arena = imagePlane(64, 64, 70, 1);
    expect(arena.tanY).toBeCloseTo(0.7002075382097097, 15);
    expect(arena.tanX).toBe(arena.tanY);
    // 32 × 24 at 90°: the pixel grid sets the aspect, 4/3.
    const grid = imagePlane(32, 24, 90);
    expect([grid.width, grid.height]).toEqual([32, 24]);
    expect(grid.tanX).toBeCloseTo(4 / 3, 14);
    // A manifest aspect wins over the pixel grid (non-square pixels).
    expect(imagePlane(32, 24, 90, 2).tanX).toBeCloseTo(2, 14);
  });
});

describe('rayX / rayY', () => {
  it('run from the left edge to the right and from the top edge down, through the centre', () => {
    const { tanX, tanY } = imagePlane(8, 4, 90, 2); // tanX = 2, tanY = 1
    expect(rayX(0, 8, tanX)).toBeCloseTo(-2, 14);
    expect(rayX(4, 8, tanX)).toBe(0);
    expect(rayX(8, 8, tanX)).toBeCloseTo(2, 14);
    expect(rayY(0, 4, tanY)).toBeCloseTo(1, 14);
    expect(rayY(2, 4, tanY)).toBe(0);
    expect(rayY(4, 4, tanY)).toBeCloseTo(-1, 14);
    // A quarter of the width from the left: halfway to the left edge.
    expect(rayX(2, 8, tanX)).toBeCloseTo(-1, 14);
  });
});

describe('pixelRays', () => {
  it('gives every pixel centre its ray, row-major, row 0 at the top', () => {
    const plane = imagePlane(4, 2, 90, 2); // tanX = 2, tanY = 1
    const xs = new Float64Array(8);
    const ys = new Float64Array(8);
    pixelRays(plane, xs, ys);
    // Column centres 0.5 … 3.5 of 4 → (c / 4 · 2 − 1) · 2; row centres 0.5, 1.5 of 2 → (1 − r) · 1.
    const cols = [-1.5, -0.5, 0.5, 1.5];
    [...xs].forEach((x, p) => expect(x, `x of pixel ${p}`).toBeCloseTo(cols[p % 4]!, 14));
    [...ys].forEach((y, p) => expect(y, `y of pixel ${p}`).toBeCloseTo(p < 4 ? 0.5 : -0.5, 14));
  });

  it('fills float32 tables with the float64 values rounded', () => {
    const plane = imagePlane(5, 3, 70, 5 / 3);
    const x64 = new Float64Array(15);
    const y64 = new Float64Array(15);
    const x32 = new Float32Array(15);
    const y32 = new Float32Array(15);
    pixelRays(plane, x64, y64);
    pixelRays(plane, x32, y32);
    expect([...x32]).toEqual([...x64].map(Math.fround));
    expect([...y32]).toEqual([...y64].map(Math.fround));
    // An odd width puts the middle column's centre on the axis exactly.
    expect(x64[2]).toBe(0);
  });
});

describe('pixelU / pixelV', () => {
  it('put the image edges at −0.5 and size − 0.5, and invert the pixel rays at any depth', () => {
    const plane = imagePlane(8, 4, 90, 2);
    const { tanX, tanY } = plane;
    expect(pixelU(-2 * 3, 3, 8, tanX)).toBeCloseTo(-0.5, 12);
    expect(pixelU(2 * 3, 3, 8, tanX)).toBeCloseTo(7.5, 12);
    expect(pixelV(1 * 3, 3, 4, tanY)).toBeCloseTo(-0.5, 12);
    expect(pixelV(-1 * 3, 3, 4, tanY)).toBeCloseTo(3.5, 12);
    const xs = new Float64Array(32);
    const ys = new Float64Array(32);
    pixelRays(plane, xs, ys);
    for (let p = 0; p < 32; p++) {
      for (const d of [0.1, 2, 55]) {
        expect(pixelU(xs[p]! * d, d, 8, tanX)).toBeCloseTo(p % 8, 10);
        expect(pixelV(ys[p]! * d, d, 4, tanY)).toBeCloseTo(Math.floor(p / 8), 10);
      }
    }
  });
});
