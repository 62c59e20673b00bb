import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NpyFileWriter } from '../../../../engine/tools/cli/NpyFileWriter.ts';
import { encodeNpy, parseNpy, toFloat16Array } from '../../../../worldmodel/dataset/npy.ts';
import type { NextframeError } from '../../../../worldmodel/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'nextframe-npy-writer-'));

describe('NpyFileWriter', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the file encodeNpy would, a row at a time, and leaves no body behind', () => {
    const path = join(dir, 'depth.npy');
    const writer = new NpyFileWriter(path, 'float16', [2, 3]);
    const rows = [toFloat16Array([1, 2, 3, 4, 5, 6]), toFloat16Array([-1, 0.5, 0, 60, 7, 8]), toFloat16Array([9, 9, 9, 9, 9, 9])];
    for (const row of rows) writer.append(row);
    expect(writer.rows).toBe(3);
    writer.close();
    const all = new Uint16Array(18);
    rows.forEach((row, i) => all.set(row, 6 * i));
    expect(readFileSync(path)).toEqual(Buffer.from(encodeNpy(all, [3, 2, 3], 'float16')));
    expect(parseNpy(readFileSync(path)).shape).toEqual([3, 2, 3]);
    expect(existsSync(`${path}.body`)).toBe(false);
  });

  it('writes an empty array when no row came, and refuses rows of another size or after close', () => {
    const path = join(dir, 'frame.npy');
    const writer = new NpyFileWriter(path, 'uint8', [4, 4, 3]);
    expect(() => writer.append(new Uint8Array(5))).toThrow(/a row of .*frame\.npy holds 48 values \(4 × 4 × 3\), found 5/);
    writer.close();
    expect(parseNpy(readFileSync(path)).shape).toEqual([0, 4, 4, 3]);
    let caught: unknown;
    try {
      writer.append(new Uint8Array(48));
    } catch (error) {
      caught = error;
    }
    expect((caught as NextframeError).code).toBe('disposed');
  });
});
