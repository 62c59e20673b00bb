import { NextframeError } from './errors.ts';

// Scratch kept between calls (a display frame every tick allocates nothing): the horizontal
// pass's (3, H, Wd) image, grown as needed, and the taps of the last sizes used.
let _mid = new Float32Array(0);
const _taps = new Map<string, { index: Int32Array; weight: Float32Array }>();

/**
 * A CHW frame (3·H·W, any range) enlarged `scale` times per side with the Catmull-Rom cubic
 * (Keys, a = −0.5), edges clamped: the "bicubic" display frame every display-resolution number
 * stands beside, and the same filter the compositor's shader stretches a model frame with.
 * Output pixel X samples the input at (X + 0.5) / scale − 0.5 (pixel centres aligned).
 */
export function bicubicUpsample(frame: Float32Array, width: number, height: number, scale: number, out?: Float32Array): Float32Array {
  const n = width * height;
  if (!Number.isInteger(scale) || scale < 1) throw new NextframeError('bad-frame', `bicubicUpsample: scale must be a positive integer, found ${scale}.`);
  if (frame.length !== 3 * n) throw new NextframeError('bad-frame', `bicubicUpsample: expected a 3·${height}·${width} = ${3 * n} value CHW frame, found ${frame.length}.`);
  const wd = width * scale;
  const hd = height * scale;
  const nd = wd * hd;
  out ??= new Float32Array(3 * nd);
  if (out.length !== 3 * nd) throw new NextframeError('bad-frame', `bicubicUpsample: out must hold 3·${hd}·${wd} = ${3 * nd} values, found ${out.length}.`);
  const cols = cachedTaps(width, scale);
  const rows = cachedTaps(height, scale);
  // Horizontal pass into a (3, H, Wd) scratch, then vertical into out.
  if (_mid.length < 3 * height * wd) _mid = new Float32Array(3 * height * wd);
  const mid = _mid;
  for (let c = 0; c < 3; c++) {
    for (let j = 0; j < height; j++) {
      const src = c * n + j * width;
      const dst = (c * height + j) * wd;
      for (let X = 0; X < wd; X++) {
        const t = 4 * X;
        mid[dst + X] = frame[src + cols.index[t]!]! * cols.weight[t]! + frame[src + cols.index[t + 1]!]! * cols.weight[t + 1]! +
          frame[src + cols.index[t + 2]!]! * cols.weight[t + 2]! + frame[src + cols.index[t + 3]!]! * cols.weight[t + 3]!;
      }
    }
    for (let Y = 0; Y < hd; Y++) {
      const t = 4 * Y;
      const r0 = (c * height + rows.index[t]!) * wd;
      const r1 = (c * height + rows.index[t + 1]!) * wd;
      const r2 = (c * height + rows.index[t + 2]!) * wd;
      const r3 = (c * height + rows.index[t + 3]!) * wd;
      const w0 = rows.weight[t]!;
      const w1 = rows.weight[t + 1]!;
      const w2 = rows.weight[t + 2]!;
      const w3 = rows.weight[t + 3]!;
      const dst = c * nd + Y * wd;
      for (let X = 0; X < wd; X++) out[dst + X] = mid[r0 + X]! * w0 + mid[r1 + X]! * w1 + mid[r2 + X]! * w2 + mid[r3 + X]! * w3;
    }
  }
  return out;
}

/** `taps`, kept for the few sizes a program uses (a model's width and height). */
function cachedTaps(size: number, scale: number): { index: Int32Array; weight: Float32Array } {
  const key = `${size}x${scale}`;
  let found = _taps.get(key);
  if (!found) {
    if (_taps.size >= 8) _taps.clear();
    found = taps(size, scale);
    _taps.set(key, found);
  }
  return found;
}

/** For each of size·scale output positions, its 4 input indices (clamped) and Catmull-Rom weights. */
function taps(size: number, scale: number): { index: Int32Array; weight: Float32Array } {
  const count = size * scale;
  const index = new Int32Array(4 * count);
  const weight = new Float32Array(4 * count);
  for (let X = 0; X < count; X++) {
    const x = (X + 0.5) / scale - 0.5;
    const i = Math.floor(x);
    const f = x - i;
    for (let k = 0; k < 4; k++) {
      index[4 * X + k] = Math.min(Math.max(i - 1 + k, 0), size - 1);
      weight[4 * X + k] = catmullRom(f + 1 - k);
    }
  }
  return { index, weight };
}

/** The Catmull-Rom kernel (Keys' cubic with a = −0.5) at offset t. */
function catmullRom(t: number): number {
  const x = Math.abs(t);
  if (x <= 1) return 1.5 * x * x * x - 2.5 * x * x + 1;
  if (x < 2) return -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2;
  return 0;
}
