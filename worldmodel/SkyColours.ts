import { cameraDirectionToWorld, poseTransform, type PoseTransform } from './geometry/PoseTransform.ts';
import type { Pose, XYZ } from './geometry/Pose.ts';

/** Elevation bands, one per degree from straight down to straight up. */
export const SKY_BANDS = 180;
/** A band no real view has seen takes the nearest seen band up to this many degrees away. */
export const SKY_REACH = 12;

const _dir: XYZ = { x: 0, y: 0, z: 0 };

/**
 * Per pixel of a w × h depth image, 1 where it and its 4-neighbours (those inside the image) are
 * sky (depth ≥ far), into `out`. A sky pixel beside a surface is a silhouette's edge: the ray
 * through its centre missed the surface, but its colour (rendered supersampled) holds part of it.
 * So the sky's colours learn only from core pixels, and core sky in a view is looked up only
 * where a keyframe saw core sky (`SpatialMemory`): where a floor's edge has moved with the player,
 * the void past it shows the void, not the edge's half-floor colour.
 */
export function skyCore(depth: Float32Array, w: number, h: number, far: number, out: Uint8Array = new Uint8Array(w * h)): Uint8Array {
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const p = j * w + i;
      out[p] = depth[p]! >= far
        && (i === 0 || depth[p - 1]! >= far) && (i === w - 1 || depth[p + 1]! >= far)
        && (j === 0 || depth[p - w]! >= far) && (j === h - 1 || depth[p + w]! >= far) ? 1 : 0;
    }
  }
  return out;
}

/** Per pixel of a depth image, 1 where it is sky (depth ≥ far). */
export function anySky(depth: Float32Array, far: number, out: Uint8Array = new Uint8Array(depth.length)): Uint8Array {
  for (let p = 0; p < depth.length; p++) out[p] = depth[p]! >= far ? 1 : 0;
  return out;
}

/**
 * The sky's mean colour by elevation, from the real frames a memory was given: what a view that
 * turns to sky no real view held should show there. Skies change with elevation (a gradient to
 * the horizon, fog near it) far more than with heading, and a game's background colour does not
 * change at all, so one mean per degree of elevation is a better guess than anything a model
 * frame can carry over from a view of something else. Sky pixels are those whose proxy depth
 * reaches the camera's far plane; only those away from any surface (`skyCore`) are learned from.
 */
export class SkyColours {
  /** Per band: the sums of R, G, B and the pixel count. */
  private readonly sums = new Float64Array(4 * SKY_BANDS);
  private seen = 0;
  /** Per band, the band whose mean it shows (−1: none within SKY_REACH); rebuilt after learning. */
  private readonly nearest = new Int16Array(SKY_BANDS).fill(-1);
  private stale = false;
  private readonly core: Uint8Array;

  /**
   * @param xc, yc: per pixel, the camera-space ray (xc, yc, −1) through its centre.
   * @param width: the image's width (pixels); its height is xc.length / width.
   * @param far: the camera's far plane (metres); depth at or past it is sky.
   */
  constructor(private readonly xc: Float64Array, private readonly yc: Float64Array, private readonly width: number, private readonly far: number) {
    this.core = new Uint8Array(xc.length);
  }

  clear(): void {
    this.sums.fill(0);
    this.seen = 0;
    this.nearest.fill(-1);
    this.stale = false;
  }

  /** What it has learned (per band: the sums of R, G, B and the pixel count), for a saved memory. */
  sumsCopy(): Float64Array {
    return Float64Array.from(this.sums);
  }

  /** Take back what `sumsCopy` gave (4 · SKY_BANDS values). */
  restore(sums: Float64Array): void {
    if (sums.length !== this.sums.length) throw new RangeError(`SkyColours.restore: expected ${this.sums.length} values, found ${sums.length}`);
    this.sums.set(sums);
    this.seen = 0;
    for (let b = 0; b < SKY_BANDS; b++) this.seen += sums[4 * b + 3]!;
    this.stale = true;
  }

  /** Add a real frame's sky pixels away from surfaces (CHW in [−1, 1], its depth and pose). */
  learn(frame: Float32Array, depth: Float32Array, pose: Readonly<Pose>): void {
    const n = depth.length;
    const t = poseTransform(pose);
    const core = skyCore(depth, this.width, n / this.width, this.far, this.core);
    const before = this.seen;
    for (let p = 0; p < n; p++) {
      if (!core[p]) continue;
      const o = 4 * this.band(t, p);
      this.sums[o]! += frame[p]!;
      this.sums[o + 1]! += frame[n + p]!;
      this.sums[o + 2]! += frame[2 * n + p]!;
      this.sums[o + 3]! += 1;
      this.seen++;
    }
    if (this.seen > before) this.stale = true;
  }

  /**
   * Paint the sky pixels of a view (depth at or past far) where `take(p)` says so with their
   * band's mean colour, as covered: `out` is a memory stream (RGB in [−1, 1] then coverage).
   */
  paint(depth: Float32Array, pose: Readonly<Pose>, out: Float32Array, take: (p: number) => boolean): void {
    if (this.seen === 0) return;
    if (this.stale) this.findNearest();
    const n = depth.length;
    const t = poseTransform(pose);
    for (let p = 0; p < n; p++) {
      if (!(depth[p]! >= this.far) || !take(p)) continue;
      const b = this.nearest[this.band(t, p)]!;
      if (b < 0) continue;
      const o = 4 * b;
      const count = this.sums[o + 3]!;
      out[p] = this.sums[o]! / count;
      out[n + p] = this.sums[o + 1]! / count;
      out[2 * n + p] = this.sums[o + 2]! / count;
      out[3 * n + p] = 1;
    }
  }

  /** The elevation band of pixel p's ray in the world. */
  private band(t: Readonly<PoseTransform>, p: number): number {
    const x = this.xc[p]!, y = this.yc[p]!;
    cameraDirectionToWorld(t, x, y, -1, _dir);
    // sqrt, not hypot: models/memory.py computes the same float64 value.
    const elevation = Math.asin(Math.max(-1, Math.min(1, _dir.y / Math.sqrt(x * x + y * y + 1))));
    return Math.min(SKY_BANDS - 1, Math.floor(((elevation + Math.PI / 2) / Math.PI) * SKY_BANDS));
  }

  private findNearest(): void {
    for (let b = 0; b < SKY_BANDS; b++) {
      let pick = -1;
      for (let d = 0; d <= SKY_REACH && pick < 0; d++) {
        if (b - d >= 0 && this.sums[4 * (b - d) + 3]! > 0) pick = b - d;
        else if (b + d < SKY_BANDS && this.sums[4 * (b + d) + 3]! > 0) pick = b + d;
      }
      this.nearest[b] = pick;
    }
    this.stale = false;
  }
}
