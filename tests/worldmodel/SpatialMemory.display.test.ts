import { describe, expect, it } from 'vitest';
import { NextframeError } from '../../worldmodel/errors.ts';
import type { PinholeCamera } from '../../worldmodel/geometry/PinholeCamera.ts';
import type { Pose } from '../../worldmodel/geometry/Pose.ts';
import { SpatialMemory } from '../../worldmodel/SpatialMemory.ts';

// Model frames 16 × 12 at a 90° vertical field of view (focal length 6 px), display frames 3× that:
// 48 × 36 (focal length 18 px).
const CAM: PinholeCamera = { width: 16, height: 12, fovYDegrees: 90, near: 0.05, far: 60 };
const S = 3;
const W = CAM.width;
const H = CAM.height;
const N = W * H;
const WD = W * S;
const HD = H * S;
const ND = WD * HD;
const FOCAL_D = HD / 2;

const pose = (p: Partial<Pose> = {}): Pose => ({ x: 0, y: 0, z: 0, yaw: 0, pitch: 0, ...p });
const wall = (d: number): Float32Array => new Float32Array(N).fill(d);

/** A uint8 HWC display frame where neighbouring pixels and channels differ. */
function displayPattern(seed = 0): Uint8Array {
  const out = new Uint8Array(3 * ND);
  for (let i = 0; i < out.length; i++) out[i] = (((i + 7) * 2654435761 + seed * 40503) >>> 0) % 256;
  return out;
}

/** The model frame the display frame averages down to (CHW in [−1, 1]), as the recorder makes it. */
function averagedDown(display: Uint8Array): Float32Array {
  const out = new Float32Array(3 * N);
  for (let j = 0; j < H; j++) {
    for (let i = 0; i < W; i++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) sum += display[3 * ((j * S + y) * WD + i * S + x) + c]!;
        out[c * N + j * W + i] = sum / (S * S) / 127.5 - 1;
      }
    }
  }
  return out;
}

const byteValue = (img: Uint8Array, c: number, Y: number, X: number): number => img[3 * (Y * WD + X) + c]! / 127.5 - 1;
const at = (out: Float32Array, c: number, Y: number, X: number): number => out[c * ND + Y * WD + X]!;

function expectMemoryError(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(NextframeError);
  expect((caught as NextframeError).code).toBe('bad-memory');
  expect((caught as NextframeError).message).toMatch(message);
}

