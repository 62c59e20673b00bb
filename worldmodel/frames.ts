import { NextframeError } from './errors.ts';

/**
 * Conversions between the model's frame layout (CHW float32 in [−1, 1], row 0 at the top)
 * and the byte layouts of canvases (RGBA) and datasets (HWC RGB).
 */

/** RGBA bytes (canvas ImageData, WebGL read-back) → CHW frame. */
export function rgbaToFrame(rgba: ArrayLike<number>, width: number, height: number, out: Float32Array = new Float32Array(3 * width * height)): Float32Array {
  return packedToFrame(rgba, 4, width, height, out, 'rgbaToFrame');
}

/** HWC RGB bytes (dataset `frames.npy`) → CHW frame. */
export function rgbToFrame(rgb: ArrayLike<number>, width: number, height: number, out: Float32Array = new Float32Array(3 * width * height)): Float32Array {
  return packedToFrame(rgb, 3, width, height, out, 'rgbToFrame');
}

/** CHW frame → RGBA bytes, alpha 255. */
export function frameToRGBA(frame: Float32Array, width: number, height: number, out: Uint8ClampedArray = new Uint8ClampedArray(4 * width * height)): Uint8ClampedArray {
  const n = width * height;
  if (frame.length !== 3 * n) throw new NextframeError('bad-frame', `frameToRGBA: expected ${3 * n} values (3×${height}×${width}), found ${frame.length}.`);
  for (let p = 0; p < n; p++) {
    out[4 * p] = (frame[p]! + 1) * 127.5; // Uint8ClampedArray rounds and clamps
    out[4 * p + 1] = (frame[n + p]! + 1) * 127.5; // Uint8ClampedArray rounds and clamps
    out[4 * p + 2] = (frame[2 * n + p]! + 1) * 127.5; // Uint8ClampedArray rounds and clamps
    out[4 * p + 3] = 255;
  }
  return out;
}

/**
 * CHW frame → packed bytes, `stride` bytes a pixel (3: HWC RGB, the datasets' and memory's
 * layout; 4 leaves every fourth byte to the caller). Each value is Math.round((x + 1)·127.5)
 * clamped to 0…255, written as ⌊(x + 1)·127.5 + 0.5⌋ (the same for every double, and a
 * Uint8Array store truncates, so clamp first). Channel by channel, so the reads run in order.
 * Reads the first 3·n values of `frame`, where n = out.length / stride.
 */
export function frameToRgbBytes(frame: ArrayLike<number>, out: Uint8Array, stride = 3): Uint8Array {
  const n = out.length / stride;
  if (!Number.isInteger(n) || stride < 3 || frame.length < 3 * n) {
    throw new NextframeError('bad-frame', `frameToRgbBytes: ${out.length} bytes at ${stride} a pixel need ${3 * n} frame values (CHW), found ${frame.length}.`);
  }
  for (let c = 0; c < 3; c++) {
    const plane = c * n;
    for (let p = 0, o = c; p < n; p++, o += stride) {
      const v = (frame[plane + p]! + 1) * 127.5 + 0.5;
      out[o] = v < 1 ? 0 : v >= 255 ? 255 : v;
    }
  }
  return out;
}

/** Throw unless `frame` is a CHW frame of the right size with every value finite and in [−1, 1]. */
export function assertFrame(frame: unknown, width: number, height: number, where: string): asserts frame is Float32Array {
  const size = 3 * width * height;
  if (!(frame instanceof Float32Array)) {
    throw new NextframeError('bad-frame', `${where}: expected a Float32Array of ${size} values (3×${height}×${width}, CHW in [−1, 1]), found ${describe(frame)}. Convert canvas pixels with rgbaToFrame().`);
  }
  if (frame.length !== size) {
    throw new NextframeError('bad-frame', `${where}: expected a frame of ${size} values (3×${height}×${width}), found ${frame.length}. Render or resize it to the model's resolution first.`);
  }
  for (let i = 0; i < size; i++) {
    const v = frame[i]!;
    if (!(v >= -1.0001 && v <= 1.0001)) {
      throw new NextframeError('bad-frame', `${where}: frame value at index ${i} is ${v}; expected finite values in [−1, 1]. Use rgbaToFrame() to convert bytes.`);
    }
  }
}

function packedToFrame(bytes: ArrayLike<number>, stride: number, width: number, height: number, out: Float32Array, where: string): Float32Array {
  const n = width * height;
  if (bytes.length !== stride * n) throw new NextframeError('bad-frame', `${where}: expected ${stride * n} bytes for ${width}×${height}, found ${bytes.length}.`);
  for (let p = 0; p < n; p++) {
    out[p] = bytes[stride * p]! / 127.5 - 1;
    out[n + p] = bytes[stride * p + 1]! / 127.5 - 1;
    out[2 * n + p] = bytes[stride * p + 2]! / 127.5 - 1;
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
