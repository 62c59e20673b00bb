import { describe, expect, it } from 'vitest';
import type { PinholeCamera } from '../../worldmodel/geometry/PinholeCamera.ts';
import { SpatialMemory } from '../../worldmodel/SpatialMemory.ts';

// 16 × 16 frames, 60° field of view. View A looks down −z; view B has turned half round (yaw π):
// no ray of B passes near a ray of A, so nothing A saw covers B. A sees sky above its middle row
// and ground 3 m away below it; B sees sky everywhere (depth past far).
const CAM: PinholeCamera = { width: 16, height: 16, fovYDegrees: 60, near: 0.05, far: 60 };
const N = CAM.width * CAM.height;
const poseA = { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 };
const poseB = { x: 0, y: 0, z: 0, yaw: Math.PI, pitch: 0 };
const row = (p: number): number => Math.floor(p / CAM.width);
const depthA = Float32Array.from({ length: N }, (_, p) => (row(p) < CAM.height / 2 ? CAM.far : 3));
const skyAll = new Float32Array(N).fill(CAM.far * 2); // past far is sky too

/** A CHW frame of A: the sky's red channel falls row by row (a gradient to the horizon), the ground grey. */
const skyRed = (j: number): number => 0.9 - 0.1 * j;
function frameA(): Float32Array {
  const out = new Float32Array(3 * N);
  for (let p = 0; p < N; p++) {
    const sky = row(p) < CAM.height / 2;
    out[p] = sky ? skyRed(row(p)) : 0.2;
    out[N + p] = sky ? -0.5 : 0.2;
    out[2 * N + p] = sky ? 0.25 : 0.2;
  }
  return out;
}
const pixel = (stream: Float32Array, p: number): number[] => [stream[p]!, stream[N + p]!, stream[2 * N + p]!, stream[3 * N + p]!];