describe('SpatialMemory.renderDisplay', () => {
  it('gives back the display frame exactly from the pose it was seen from', () => {
    const display = displayPattern();
    const memory = new SpatialMemory(CAM, { displayScale: S });
    expect(memory.displaySize).toEqual({ width: WD, height: HD });
    memory.insert(averagedDown(display), wall(4), pose(), 0, { display });
    const out = memory.renderDisplay(pose(), wall(4));
    expect(out.length).toBe(4 * ND);
    for (let Y = 0; Y < HD; Y++) {
      for (let X = 0; X < WD; X++) {
        for (let c = 0; c < 3; c++) expect(at(out, c, Y, X)).toBeCloseTo(byteValue(display, c, Y, X), 5);
        expect(out[3 * ND + Y * WD + X]).toBe(1);
      }
    }
    expect(memory.lastDisplayCoverage).toBe(1);
  });

  it('shifts a wall by the display pixels the move predicts, uncovered where nothing was seen', () => {
    const display = displayPattern(1);
    const memory = new SpatialMemory(CAM, { displayScale: S });
    memory.insert(averagedDown(display), wall(4), pose(), 0, { display });
    // 1 m right with the wall at 4 m: the wall moves FOCAL_D · 1 / 4 = 4.5 display px left.
    const shift = FOCAL_D / 4;
    expect(shift).toBe(4.5);
    const out = memory.render(pose({ x: 1 }), wall(4)) && memory.renderDisplay(pose({ x: 1 }), wall(4));
    for (let Y = 0; Y < HD; Y++) {
      for (let X = 0; X < WD - 12; X++) {
        // Halfway between two pixels: their mean.
        for (let c = 0; c < 3; c++) expect(at(out, c, Y, X)).toBeCloseTo((byteValue(display, c, Y, X + 4) + byteValue(display, c, Y, X + 5)) / 2, 5);
      }
      // The model pixels the lookup found nothing for (centres 1.5 px from the right edge or closer: the last two columns), 0 there.
      for (let X = WD - 2 * S; X < WD; X++) {
        expect(out[3 * ND + Y * WD + X]).toBe(0);
        expect(at(out, 0, Y, X)).toBe(0);
      }
    }
    expect(memory.lastDisplayCoverage).toBeCloseTo((W - 2) / W, 12);
  });

  it('with the confidence channel, marks covered pixels with the score memory chose them by: 1 for a real frame, the painted frame\'s confidence for a painted one', () => {
    const memory = new SpatialMemory(CAM, { displayScale: S, paintedDecay: 0.9, paintedFresh: 0.25 });
    memory.insert(averagedDown(displayPattern(3)), wall(4), pose(), 0, { display: displayPattern(3) });
    const real = memory.renderDisplay(pose(), wall(4), undefined, 'confidence');
    expect(real.subarray(3 * ND).every((c) => c === 1)).toBe(true);
    // Turned so the left half of the view is new: painted there, the model frame is remembered at
    // paintedFresh (nothing under it); where it repainted the real frame, at paintedDecay × 1.
    memory.clear();
    memory.insert(averagedDown(displayPattern(3)), wall(4), pose(), 0, { display: displayPattern(3) });
    const turned = pose({ yaw: Math.atan(0.5) }); // the wall's left edge moves 3 model px to the right
    memory.insert(averagedDown(displayPattern(4)), wall(4), turned, 1, { painted: true, display: displayPattern(4) });
    const cover = memory.renderDisplay(turned, wall(4));
    const confidence = memory.renderDisplay(turned, wall(4), undefined, 'confidence');
    const marks = new Set<number>();
    for (let q = 0; q < ND; q++) {
      const c = confidence[3 * ND + q]!;
      expect(c > 0).toBe(cover[3 * ND + q] === 1); // covered the same pixels as coverage says
      marks.add(Math.round(c * 1000) / 1000);
    }
    // Where the real frame covers, its score 1 beats the painted frame's 0.9 there; the rest shows
    // the painted frame at paintedFresh.
    expect([...marks].sort()).toEqual([0.25, 1]);
  });

  it('samples the model frame bilinearly where a keyframe has no display frame', () => {
    const frame = averagedDown(displayPattern(2));
    const memory = new SpatialMemory(CAM, { displayScale: S });
    memory.insert(frame, wall(4), pose(), 0);
    const out = memory.renderDisplay(pose(), wall(4));
    // Display pixel (X, Y) centre lies at model pixel ((X + 0.5) / S − 0.5, …), clamped at the edges.
    for (const [X, Y] of [[7, 10], [0, 0], [WD - 1, HD - 1], [20, 5]] as const) {
      const u = Math.min(Math.max((X + 0.5) / S - 0.5, 0), W - 1);
      const v = Math.min(Math.max((Y + 0.5) / S - 0.5, 0), H - 1);
      const i0 = Math.floor(u);
      const j0 = Math.floor(v);
      const i1 = Math.min(i0 + 1, W - 1);
      const j1 = Math.min(j0 + 1, H - 1);
      const fx = u - i0;
      const fy = v - j0;
      for (let c = 0; c < 3; c++) {
        const f = (j: number, i: number): number => frame[c * N + j * W + i]!;
        const expected = (f(j0, i0) * (1 - fx) + f(j0, i1) * fx) * (1 - fy) + (f(j1, i0) * (1 - fx) + f(j1, i1) * fx) * fy;
        expect(at(out, c, Y, X)).toBeCloseTo(expected, 5);
      }
    }
  });

  it('keeps a float display frame (CHW in [−1, 1]) as the nearest byte', () => {
    const memory = new SpatialMemory(CAM, { displayScale: S });
    const display = new Float32Array(3 * ND);
    display.fill(-1, 0, ND); // red: 0
    display.fill(0.5, ND, 2 * ND); // green: 191.25 → 191
    display.fill(2, 2 * ND); // blue: clamped to 255
    memory.insert(new Float32Array(3 * N), wall(4), pose(), 0, { display, painted: true });
    const out = memory.renderDisplay(pose(), wall(4));
    expect(at(out, 0, 3, 3)).toBeCloseTo(-1, 6);
    expect(at(out, 1, 3, 3)).toBeCloseTo(191 / 127.5 - 1, 6);
    expect(at(out, 2, 3, 3)).toBeCloseTo(1, 6);
  });

  it('does not blend a near and a far surface across a depth edge', () => {
    const display = displayPattern(3);
    const depth = wall(4);
    for (let j = 0; j < H; j++) for (let i = W / 2; i < W; i++) depth[j * W + i] = 40; // right half far away
    const memory = new SpatialMemory(CAM, { displayScale: S });
    memory.insert(averagedDown(display), depth, pose(), 0, { display });
    const out = memory.renderDisplay(pose(), depth);
    // Same pose: whatever depth each pixel takes, it lands on itself, so the edge columns come back exactly.
    for (const X of [W / 2 * S - 2, W / 2 * S - 1, W / 2 * S, W / 2 * S + 1]) {
      for (let c = 0; c < 3; c++) expect(at(out, c, 17, X)).toBeCloseTo(byteValue(display, c, 17, X), 5);
    }
  });

  it('saves and restores display frames', () => {
    const memory = new SpatialMemory(CAM, { displayScale: S });
    const display = displayPattern(4);
    memory.insert(averagedDown(display), wall(4), pose(), 0, { display });
    memory.insert(averagedDown(displayPattern(5)), wall(5), pose({ x: 3, yaw: 1 }), 1);
    const restored = SpatialMemory.fromBytes(Buffer.from(memory.toBytes()));
    expect(restored.options.displayScale).toBe(S);
    expect(Array.from(restored.renderDisplay(pose({ x: 0.4 }), wall(4)))).toEqual(Array.from(memory.renderDisplay(pose({ x: 0.4 }), wall(4))));
    expect(restored.toBytes()).toEqual(memory.toBytes());
    const bytes = memory.toBytes();
    expectMemoryError(() => SpatialMemory.fromBytes(bytes.slice(0, bytes.length - 1)), /1 with display frames/);
  });

  it('refuses display frames it cannot keep, saying what it expected', () => {
    expectMemoryError(() => new SpatialMemory(CAM).insert(new Float32Array(3 * N), wall(4), pose(), 0, { display: new Uint8Array(3 * ND) }), /keeps none \(displayScale 1\).*displayScale: 4/);
    const memory = new SpatialMemory(CAM, { displayScale: S });
    expectMemoryError(() => memory.insert(new Float32Array(3 * N), wall(4), pose(), 0, { display: new Uint8Array(3 * N) }), new RegExp(`display must hold 3·${HD}·${WD} = ${3 * ND} values \\(3× the model's 16 × 12\\), found ${3 * N}`));
    expect(memory.size).toBe(0);
    expectMemoryError(() => new SpatialMemory(CAM, { displayScale: 2.5 }), /displayScale must be an integer from 1/);
    expectMemoryError(() => memory.renderDisplay(pose(), wall(4), new Float32Array(4 * N)), new RegExp(`out must hold 4·${HD}·${WD}`));
    expectMemoryError(() => memory.renderDisplay(pose(), new Float32Array(ND)), /renderDisplay: depth must hold H·W = 192 values \(metres, at model resolution\)/);
  });
});
