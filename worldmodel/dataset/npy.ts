/**
 * NPY v1.0 reader and writer for the dataset arrays (little-endian, C order), so Python reads
 * what the recorder writes with `numpy.load(..., mmap_mode='r')`. Pure TypeScript: no fs, no DOM.
 */

export type NpyDtype = 'uint8' | 'float16' | 'float32';

/** float16 stays as raw IEEE half bits; see `float16ToFloat32`. */
export type NpyData = Uint8Array | Uint16Array | Float32Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const DESCR: Record<NpyDtype, string> = { uint8: '|u1', float16: '<f2', float32: '<f4' };
const BYTES: Record<NpyDtype, number> = { uint8: 1, float16: 2, float32: 4 };

/** Element count of a shape (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Parse an .npy file. Throws `parseNpy: …` with what was expected and found. */
export function parseNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new Error('parseNpy: expected an .npy file (magic "\\x93NUMPY"), found other bytes. Write arrays with numpy.save or encodeNpy.');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new Error(`parseNpy: expected NPY format version 1, 2 or 3, found ${major}.`);
  }
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error(`parseNpy: header must name descr, fortran_order and shape, found ${JSON.stringify(header.trim())}.`);
  }
  if (fortran === 'True') throw new Error('parseNpy: expected C order (fortran_order False), found Fortran order. Save with numpy.ascontiguousarray.');
  const dtype = (Object.keys(DESCR) as NpyDtype[]).find((d) => DESCR[d] === descr || (d === 'uint8' && descr === '<u1'));
  if (!dtype) throw new Error(`parseNpy: expected dtype uint8 ('|u1'), float16 ('<f2') or float32 ('<f4'), found '${descr}'.`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`parseNpy: bad shape (${shapeText}).`);
  const dataStart = headerStart + headerLength;
  const count = shapeSize(shape);
  const byteLength = count * BYTES[dtype];
  if (bytes.length - dataStart < byteLength) {
    throw new Error(`parseNpy: shape (${shape.join(', ')}) of ${dtype} needs ${byteLength} data bytes, found ${bytes.length - dataStart} (truncated file?).`);
  }
  // Copy into a fresh, aligned buffer (a Node Buffer's slice would share its memory pool).
  const raw = new Uint8Array(byteLength);
  raw.set(bytes.subarray(dataStart, dataStart + byteLength));
  const data = dtype === 'uint8' ? raw : dtype === 'float16' ? new Uint16Array(raw.buffer, 0, count) : new Float32Array(raw.buffer, 0, count);
  if (!littleEndian() && dtype !== 'uint8') swapBytes(raw, BYTES[dtype]);
  return { dtype, shape, data };
}

/** Encode an array as NPY v1.0 (header padded so the data starts at a multiple of 64 bytes). */
export function encodeNpy(data: NpyData, shape: readonly number[], dtype: NpyDtype): Uint8Array {
  const expected = dtype === 'uint8' ? Uint8Array : dtype === 'float16' ? Uint16Array : Float32Array;
  if (!(data instanceof expected)) throw new Error(`encodeNpy: dtype ${dtype} needs a ${expected.name}, found ${data.constructor.name}.`);
  if (shapeSize(shape) !== data.length) throw new Error(`encodeNpy: shape (${shape.join(', ')}) holds ${shapeSize(shape)} values, found ${data.length}.`);
  const header = npyHeader(shape, dtype);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header, 0);
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  out.set(body, header.length);
  if (!littleEndian() && dtype !== 'uint8') swapBytes(out.subarray(header.length), BYTES[dtype]);
  return out;
}

/**
 * The NPY v1.0 header of an array of `shape` and `dtype` (magic through the padded '\n', a
 * multiple of 64 bytes): followed by the data, little-endian in C order, it is the file. For
 * writers that stream the data after it.
 */
export function npyHeader(shape: readonly number[], dtype: NpyDtype): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1; // magic + version + length + header + '\n'
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  return out;
}

const _f32 = new Float32Array(1);
const _u32 = new Uint32Array(_f32.buffer);

/** IEEE half bits → float32 (subnormals, infinities and NaN included). */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** float32 → IEEE half bits, round to nearest even; overflow goes to ±Infinity. */
export function float32ToFloat16(value: number): number {
  _f32[0] = value;
  const x = _u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    if (rest > midpoint || (rest === midpoint && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++; // a carry into the exponent stays correct, up to Infinity
  return sign | half;
}

/** Convert a whole Float32Array to half bits. */
export function toFloat16Array(values: ArrayLike<number>, out: Uint16Array = new Uint16Array(values.length)): Uint16Array {
  for (let i = 0; i < values.length; i++) out[i] = float32ToFloat16(values[i]!);
  return out;
}

/** Convert half bits to float32 values. */
export function fromFloat16Array(bits: Uint16Array, out: Float32Array = new Float32Array(bits.length)): Float32Array {
  for (let i = 0; i < bits.length; i++) out[i] = float16ToFloat32(bits[i]!);
  return out;
}

function littleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i + width <= bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}