describe('SpatialMemory sky colours', () => {
  it('gives sky no real view held the colour real frames showed at the same elevation, as covered', () => {
    const memory = new SpatialMemory(CAM);
    memory.insert(frameA(), depthA, poseA, 0);
    const out = memory.render(poseB, skyAll);
    for (let j = 0; j < CAM.height / 2 - 1; j++) {
      // The same row of a level view is the same elevation: row j's colour, exactly.
      expect(pixel(out, j * CAM.width + 5).map(Math.fround)).toEqual([skyRed(j), -0.5, 0.25, 1].map(Math.fround));
    }
    // A's last sky row touches the ground (skyCore: its colour may hold part of it), so it taught
    // nothing; that row takes the nearest band learned, the row above's.
    const last = CAM.height / 2 - 1;
    expect(pixel(out, last * CAM.width + 5).map(Math.fround)).toEqual([skyRed(last - 1), -0.5, 0.25, 1].map(Math.fround));
    // Below the horizon A saw ground, not sky; the nearest sky band is within 12° of the rows just
    // under it, and none is for the bottom row (about 28° down).
    expect(pixel(out, (CAM.height / 2) * CAM.width + 5)[3]).toBe(1);
    expect(pixel(out, (CAM.height - 1) * CAM.width + 5)).toEqual([0, 0, 0, 0]);
    expect(memory.lastCoverage).toBe(0); // what the keyframes covered: nothing
  });

  it('keys the colour by elevation in the world: a view pitched up shows higher sky in its lower rows', () => {
    const memory = new SpatialMemory(CAM);
    memory.insert(frameA(), depthA, poseA, 0);
    // Pitched up by 3.75° (one row of this 60°, 16-row view, near the centre), turned round.
    const up = memory.render({ ...poseB, pitch: (3.75 * Math.PI) / 180 }, skyAll);
    const level = memory.render(poseB, skyAll);
    // Row 7 pitched up looks about where row 6 looked level.
    expect(up[7 * CAM.width + 5]).toBeCloseTo(level[6 * CAM.width + 5]!, 6);
  });

  it('never paints over what real or painted views hold, learns nothing from painted frames, and is off with objectPrior 0', () => {
    const memory = new SpatialMemory(CAM);
    memory.insert(frameA(), depthA, poseA, 0);
    // A real view of B's sky outranks the sky colour.
    const blue = new Float32Array(3 * N).fill(-1);
    blue.fill(1, 2 * N);
    const bothSky = new SpatialMemory(CAM);
    bothSky.insert(frameA(), depthA, poseA, 0);
    bothSky.insert(blue, skyAll, poseB, 1);
    expect(pixel(bothSky.render(poseB, skyAll), 3 * CAM.width + 5)).toEqual([-1, -1, 1, 1]);
    // A painted frame scores 0.9 × what it was painted over, at least 0.5: painted over the sky
    // colour (nothing covered it) it scores 0.5, under the prior, and the sky colour stays.
    memory.insert(blue, skyAll, poseB, 1, { painted: true });
    expect(pixel(memory.render(poseB, skyAll), 3 * CAM.width + 5).map(Math.fround)).toEqual([skyRed(3), -0.5, 0.25, 1].map(Math.fround));
    // A painted frame teaches no sky: a memory given only painted frames has none.
    const paintedOnly = new SpatialMemory(CAM);
    paintedOnly.insert(frameA(), depthA, poseA, 0, { painted: true });
    expect(pixel(paintedOnly.render(poseB, skyAll), 3 * CAM.width + 5)).toEqual([0, 0, 0, 0]);
    const off = new SpatialMemory(CAM, { objectPrior: 0 });
    off.insert(frameA(), depthA, poseA, 0);
    expect(pixel(off.render(poseB, skyAll), 3 * CAM.width + 5)).toEqual([0, 0, 0, 0]);
  });

  it('takes no colour from sky beside a surface, where a silhouette\'s edge pixel holds part of it', () => {
    // K: a wall on the left half, blue sky on the right; K's sky column next to the wall is the
    // wall's edge (its ray missed the wall, its supersampled colour did not: purple). Seen again
    // with the wall gone (as the void past a floor's edge is, once the player has moved), that
    // column and the wall's show the sky's blue, not purple.
    const half = Float32Array.from({ length: N }, (_, p) => (p % CAM.width < CAM.width / 2 ? 4 : CAM.far));
    const k = new Float32Array(3 * N);
    for (let p = 0; p < N; p++) {
      const i = p % CAM.width;
      const colour = i < CAM.width / 2 ? [0, 0, 0] : i === CAM.width / 2 ? [0.5, -1, 0.5] : [-1, -1, 1];
      for (let c = 0; c < 3; c++) k[c * N + p] = colour[c]!;
    }
    const memory = new SpatialMemory(CAM);
    memory.insert(k, half, poseA, 0);
    const out = memory.render(poseA, skyAll);
    for (const i of [CAM.width / 2 - 1, CAM.width / 2, CAM.width / 2 + 3]) {
      const [r, g, b, covered] = pixel(out, 4 * CAM.width + i);
      expect([r, g, b, covered]).toEqual([-1, -1, 1, 1]);
    }
  });

  it('forgets the sky on clear(), and a saved memory keeps it though the keyframe that taught it is gone', () => {
    // Capacity 1: the ground-only view C evicts A, whose sky the colours were learned from.
    const memory = new SpatialMemory(CAM, { capacity: 1, keepRecent: 1 });
    memory.insert(frameA(), depthA, poseA, 0);
    const poseC = { ...poseA, pitch: -1.2 };
    memory.insert(new Float32Array(3 * N).fill(0.2), new Float32Array(N).fill(2), poseC, 1);
    expect(memory.ticks).toEqual([1]);
    const before = memory.render(poseB, skyAll);
    expect(pixel(before, 2 * CAM.width + 5)).toEqual([skyRed(2), -0.5, 0.25, 1].map(Math.fround));
    const restored = SpatialMemory.fromBytes(memory.toBytes());
    expect(restored.render(poseB, skyAll)).toEqual(before);
    memory.clear();
    expect(memory.render(poseB, skyAll).every((v) => v === 0)).toBe(true);
  });

  it('keeps objectPrior in a saved memory, and reads format 3 (no sky saved: the real keyframes kept teach it again)', () => {
    const off = new SpatialMemory(CAM, { objectPrior: 0 });
    off.insert(frameA(), depthA, poseA, 0);
    expect(SpatialMemory.fromBytes(off.toBytes()).options.objectPrior).toBe(0);

    const memory = new SpatialMemory(CAM);
    memory.insert(frameA(), depthA, poseA, 0);
    const bytes = memory.toBytes();
    // Format 3 as it was written: 18 header values (no objectPrior), nothing after the keyframes.
    const v3 = new Uint8Array(bytes.length - 8 - 4 * 180 * 8);
    v3.set(bytes.subarray(0, 18 * 8), 0);
    v3.set(bytes.subarray(19 * 8, bytes.length - 4 * 180 * 8), 18 * 8);
    new DataView(v3.buffer).setFloat64(8, 3, true);
    const restored = SpatialMemory.fromBytes(v3);
    expect(restored.ticks).toEqual([0]);
    expect(restored.render(poseB, skyAll)).toEqual(memory.render(poseB, skyAll));
  });
});
