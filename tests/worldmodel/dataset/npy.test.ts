import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy, float16ToFloat32, float32ToFloat16, fromFloat16Array, npyHeader, parseNpy, toFloat16Array } from '../../../worldmodel/dataset/npy.ts';

const PYTHON = '/usr/bin/python3';
const hasNumpy = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

describe('npy', () => {
  it('round-trips uint8, float16 and float32 with their shapes', () => {
    const u8 = Uint8Array.from({ length: 2 * 3 * 4 * 3 }, (_, i) => i % 256);
    const f16 = toFloat16Array([0, 1, -2.5, 60, 0.05, 1234]);
    const f32 = Float32Array.from([1.5, -2, Math.PI, 1e-7, -1e9, 0]);
    for (const [data, shape, dtype] of [
      [u8, [2, 3, 4, 3], 'uint8'],
      [f16, [2, 3], 'float16'],
      [f32, [6], 'float32'],
    ] as const) {
      const bytes = encodeNpy(data, shape, dtype);
      const headerLength = new DataView(bytes.buffer).getUint16(8, true);
      expect((10 + headerLength) % 64).toBe(0); // data aligned for memmaps
      const back = parseNpy(bytes);
      expect(back.dtype).toBe(dtype);
      expect(back.shape).toEqual([...shape]);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    }
  });

  it('parses a Node Buffer read from disk without touching the buffer pool', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextframe-npy-'));
    const path = join(dir, 'a.npy');
    const data = Float32Array.from([1, 2, 3, 4]);
    writeFileSync(path, encodeNpy(data, [2, 2], 'float32'));
    expect(Array.from(parseNpy(readFileSync(path)).data)).toEqual([1, 2, 3, 4]);
  });

  it('converts float16 exactly where float16 can, and rounds to nearest otherwise', () => {
    for (const v of [0, 1, -1, 0.5, 2, 60, 65504, 2 ** -14, 2 ** -24, -0.25]) expect(float16ToFloat32(float32ToFloat16(v))).toBe(v);
    expect(float16ToFloat32(float32ToFloat16(0.1))).toBeCloseTo(0.1, 4);
    expect(float16ToFloat32(float32ToFloat16(1e6))).toBe(Infinity);
    expect(Number.isNaN(float16ToFloat32(float32ToFloat16(Number.NaN)))).toBe(true);
    expect(float32ToFloat16(1 + 2 ** -11)).toBe(0x3c00); // a tie rounds to even
    expect(Array.from(fromFloat16Array(toFloat16Array([3, -7.5])))).toEqual([3, -7.5]);
  });

  it('rejects what it cannot read with a reason', () => {
    expect(() => parseNpy(new Uint8Array([1, 2, 3]))).toThrow(/parseNpy: expected an .npy file/);
    const bytes = encodeNpy(new Float32Array(4), [4], 'float32');
    expect(() => parseNpy(bytes.subarray(0, bytes.length - 4))).toThrow(/truncated/);
    const int64 = encodeNpy(new Float32Array(2), [2], 'float32');
    int64.set(new TextEncoder().encode('<i8'), new TextDecoder('latin1').decode(int64).indexOf('<f4'));
    expect(() => parseNpy(int64)).toThrow(/found '<i8'/);
    expect(() => encodeNpy(new Float32Array(3), [2, 2], 'float32')).toThrow(/holds 4 values, found 3/);
    expect(() => encodeNpy(new Float32Array(4), [4], 'float16')).toThrow(/needs a Uint16Array/);
  });

  it.skipIf(!hasNumpy)(`reads files numpy wrote, and numpy reads ours (skipped when ${PYTHON} with numpy is missing)`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextframe-npy-'));
    const script = [
      'import numpy as np, sys',
      'd = sys.argv[1]',
      "np.save(d + '/u8.npy', np.arange(24, dtype=np.uint8).reshape(2, 3, 4))",
      "np.save(d + '/f16.npy', np.array([[0.5, -2.0], [60.0, 0.1]], dtype=np.float16))",
      "np.save(d + '/f32.npy', np.linspace(-1, 1, 5, dtype=np.float32))",
      "a = np.load(d + '/ours.npy', mmap_mode='r'); assert a.dtype == np.float16 and a.shape == (2, 2) and float(a[1, 0]) == 60.0, a",
    ].join('\n');
    writeFileSync(join(dir, 'ours.npy'), encodeNpy(toFloat16Array([0.5, -2, 60, 0.1]), [2, 2], 'float16'));
    const run = spawnSync(PYTHON, ['-c', script, dir], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const u8 = parseNpy(readFileSync(join(dir, 'u8.npy')));
    expect(u8).toMatchObject({ dtype: 'uint8', shape: [2, 3, 4] });
    expect(u8.data[23]).toBe(23);
    const f16 = parseNpy(readFileSync(join(dir, 'f16.npy')));
    expect(f16).toMatchObject({ dtype: 'float16', shape: [2, 2] });
    expect(Array.from(fromFloat16Array(f16.data as Uint16Array)).map((v) => Number(v.toFixed(3)))).toEqual([0.5, -2, 60, 0.1]);
    const f32 = parseNpy(readFileSync(join(dir, 'f32.npy')));
    expect(Array.from(f32.data)).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it('npyHeader is the head of encodeNpy, so a writer can stream the data after it', () => {
    const data = toFloat16Array([0.5, -1, 2, 3, 4, 5]);
    const whole = encodeNpy(data, [3, 2], 'float16');
    const header = npyHeader([3, 2], 'float16');
    expect(header.length % 64).toBe(0);
    expect(Array.from(whole.subarray(0, header.length))).toEqual(Array.from(header));
    expect(whole.length).toBe(header.length + data.byteLength);
  });
});
